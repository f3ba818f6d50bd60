package edu.dsc650.query;

import edu.dsc650.io.ResultsLayout;
import java.util.List;
import java.util.Set;

/**
 * What a run of the queries was asked to do.
 *
 * @param input where the queries read the topics: files in {@code <results>/input}, or Kafka
 * @param master the Spark master when spark-submit sets none
 * @param localAddress in local mode, the address the driver and the UI listen on
 * @param options the run's switches ({@link Option})
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
    Set<Option> options,
    java.util.Map<String, String> sparkConf) {

  /** A run's switches. */
  public enum Option {
    /** stop (after draining) once the replay is complete and processed */
    UNTIL_REPLAY_COMPLETE,
    /** delete the queries' outputs and checkpoints first */
    FRESH,
    /** print each micro-batch's phases */
    VERBOSE,
    /**
     * run the queries once on a generated slice before following the replay ({@link WarmUp}); live
     * triggers only
     */
    WARM_UP
  }

  public boolean untilReplayComplete() {
    return options.contains(Option.UNTIL_REPLAY_COMPLETE);
  }

  public boolean fresh() {
    return options.contains(Option.FRESH);
  }

  public boolean verbose() {
    return options.contains(Option.VERBOSE);
  }

  public boolean warmUp() {
    return options.contains(Option.WARM_UP);
  }

  /** The topics the chosen queries read, each once. */
  public List<String> topics() {
    return queries.stream().flatMap(d -> d.topics().stream()).distinct().toList();
  }
}
