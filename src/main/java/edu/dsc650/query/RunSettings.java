package edu.dsc650.query;

import edu.dsc650.io.ResultsLayout;
import java.util.List;

/**
 * What a run of the queries was asked to do.
 *
 * @param input where the queries read the topics: files in {@code <results>/input}, or Kafka
 * @param master the Spark master when spark-submit sets none
 * @param localAddress in local mode, the address the driver and the UI listen on
 * @param untilReplayComplete stop (after draining) once the replay is complete and processed
 * @param fresh delete the queries' outputs and checkpoints first
 * @param verbose print each micro-batch's phases
 * @param warmUp run the queries once on a generated slice before following the replay ({@link
 *     WarmUp}); live triggers only
 * @param sparkConf {@code --conf} settings: they win over the project's defaults, as spark-submit's
 *     do
 */
public record RunSettings(
    List<StreamingQueryDef> queries,
    ResultsLayout layout,
    QueryInput input,
    String master,
    String localAddress,
    QueryTrigger trigger,
    boolean untilReplayComplete,
    boolean fresh,
    boolean verbose,
    boolean warmUp,
    java.util.Map<String, String> sparkConf) {

  /** The topics the chosen queries read, each once. */
  public List<String> topics() {
    return queries.stream().flatMap(d -> d.topics().stream()).distinct().toList();
  }
}
