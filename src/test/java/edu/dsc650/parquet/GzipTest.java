package edu.dsc650.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The page codec against the JDK's own gzip streams, both ways. */
class GzipTest {
  private static byte[] sample(int size) {
    byte[] b = new byte[size];
    Random r = new Random(size);
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (i % 7 == 0 ? r.nextInt() : i / 100); // partly compressible
    }
    return b;
  }

  @Test
  void whatItWritesTheJdkReadsAndTheOtherWayRound() throws IOException {
    Gzip gzip = new Gzip();
    for (int size : new int[] {0, 1, 100, 70_000, 300_000}) {
      byte[] raw = sample(size);
      byte[] ours = gzip.compress(raw);
      assertArrayEquals(
          raw, new GZIPInputStream(new ByteArrayInputStream(ours)).readAllBytes(), "size " + size);

      ByteArrayOutputStream jdk = new ByteArrayOutputStream();
      try (GZIPOutputStream out = new GZIPOutputStream(jdk)) {
        out.write(raw);
      }
      byte[] framed = new byte[jdk.size() + 6]; // a page inside a larger file
      System.arraycopy(jdk.toByteArray(), 0, framed, 3, jdk.size());
      assertArrayEquals(raw, gzip.decompress(framed, 3, jdk.size(), size), "size " + size);
    }
  }

  @Test
  void aCorruptPageIsAnError() {
    Gzip gzip = new Gzip();
    byte[] page = gzip.compress(sample(5000));
    byte[] badCrc = page.clone();
    badCrc[badCrc.length - 6] ^= 1;
    assertThrows(IOException.class, () -> gzip.decompress(badCrc, 0, badCrc.length, 5000));
    assertThrows(
        IOException.class, () -> gzip.decompress(page, 0, page.length, 4999), "a wrong size");
    byte[] notGzip = new byte[40];
    assertThrows(IOException.class, () -> gzip.decompress(notGzip, 0, 40, 10));
  }
}
