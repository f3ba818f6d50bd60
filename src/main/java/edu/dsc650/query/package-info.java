/**
 * The streaming queries and how a run of them goes. {@code SimpleQuery}, {@code WindowedQuery} and
 * {@code JoinedQuery} are each a transform of Datasets plus where it writes, and {@code SqlQuery}
 * is your own SELECT; a {@code QueryInput} says where they read (the published files, or Kafka).
 * {@code QueryRunner} takes the queries' locks before Spark starts; {@code QueryRun} then goes
 * through the phases of a run: check ({@code Preflight}: nothing changes before it passes), claim
 * each {@code QueryCheckpoint}, warm up ({@code WarmUp}), await the input, start, supervise ({@code
 * Supervisor}: the run followed, {@code FollowedRun}), drain at the end of a complete replay
 * ({@code Drain}, {@code EndOfStream}) and summarize. Spark's internal API is used through {@code
 * query.spark} only.
 */
package edu.dsc650.query;
