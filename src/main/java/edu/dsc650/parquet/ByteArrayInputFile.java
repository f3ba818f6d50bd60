package edu.dsc650.parquet;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A parquet {@link InputFile} over bytes already in memory. Small files are cheaper to read once in
 * full than to open and seek several times (footer, then each column chunk).
 */
public final class ByteArrayInputFile implements InputFile {
  private final byte[] bytes;
  private final int length;

  public ByteArrayInputFile(byte[] bytes) {
    this(bytes, bytes.length);
  }

  /**
   * The first {@code length} bytes of {@code bytes} (a buffer that is reused, larger than the
   * file).
   */
  public ByteArrayInputFile(byte[] bytes, int length) {
    this.bytes = bytes;
    this.length = length;
  }

  @Override
  public long getLength() {
    return length;
  }

  @Override
  public SeekableInputStream newStream() {
    return new Stream(bytes, length);
  }

  private static final class Stream extends SeekableInputStream {
    private final byte[] bytes;
    private final int length;
    private int pos;

    Stream(byte[] bytes, int length) {
      this.bytes = bytes;
      this.length = length;
    }

    @Override
    public long getPos() {
      return pos;
    }

    @Override
    public void seek(long newPos) throws IOException {
      if (newPos < 0 || newPos > length) {
        throw new EOFException("seek to " + newPos + " outside a file of " + length + " bytes");
      }
      pos = (int) newPos;
    }

    @Override
    public int read() {
      return pos < length ? bytes[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      int n = Math.min(len, length - pos);
      if (n <= 0) {
        return -1;
      }
      System.arraycopy(bytes, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public void readFully(byte[] b) throws IOException {
      readFully(b, 0, b.length);
    }

    @Override
    public void readFully(byte[] b, int off, int len) throws IOException {
      if (len > length - pos) {
        throw new EOFException("read of " + len + " bytes past the end of the file at " + pos);
      }
      System.arraycopy(bytes, pos, b, off, len);
      pos += len;
    }

    @Override
    public int read(ByteBuffer buf) {
      int n = Math.min(buf.remaining(), length - pos);
      if (n <= 0) {
        return buf.hasRemaining() ? -1 : 0;
      }
      buf.put(bytes, pos, n);
      pos += n;
      return n;
    }

    @Override
    public void readFully(ByteBuffer buf) throws IOException {
      if (buf.remaining() > length - pos) {
        throw new EOFException(
            "read of " + buf.remaining() + " bytes past the end of the file at " + pos);
      }
      int n = buf.remaining();
      buf.put(bytes, pos, n);
      pos += n;
    }
  }
}
