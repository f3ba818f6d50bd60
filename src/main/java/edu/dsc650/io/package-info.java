/**
 * The results folder and what both commands share in it: its layout ({@code ResultsLayout}), {@code
 * replay.json}, the slice records, the locks that keep one run per folder and query ({@code
 * RunLock}), run-query's word that its queries are ready ({@code QueriesReady}), the logs a replay
 * publishes through ({@code FileSinkLog}, Spark's own format, and {@code PublishLog}, this
 * project's), and file access on a local disk (java.nio: Hadoop's local file system forks a process
 * per file made) or any Hadoop file system ({@code Storage}); for Spark's own files, Hadoop's local
 * file system with permissions set through java.nio ({@code NioLocalFileSystem}).
 */
package edu.dsc650.io;
