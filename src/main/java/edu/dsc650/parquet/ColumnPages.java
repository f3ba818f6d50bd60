package edu.dsc650.parquet;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.impl.ColumnReaderImpl;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.DataPageHeaderV2;
import org.apache.parquet.format.DictionaryPageHeader;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * Decodes the column chunks of a parquet file held in memory: pages decompressed and handed to
 * parquet-mr's column reader, which knows every encoding. Skipping parquet-mr's file reader avoids
 * its per-file setup (Hadoop streams, metadata conversion), which costs more than the values of a
 * file of a few kilobytes.
 *
 * <p>Not thread-safe: use one instance per thread (its {@link Codecs} are).
 */
public final class ColumnPages {
  private static final PrimitiveConverter IGNORE = new PrimitiveConverter() {};
  private static final Statistics<?> NO_STATS =
      Statistics.getBuilderForReading(Types.optional(PrimitiveTypeName.DOUBLE).named("unused"))
          .build();

  private final Codecs codecs;

  public ColumnPages(Codecs codecs) {
    this.codecs = codecs;
  }

  /**
   * A reader of one column chunk's values. The caller reads {@code getTotalValueCount()} values,
   * checking each one's definition level against the column's maximum (lower means null).
   */
  public ColumnReaderImpl reader(byte[] file, ColumnMetaData chunk, ColumnDescriptor column)
      throws IOException {
    return new ColumnReaderImpl(column, pages(file, chunk), IGNORE, null);
  }

  /** The pages of a chunk, decompressed. */
  public PageReader pages(byte[] file, ColumnMetaData chunk) throws IOException {
    CompressionCodecName codec = CompressionCodecName.fromParquet(chunk.getCodec());
    DictionaryPage dictionary = null;
    Deque<DataPage> data = new ArrayDeque<>();
    for (ParquetBytes.Page page : ParquetBytes.pages(file, chunk)) {
      PageHeader h = page.header();
      switch (h.getType()) {
        case DICTIONARY_PAGE -> {
          DictionaryPageHeader d = h.getDictionary_page_header();
          dictionary =
              new DictionaryPage(
                  BytesInput.from(decompressed(codec, file, page)),
                  d.getNum_values(),
                  encoding(d.getEncoding()));
        }
        case DATA_PAGE -> {
          DataPageHeader d = h.getData_page_header();
          data.add(
              new DataPageV1(
                  BytesInput.from(decompressed(codec, file, page)),
                  d.getNum_values(),
                  h.getUncompressed_page_size(),
                  NO_STATS,
                  encoding(d.getRepetition_level_encoding()),
                  encoding(d.getDefinition_level_encoding()),
                  encoding(d.getEncoding())));
        }
        case DATA_PAGE_V2 -> {
          DataPageHeaderV2 d = h.getData_page_header_v2();
          int rl = d.getRepetition_levels_byte_length();
          int dl = d.getDefinition_levels_byte_length();
          int at = page.dataOffset();
          data.add(
              DataPageV2.uncompressed(
                  d.getNum_rows(),
                  d.getNum_nulls(),
                  d.getNum_values(),
                  BytesInput.from(Codecs.slice(file, at, rl)),
                  BytesInput.from(Codecs.slice(file, at + rl, dl)),
                  encoding(d.getEncoding()),
                  BytesInput.from(v2Values(codec, file, page)),
                  NO_STATS));
        }
        default -> {} // index pages carry no values
      }
    }
    return reader(dictionary, chunk.getNum_values(), data);
  }

  /** A page's data, decompressed whole (v1 pages and dictionaries). */
  private byte[] decompressed(CompressionCodecName codec, byte[] file, ParquetBytes.Page page)
      throws IOException {
    return codecs.decompress(
        codec,
        file,
        page.dataOffset(),
        page.dataLength(),
        page.header().getUncompressed_page_size());
  }

  private static PageReader reader(DictionaryPage dict, long total, Deque<DataPage> data) {
    return new PageReader() {
      @Override
      public DictionaryPage readDictionaryPage() {
        return dict;
      }

      @Override
      public long getTotalValueCount() {
        return total;
      }

      @Override
      public DataPage readPage() {
        return data.poll();
      }
    };
  }

  /**
   * The values of a v2 data page, decompressed. In v2 pages only the values are compressed (if at
   * all); the repetition and definition levels before them never are.
   */
  public byte[] v2Values(CompressionCodecName codec, byte[] file, ParquetBytes.Page page)
      throws IOException {
    PageHeader h = page.header();
    DataPageHeaderV2 d = h.getData_page_header_v2();
    int levels = d.getRepetition_levels_byte_length() + d.getDefinition_levels_byte_length();
    int at = page.dataOffset() + levels;
    int length = page.dataLength() - levels;
    return d.isIs_compressed()
        ? codecs.decompress(codec, file, at, length, h.getUncompressed_page_size() - levels)
        : Codecs.slice(file, at, length);
  }

  private static Encoding encoding(org.apache.parquet.format.Encoding encoding) {
    return Encoding.valueOf(encoding.name());
  }
}
