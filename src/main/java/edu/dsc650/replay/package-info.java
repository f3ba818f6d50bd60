/**
 * The replay: a source folder of time slices ({@code <topic>/t=<seconds>/*.parquet}) scanned,
 * validated, and published on the simulation clock. {@code Replayer} waits for each slice's
 * instant; a {@code SliceTransport} makes a slice visible all at once: {@code FileTransport}
 * (staging, one rename into {@code input}, the logs) or {@code KafkaTransport} (one transaction per
 * instant). A {@code StartGate} may hold the clock until run-query is ready ({@code QueriesGate}).
 * A running replay is steered (pause, resume, speed) by {@code Steering} requests, from the
 * terminal or from the results folder ({@code SteeringPoller}); {@code ReplayPace} says when each
 * slice is due and how much later its timestamps are after the pauses before it. Laps ({@code
 * --loop}) and copies ({@code --scale}) shift and rename what is replayed; the files themselves are
 * rewritten by the {@code parquet} package. Needs no Spark.
 */
package edu.dsc650.replay;
