package edu.dsc650.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * What the report's page shows, section by section ({@link ReportData} reads them); the page's
 * script draws the charts from it as JSON.
 *
 * @param queries each streaming query's batches: [end ms, input rows, duration ms, latency ms or
 *     null] ({@link BatchHistory})
 * @param own each --sql query's output
 * @param missing what was not found, each with what it would have shown
 * @param leftOut what the page shows less of than there is, to stay small
 */
public record Report(
    String results,
    String generated,
    Headline headline,
    ReplaySection replay,
    InputSection input,
    WindowedSection windowed,
    JoinedSection joined,
    Map<String, List<List<Object>>> queries,
    Map<String, OwnQueryTable> own,
    List<String> missing,
    @JsonProperty("left_out") List<String> leftOut) {

  /** The figures at the top of the page; null where their section has nothing. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Headline(
      Map<String, Long> rows,
      Long rides,
      Long windows,
      Long matched,
      @JsonProperty("lag_p50_ms") Double lagP50Ms,
      @JsonProperty("lag_p99_ms") Double lagP99Ms) {}
}
