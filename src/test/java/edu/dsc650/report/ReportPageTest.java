package edu.dsc650.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportPageTest {
  private static final String DATA_START = "<script id=\"data\" type=\"application/json\">";

  @Test
  void theDataSurvivesInsideItsScriptElementEvenWhenItHoldsAClosingTag() throws Exception {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("results", "/tmp/</script><script>alert(1)</script>");
    data.put("missing", List.of("a </SCRIPT> b", "<!-- c"));
    String page = ReportPage.render(data);

    int start = page.indexOf(DATA_START) + DATA_START.length();
    String json =
        page.substring(
            start, page.indexOf("</script>", start)); // where the browser ends the element
    assertEquals(data, new ObjectMapper().readValue(json, Map.class));
  }

  @Test
  void thePageCarriesEchartsItselfAndNeedsNoNetwork() throws Exception {
    String page = ReportPage.render(Map.of());
    assertTrue(page.contains("echarts"), "ECharts is inlined");
    assertTrue(page.length() > 900_000, "the library is in the page: " + page.length());
    for (String remote : List.of("src=\"http", "href=\"http", "src=\"//", "href=\"//")) {
      assertTrue(!page.contains(remote), "nothing is loaded from the network: " + remote);
    }
  }
}
