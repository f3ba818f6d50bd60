package edu.dsc650.report.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import edu.dsc650.io.HadoopStorage;
import edu.dsc650.io.LocalStorage;
import edu.dsc650.io.Storage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each line of a growing file read once, a half-written one only once it is whole. */
class LineTailTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"local", "hadoop"})
  void readsEachWholeLineOnceAndStartsOverWhenTheFileIsReplaced(String kind) throws Exception {
    Storage storage =
        kind.equals("local")
            ? new LocalStorage()
            : new HadoopStorage(FileSystem.getLocal(new Configuration()).getRawFileSystem());
    Path file = tmp.resolve("log.jsonl");
    LineTail tail = new LineTail(storage, new org.apache.hadoop.fs.Path(file.toUri()));

    assertEquals(List.of(), tail.poll(), "no file yet");
    append(file, "a\nbb\n");
    assertEquals(List.of("a", "bb"), tail.poll());
    assertEquals(List.of(), tail.poll(), "nothing new");
    append(file, "ccc");
    assertEquals(List.of(), tail.poll(), "a line being written waits");
    append(file, "c\n\nd\n");
    assertEquals(List.of("cccc", "d"), tail.poll(), "the whole line, once; blank ones skipped");

    Files.writeString(file, "x\n"); // a new run's log, shorter than what was read
    assertEquals(List.of("x"), tail.poll());
    append(file, "é\n");
    assertEquals(List.of("é"), tail.poll(), "UTF-8");
  }

  private static void append(Path file, String text) throws Exception {
    Files.write(
        file,
        text.getBytes(StandardCharsets.UTF_8),
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
