/**
 * The live page of {@code report --serve}: what is new in a results folder read each poll from its
 * logs and new output files ({@code LiveFeed}, a {@code LineTail} per log, no Spark), and an HTTP
 * server that sends it to each open page as Server-Sent Events ({@code LiveServer}), which draws it
 * in place, and takes the page's requests to steer the replay (with the page's secret only).
 */
package edu.dsc650.report.live;
