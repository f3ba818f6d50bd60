package edu.dsc650.parquet;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;

/** An in-memory output stream that knows its position, for writing a parquet file's offsets. */
public final class Positioned extends ByteArrayOutputStream {

  public Positioned(int initialSize) {
    super(initialSize);
  }

  public long position() {
    return count;
  }

  /** The bytes written so far, without copying; valid up to {@link #position()}. */
  public byte[] buffer() {
    return buf;
  }

  /** An in-memory input stream that knows its absolute position in the underlying array. */
  public static final class Input extends ByteArrayInputStream {
    public Input(byte[] bytes, int offset, int length) {
      super(bytes, offset, length);
    }

    public long position() {
      return pos;
    }
  }
}
