/**
 * The report: a results folder read with Spark's batch reader, cut down to what a page can draw,
 * and one self-contained HTML page (ECharts and the data inlined) that opens from {@code file://}.
 */
package edu.dsc650.report;
