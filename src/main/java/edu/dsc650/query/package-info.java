/**
 * The streaming queries and how they run. {@code SimpleQuery}, {@code WindowedQuery} and {@code
 * JoinedQuery} are each a transform of Datasets plus where it writes; a {@code QueryInput} says
 * where they read (the published files through {@code PublishedSource}, or Kafka). {@code
 * QueryRunner} checks the results folder before Spark starts, claims the checkpoints, warms the
 * queries up on a generated slice ({@code WarmUp}), follows one replay run, drains the queries at
 * its end ({@code EndOfStream}) and summarizes the outputs.
 */
package edu.dsc650.query;
