package edu.dsc650.parquet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.DictionaryPageHeader;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.Statistics;
import org.apache.parquet.format.Type;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Writes a new string (BYTE_ARRAY) column chunk into a parquet file being assembled in memory,
 * dictionary encoded: what {@code --scale} needs for the ride keys of a copy, whose values repeat
 * row after row (one ride per source file). A dictionary page, then v1 data pages of RLE-encoded
 * dictionary indices, as parquet-mr's v1 writer lays them out. Not thread-safe: its {@link Codecs}
 * are not.
 */
public final class DictionaryStringColumnWriter {
  private static final int PAGE_ROWS = 20_000;

  private final Codecs codecs;

  public DictionaryStringColumnWriter(Codecs codecs) {
    this.codecs = codecs;
  }

  /**
   * @param values one per row; null is a null (only in an optional column)
   * @param optional whether the column has definition levels (its schema says OPTIONAL)
   */
  public ColumnChunk write(
      String[] values, boolean optional, String name, CompressionCodecName codec, Positioned out)
      throws IOException {
    Map<String, Integer> ids = new HashMap<>();
    List<String> dictionary = new ArrayList<>();
    int[] indices = new int[values.length];
    boolean[] present = new boolean[values.length];
    long nulls = 0;
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        if (!optional) {
          throw new IOException("a null in the required column " + name);
        }
        nulls++;
        continue;
      }
      present[i] = true;
      indices[i] =
          ids.computeIfAbsent(
              values[i],
              v -> {
                dictionary.add(v);
                return dictionary.size() - 1;
              });
    }
    long start = out.position();
    long uncompressedTotal = writeDictionary(dictionary, codec, out);
    long dataStart = out.position();
    int bitWidth = 32 - Integer.numberOfLeadingZeros(Math.max(0, dictionary.size() - 1));
    uncompressedTotal += writeDataPages(indices, present, optional, bitWidth, codec, out);

    ColumnMetaData meta =
        new ColumnMetaData(
            Type.BYTE_ARRAY,
            List.of(Encoding.PLAIN_DICTIONARY, Encoding.RLE),
            List.of(name),
            codec.getParquetCompressionCodec(),
            values.length,
            uncompressedTotal,
            out.position() - start,
            dataStart);
    meta.setDictionary_page_offset(start);
    // no min/max: readers then never skip a row group by the column, which is always right
    meta.setStatistics(nullCount(nulls));
    ColumnChunk chunk = new ColumnChunk(start);
    chunk.setMeta_data(meta);
    return chunk;
  }

  /** Writes the data pages (dictionary indices); returns their uncompressed size. */
  private long writeDataPages(
      int[] indices,
      boolean[] present,
      boolean optional,
      int bitWidth,
      CompressionCodecName codec,
      Positioned out)
      throws IOException {
    long written = 0;
    int from = 0;
    do {
      int to = Math.min(indices.length, from + PAGE_ROWS);
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      if (optional) {
        raw.write(RleRuns.v1DefinitionLevels(present, from, to));
      }
      raw.write(
          bitWidth); // v1 dictionary indices: the bit width, then the runs, no length before them
      raw.write(RleRuns.encode(indices, present, from, to, bitWidth));
      byte[] compressed = codecs.compress(codec, raw.toByteArray());
      DataPageHeader data =
          new DataPageHeader(to - from, Encoding.PLAIN_DICTIONARY, Encoding.RLE, Encoding.RLE);
      data.setStatistics(nullCount(countNulls(present, from, to)));
      PageHeader header = new PageHeader(PageType.DATA_PAGE, raw.size(), compressed.length);
      header.setData_page_header(data);
      long headerStart = out.position();
      Util.writePageHeader(header, out);
      written += out.position() - headerStart + raw.size();
      out.write(compressed);
      from = to;
    } while (from < indices.length);
    return written;
  }

  /**
   * Writes the dictionary page (PLAIN: each value's 4-byte length, then its bytes); returns its
   * size.
   */
  private long writeDictionary(List<String> dictionary, CompressionCodecName codec, Positioned out)
      throws IOException {
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    for (String value : dictionary) {
      byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
      plain.write(
          ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.length).array());
      plain.write(bytes);
    }
    byte[] compressed = codecs.compress(codec, plain.toByteArray());
    PageHeader header = new PageHeader(PageType.DICTIONARY_PAGE, plain.size(), compressed.length);
    header.setDictionary_page_header(
        new DictionaryPageHeader(dictionary.size(), Encoding.PLAIN_DICTIONARY));
    long headerStart = out.position();
    Util.writePageHeader(header, out);
    long size = out.position() - headerStart + plain.size();
    out.write(compressed);
    return size;
  }

  private static long countNulls(boolean[] present, int from, int to) {
    long n = 0;
    for (int i = from; i < to; i++) {
      n += present[i] ? 0 : 1;
    }
    return n;
  }

  private static Statistics nullCount(long nulls) {
    Statistics stats = new Statistics();
    stats.setNull_count(nulls);
    return stats;
  }
}
