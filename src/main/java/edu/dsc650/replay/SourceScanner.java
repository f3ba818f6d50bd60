package edu.dsc650.replay;

import edu.dsc650.BadInputException;
import edu.dsc650.io.Storage;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;

/**
 * Finds the topics and slices of a source folder: {@code <source>/<topic>/t=<seconds>/*.parquet}.
 * Slices are ordered by their numeric time ({@code t=9.5} before {@code t=11.7}), not by name.
 */
public final class SourceScanner {
  private static final Pattern SLICE = Pattern.compile("t=(\\d+(?:\\.\\d+)?)");

  private final Storage storage;
  private final Consumer<String> warn;

  public SourceScanner(Storage storage, Consumer<String> warn) {
    this.storage = storage;
    this.warn = warn;
  }

  /** Markers and side files that Hadoop, Spark and editors leave behind; skipped without a word. */
  static boolean isIgnored(String name) {
    return name.startsWith(".") || name.startsWith("_") || name.endsWith(".crc");
  }

  /** The simulation time of a slice folder name, or null if the name is not of the form t=... */
  static BigDecimal sliceTime(String folder) {
    if (!folder.startsWith("t=")) {
      return null;
    }
    Matcher m = SLICE.matcher(folder);
    if (!m.matches()) {
      throw new BadInputException(
          "slice folder name '"
              + folder
              + "' is not t=<seconds> with a non-negative decimal number of seconds");
    }
    return new BigDecimal(m.group(1));
  }

  /** All slices of all topics, ordered by time, then topic, then folder name. */
  public List<Slice> scan(Path source) throws IOException {
    List<String> skipped = new ArrayList<>();
    List<Slice> slices = scan(source, skipped::add);
    if (slices.isEmpty()) {
      throw new BadInputException(
          "source "
              + source
              + " has no slices (expected <topic>/t=<seconds>/*.parquet"
              + (skipped.isEmpty() ? "" : "; " + skipped.size() + " entries skipped")
              + ")");
    }
    // a source that holds other things too: the first few, then how many more
    skipped.stream().limit(WARNINGS_SHOWN).forEach(warn);
    if (skipped.size() > WARNINGS_SHOWN) {
      warn.accept(
          "and "
              + (skipped.size() - WARNINGS_SHOWN)
              + " more entries of the source skipped, as those above");
    }
    return slices;
  }

  /** How many of the skipped entries are named, one warning each. */
  private static final int WARNINGS_SHOWN = 5;

  private List<Slice> scan(Path source, Consumer<String> warn) throws IOException {
    if (!storage.exists(source)) {
      throw new BadInputException("source " + source + " does not exist");
    }
    if (!storage.isDirectory(source)) {
      throw new BadInputException("source " + source + " is not a directory");
    }
    List<Slice> slices = new ArrayList<>();
    for (Storage.Entry topic : storage.list(source)) {
      if (isIgnored(topic.name())) {
        continue;
      }
      if (!topic.directory()) {
        warn.accept("skipping " + topic.path() + ": not a topic folder");
        continue;
      }
      int before = slices.size();
      for (Storage.Entry entry : storage.list(topic.path())) {
        if (isIgnored(entry.name())) {
          continue;
        }
        BigDecimal t = entry.directory() ? sliceTime(entry.name()) : null;
        if (t == null) {
          warn.accept("skipping " + entry.path() + ": not a slice folder t=<seconds>");
          continue;
        }
        slices.add(
            new Slice(
                topic.name(), entry.name(), t, entry.path(), parquetFiles(entry.path(), warn)));
      }
      if (slices.size() == before) {
        warn.accept("skipping " + topic.path() + ": no slice folders t=<seconds> in it");
      }
    }
    slices.sort(
        Comparator.comparing(Slice::t).thenComparing(Slice::topic).thenComparing(Slice::folder));
    return slices;
  }

  private List<SourceFile> parquetFiles(Path sliceDir, Consumer<String> warn) throws IOException {
    List<SourceFile> files = new ArrayList<>();
    for (Storage.Entry entry : storage.list(sliceDir)) {
      if (isIgnored(entry.name())) {
        continue;
      }
      if (entry.directory() || !entry.name().endsWith(".parquet")) {
        warn.accept("skipping " + entry.path() + ": not a .parquet file");
        continue;
      }
      files.add(new SourceFile(entry.path()));
    }
    return files;
  }
}
