package edu.dsc650.replay;

import java.math.BigDecimal;
import java.util.List;
import org.apache.hadoop.fs.Path;

/**
 * One time slice of one topic: the folder {@code <source>/<topic>/t=<seconds>} and its parquet
 * files.
 *
 * @param t the slice's simulation time in seconds, as written in the folder name
 */
public record Slice(String topic, String folder, BigDecimal t, Path dir, List<SourceFile> files) {}
