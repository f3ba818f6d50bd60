package edu.dsc650.parquet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.Type;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Writes a new optional 8-byte column chunk into a parquet file being assembled in memory: what the
 * replay needs for {@code timestamp} (and for a float {@code offset} widened to a double). Not
 * thread-safe: its {@link Codecs} are not.
 */
public final class OptionalLongColumnWriter {
  private static final int PAGE_ROWS = 20_000;

  private final Codecs codecs;

  public OptionalLongColumnWriter(Codecs codecs) {
    this.codecs = codecs;
  }

  /**
   * Writes an optional 8-byte column chunk (INT64, or DOUBLE given as the bits of each double): v1
   * data pages, RLE definition levels, PLAIN values; {@link Long#MIN_VALUE} marks a null. Min/max
   * statistics only for INT64: a double's bits do not sort like the double.
   */
  public ColumnChunk write(
      long[] values, Type type, String name, CompressionCodecName codec, Positioned out)
      throws IOException {
    boolean withMinMax = type == Type.INT64;
    long start = out.position();
    long uncompressedTotal = 0;
    long nulls = 0;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    int from = 0;
    do {
      int to = Math.min(values.length, from + PAGE_ROWS);
      ByteBuffer plain = ByteBuffer.allocate(8 * (to - from)).order(ByteOrder.LITTLE_ENDIAN);
      long pageNulls = 0;
      long pageMin = Long.MAX_VALUE;
      long pageMax = Long.MIN_VALUE;
      for (int i = from; i < to; i++) {
        if (values[i] == Long.MIN_VALUE) {
          pageNulls++;
        } else {
          plain.putLong(values[i]);
          pageMin = Math.min(pageMin, values[i]);
          pageMax = Math.max(pageMax, values[i]);
        }
      }
      byte[] raw = concat(definitionLevels(values, from, to), plain);
      byte[] compressed = codecs.compress(codec, raw);

      uncompressedTotal +=
          writePage(
              to - from,
              statistics(pageNulls, pageMin, pageMax, withMinMax),
              raw.length,
              compressed,
              out);
      nulls += pageNulls;
      min = Math.min(min, pageMin);
      max = Math.max(max, pageMax);
      from = to;
    } while (from < values.length);

    ColumnMetaData meta =
        new ColumnMetaData(
            type,
            List.of(
                org.apache.parquet.format.Encoding.PLAIN,
                org.apache.parquet.format.Encoding.RLE,
                org.apache.parquet.format.Encoding.BIT_PACKED),
            List.of(name),
            codec.getParquetCompressionCodec(),
            values.length,
            uncompressedTotal,
            out.position() - start,
            start);
    meta.setStatistics(statistics(nulls, min, max, withMinMax));
    ColumnChunk chunk = new ColumnChunk(start);
    chunk.setMeta_data(meta);
    return chunk;
  }

  /**
   * Writes a v1 data page (its header, then its compressed bytes); returns its uncompressed size,
   * header included.
   */
  private static long writePage(
      int rows,
      org.apache.parquet.format.Statistics stats,
      int rawLength,
      byte[] compressed,
      Positioned out)
      throws IOException {
    DataPageHeader data =
        new DataPageHeader(
            rows,
            org.apache.parquet.format.Encoding.PLAIN,
            org.apache.parquet.format.Encoding.RLE,
            org.apache.parquet.format.Encoding.BIT_PACKED);
    data.setStatistics(stats);
    PageHeader header = new PageHeader(PageType.DATA_PAGE, rawLength, compressed.length);
    header.setData_page_header(data);
    long headerStart = out.position();
    Util.writePageHeader(header, out);
    long written = out.position() - headerStart + rawLength;
    out.write(compressed);
    return written;
  }

  private static org.apache.parquet.format.Statistics statistics(
      long nulls, long min, long max, boolean withMinMax) {
    org.apache.parquet.format.Statistics stats = new org.apache.parquet.format.Statistics();
    stats.setNull_count(nulls);
    if (withMinMax && min <= max) { // min > max: no value at all
      stats.setMin_value(littleEndian(min));
      stats.setMax_value(littleEndian(max));
    }
    return stats;
  }

  /** A v1 page's bytes: its definition levels, then its values. */
  private static byte[] concat(byte[] levels, ByteBuffer plain) {
    byte[] raw = new byte[levels.length + plain.position()];
    System.arraycopy(levels, 0, raw, 0, levels.length);
    System.arraycopy(plain.array(), 0, raw, levels.length, plain.position());
    return raw;
  }

  private static byte[] littleEndian(long value) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
  }

  /** Definition levels (1 = value, 0 = null) behind the 4-byte length that v1 data pages carry. */
  public static byte[] definitionLevels(long[] values, int from, int to) {
    boolean[] present = new boolean[values.length];
    for (int i = from; i < to; i++) {
      present[i] = values[i] != Long.MIN_VALUE;
    }
    return RleRuns.v1DefinitionLevels(present, from, to);
  }
}
