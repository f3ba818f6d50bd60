package edu.dsc650.parquet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Parquet's GZIP pages (each page one gzip member, RFC 1952) with a reused raw {@link Inflater} and
 * {@link Deflater}: no stream objects or buffers per page. Not thread-safe.
 */
final class Gzip {
  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;

  private final Inflater inflater = new Inflater(true);
  private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
  private final CRC32 crc = new CRC32();
  private final byte[] chunk = new byte[16 * 1024];

  /** Inflates a gzip member whose uncompressed size the page header gives. */
  byte[] decompress(byte[] file, int offset, int length, int uncompressedSize) throws IOException {
    int end = offset + length;
    if (length < 18
        || (file[offset] & 0xff) != 0x1f
        || (file[offset + 1] & 0xff) != 0x8b
        || file[offset + 2] != 8) {
      throw new IOException("a GZIP page that does not start with a gzip header");
    }
    int flags = file[offset + 3] & 0xff;
    int at = offset + 10;
    if ((flags & FEXTRA) != 0) {
      at += 2 + ((file[at] & 0xff) | (file[at + 1] & 0xff) << 8);
    }
    if ((flags & FNAME) != 0) {
      while (at < end && file[at++] != 0) {}
    }
    if ((flags & FCOMMENT) != 0) {
      while (at < end && file[at++] != 0) {}
    }
    if ((flags & FHCRC) != 0) {
      at += 2;
    }
    if (at > end - 8) {
      throw new IOException("a truncated GZIP page");
    }
    byte[] out = new byte[uncompressedSize];
    inflater.reset();
    inflater.setInput(file, at, end - 8 - at);
    try {
      int n = 0;
      while (n < out.length && !inflater.finished()) {
        int got = inflater.inflate(out, n, out.length - n);
        if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          break;
        }
        n += got;
      }
      if (n != out.length) {
        throw new IOException("a GZIP page holds " + n + " bytes, its header says " + out.length);
      }
    } catch (DataFormatException e) {
      throw new IOException("a corrupt GZIP page: " + e.getMessage(), e);
    }
    crc.reset();
    crc.update(out);
    if (readInt(file, end - 8) != (int) crc.getValue() || readInt(file, end - 4) != out.length) {
      throw new IOException("a GZIP page whose CRC-32 or size does not match its bytes");
    }
    return out;
  }

  /** One gzip member: a minimal header, the deflated bytes, CRC-32 and size. */
  byte[] compress(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 2 + 64);
    out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff}, 0, 10);
    deflater.reset();
    deflater.setInput(raw);
    deflater.finish();
    while (!deflater.finished()) {
      int n = deflater.deflate(chunk);
      out.write(chunk, 0, n);
    }
    crc.reset();
    crc.update(raw);
    writeInt(out, (int) crc.getValue());
    writeInt(out, raw.length);
    return out.toByteArray();
  }

  private static int readInt(byte[] b, int at) {
    return (b[at] & 0xff)
        | (b[at + 1] & 0xff) << 8
        | (b[at + 2] & 0xff) << 16
        | (b[at + 3] & 0xff) << 24;
  }

  private static void writeInt(ByteArrayOutputStream out, int v) {
    out.write(v);
    out.write(v >>> 8);
    out.write(v >>> 16);
    out.write(v >>> 24);
  }
}
