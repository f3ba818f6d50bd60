/**
 * The report: a results folder read with Spark's batch reader into a typed {@code Report}, one
 * section per part of the page (the replay, the input, windowed, joined, the micro-batches, the
 * --sql outputs), each reading with the queries' own readers and cut down to what a page can draw;
 * and one self-contained HTML page (ECharts and the data inlined) that opens from {@code file://}.
 */
package edu.dsc650.report;
