package edu.dsc650.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;

/**
 * Files of one JSON value per line that a process appends to (replay-slices.jsonl, run-query's
 * progress): a last line without its newline is one that a killed writer left half-written, and is
 * not read, like a half-written log entry. Every other line is whole.
 */
public final class JsonLines {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonLines() {}

  /**
   * The whole lines of {@code file}, each read as a {@code type}; a whole line that is not one is
   * an error that names the file and the line.
   */
  public static <T> List<T> read(Storage storage, Path file, Class<T> type) throws IOException {
    List<T> values = new ArrayList<>();
    for (String line : whole(storage.readAll(file))) {
      try {
        values.add(JSON.readValue(line, type));
      } catch (IOException e) {
        throw new UncheckedIOException("bad line in " + file + ": " + line, e);
      }
    }
    return values;
  }

  /** The whole, non-blank lines of {@code content}. */
  public static List<String> whole(byte[] content) {
    String text = new String(content, StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>();
    int end = text.lastIndexOf('\n');
    for (String line : text.substring(0, end + 1).split("\n")) {
      if (!line.isBlank()) {
        lines.add(line);
      }
    }
    return lines;
  }
}
