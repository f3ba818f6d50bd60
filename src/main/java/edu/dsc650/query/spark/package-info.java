/**
 * The queries' door to Spark's internal API: every use of it by the queries is here, because
 * Spark's public API has no way to do these, and a Spark upgrade touches this package (and {@code
 * parquet.spark}) only. {@code PublishedSource} is a streaming source ({@code Source}, {@code
 * Offset}, {@code StreamSourceProvider}) that reads a replay's publish log a batch at a time:
 * Spark's file source lists and logs every file published so far on each trigger. {@code
 * ParquetFileSink} is Spark's file sink ({@code FileStreamSink}) used from a {@code foreachBatch},
 * so that one streaming query writes two exactly-once outputs. {@code SqlPlans} asks Spark's
 * parser, streaming checks and micro-batch planner ({@code IncrementalExecution}) what a {@code
 * --sql} query reads, whether it keeps state, and where its filters end up, before it runs. {@code
 * LocalCheckpointFiles} is a {@code CheckpointFileManager} that writes checkpoint files on a local
 * disk through java.nio, where Hadoop's starts a process per file status of a rename.
 */
package edu.dsc650.query.spark;
