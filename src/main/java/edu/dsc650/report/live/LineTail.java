package edu.dsc650.report.live;

import edu.dsc650.io.Storage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;

/**
 * The lines a process appends to a file, each read once: every poll reads only the bytes after the
 * last whole line it returned, so its cost follows what is new, not the file's length. A last line
 * without its newline is still being written and waits for the next poll. A file that became
 * shorter was replaced (a new run, or a rotated log) and is read again from its start.
 */
final class LineTail {
  private final Storage storage;
  private final Path file;
  private long offset;

  LineTail(Storage storage, Path file) {
    this.storage = storage;
    this.file = file;
  }

  Path file() {
    return file;
  }

  /** The whole, non-blank lines added since the last poll; none if the file is absent. */
  List<String> poll() throws IOException {
    byte[] added;
    try {
      added = storage.readFrom(file, offset);
      if (added.length == 0 && offset > 0 && shorter()) {
        offset = 0;
        added = storage.readFrom(file, 0);
      }
    } catch (FileNotFoundException | java.nio.file.NoSuchFileException e) {
      return List.of();
    }
    int end = lastNewline(added);
    if (end < 0) {
      return List.of();
    }
    offset += end + 1;
    List<String> lines = new ArrayList<>();
    for (String line : new String(added, 0, end, StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        lines.add(line);
      }
    }
    return lines;
  }

  /** Whether the file now ends before what was read of it: one byte before the offset is gone. */
  private boolean shorter() throws IOException {
    return storage.readFrom(file, offset - 1).length == 0;
  }

  private static int lastNewline(byte[] bytes) {
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
