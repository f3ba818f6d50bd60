/**
 * dsc650: replays recorded ride data as a live stream and runs Spark Structured Streaming queries
 * on it. The layers depend downwards only: {@code cli} → {@code report} → {@code query} → {@code
 * replay} → {@code io}; {@code parquet} (the file format at the byte level) is used by {@code
 * replay} and {@code query} and uses nothing of the project.
 */
package edu.dsc650;
