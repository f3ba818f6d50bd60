package edu.dsc650.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The report as one self-contained HTML page: the template ({@code report.html}), Apache ECharts
 * and the data, all inlined, so that it opens from {@code file://} with no network. The charts are
 * declared from the data by the template's script.
 */
public final class ReportPage {
  /** ECharts' minified build, from its WebJar. */
  static final String ECHARTS = "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";

  private static final String TEMPLATE = "edu/dsc650/report/report.html";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReportPage() {}

  public static String render(Object data) throws IOException {
    return page(TEMPLATE, data);
  }

  /**
   * A page template of the jar ({@code template}, a resource name) with ECharts in place of its
   * ECHARTS comment and {@code data} as JSON in place of its DATA comment: the report's page, and
   * the live page's.
   */
  public static String page(String templateName, Object data) throws IOException {
    String template = resource(templateName);
    // Inside a <script> element only "</" can end it early; "<\/" means the same in JS and JSON.
    String json = toJson(data).replace("</", "<\\/");
    String echarts = resource(ECHARTS).replace("</script", "<\\/script");
    return template.replace("/*ECHARTS*/", echarts).replace("/*DATA*/{}", json);
  }

  private static String toJson(Object data) throws JsonProcessingException {
    return JSON.writeValueAsString(data);
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = ReportPage.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing from the jar: " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
