package edu.dsc650.io;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Files of one JSON value per line that a process appends to (replay-slices.jsonl, run-query's
 * progress): a last line without its newline is one that a killed writer left half-written, and is
 * not read, like a half-written log entry. Every other line is whole.
 */
public final class JsonLines {
  private JsonLines() {}

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
