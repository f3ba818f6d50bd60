package edu.dsc650.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HadoopStorageTest {
  @TempDir Path tmp;

  @Test
  void aFlushedLineIsInTheFileBeforeTheClose() throws Exception {
    // file: through Hadoop, as run-query reaches a local results folder (a checksummed file system)
    HadoopStorage storage = new HadoopStorage(FileSystem.getLocal(new Configuration()));
    Path file = tmp.resolve("progress.jsonl");
    try (OutputStream out = storage.createForLines(new org.apache.hadoop.fs.Path(file.toUri()))) {
      out.write("{\"batchId\":0}\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      assertEquals("{\"batchId\":0}\n", Files.readString(file), "a reader sees the line at once");
      out.write("{\"batchId\":1}\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      assertEquals(2, Files.readAllLines(file).size());
    }
  }
}
