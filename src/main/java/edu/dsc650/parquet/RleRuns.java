package edu.dsc650.parquet;

import java.io.ByteArrayOutputStream;

/**
 * Parquet's RLE/bit-packed hybrid encoding, written as RLE runs only: a varint header {@code (run
 * length << 1)}, then the run's value in {@code ceil(bitWidth / 8)} little-endian bytes. Runs are
 * what the replay's columns hold (a ride's rows in a row, nulls in a row), so bit-packing would not
 * make them smaller.
 */
public final class RleRuns {
  private RleRuns() {}

  /**
   * Definition levels of rows [from, to) as a v1 data page holds them: a 4-byte length, then the
   * runs.
   */
  public static byte[] v1DefinitionLevels(boolean[] present, int from, int to) {
    byte[] runs = encode(present, from, to);
    return java.nio.ByteBuffer.allocate(4 + runs.length)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .putInt(runs.length)
        .put(runs)
        .array();
  }

  /** Definition levels of width 1 (1 = value, 0 = null) of rows [from, to). */
  public static byte[] encode(boolean[] present, int from, int to) {
    ByteArrayOutputStream runs = new ByteArrayOutputStream();
    int i = from;
    while (i < to) {
      int end = i;
      while (end < to && present[end] == present[i]) {
        end++;
      }
      run(runs, end - i, present[i] ? 1 : 0, 1);
      i = end;
    }
    return runs.toByteArray();
  }

  /** The values of the present rows of [from, to), each {@code bitWidth} bits wide. */
  public static byte[] encode(int[] values, boolean[] present, int from, int to, int bitWidth) {
    ByteArrayOutputStream runs = new ByteArrayOutputStream();
    int i = from;
    while (i < to) {
      if (!present[i]) {
        i++;
        continue;
      }
      int value = values[i];
      int count = 0;
      while (i < to && (!present[i] || values[i] == value)) {
        count += present[i] ? 1 : 0;
        i++;
      }
      run(runs, count, value, bitWidth);
    }
    return runs.toByteArray();
  }

  private static void run(ByteArrayOutputStream out, int count, int value, int bitWidth) {
    int header = count << 1;
    while ((header & ~0x7F) != 0) {
      out.write((header & 0x7F) | 0x80);
      header >>>= 7;
    }
    out.write(header);
    for (int b = 0; b < (bitWidth + 7) / 8; b++) {
      out.write(value >>> (8 * b));
    }
  }
}
