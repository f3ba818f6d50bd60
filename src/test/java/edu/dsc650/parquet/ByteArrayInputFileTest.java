package edu.dsc650.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.EOFException;
import java.nio.ByteBuffer;
import org.apache.parquet.io.SeekableInputStream;
import org.junit.jupiter.api.Test;

/** The reference reader's input file: every read advances the position, as a file's stream does. */
class ByteArrayInputFileTest {
  private static final byte[] BYTES = {1, 2, 3, 4, 5, 6, 7};

  @Test
  void twoReadsInARowReturnConsecutiveBytes() throws Exception {
    SeekableInputStream in = new ByteArrayInputFile(BYTES).newStream();
    ByteBuffer first = ByteBuffer.allocate(3);
    ByteBuffer second = ByteBuffer.allocate(2);
    in.readFully(first);
    in.readFully(second);
    assertArrayEquals(new byte[] {1, 2, 3}, first.array());
    assertArrayEquals(new byte[] {4, 5}, second.array());
    assertEquals(5, in.getPos());
    byte[] rest = new byte[2];
    in.readFully(rest);
    assertArrayEquals(new byte[] {6, 7}, rest);
    assertThrows(EOFException.class, () -> in.readFully(ByteBuffer.allocate(1)));
  }

  @Test
  void readIntoABufferAdvancesToo() throws Exception {
    SeekableInputStream in = new ByteArrayInputFile(BYTES).newStream();
    in.seek(5);
    ByteBuffer buf = ByteBuffer.allocate(4);
    assertEquals(2, in.read(buf));
    assertEquals(7, in.getPos());
    assertEquals(-1, in.read(ByteBuffer.allocate(1)));
  }
}
