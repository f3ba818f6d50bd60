/**
 * dsc650: replays recorded ride data as a live stream and runs Spark Structured Streaming queries on
 * it. The layers depend downwards only: {@code cli} → {@code report} → {@code query} → {@code replay}
 * → {@code io}.
 */
package edu.dsc650;
