package edu.dsc650.io;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
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
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputDecompressor;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.DataPageHeaderV2;
import org.apache.parquet.format.DictionaryPageHeader;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.hadoop.CodecFactory;
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
 * <p>Not thread-safe: use one instance per thread (it keeps one decompressor per codec).
 */
public final class ColumnPages {
  private static final PrimitiveConverter IGNORE = new PrimitiveConverter() {};
  private static final Statistics<?> NO_STATS =
      Statistics.getBuilderForReading(Types.optional(PrimitiveTypeName.DOUBLE).named("unused")).build();

  // The page size only sizes the decompressors' first buffers; they grow for bigger pages.
  private final CodecFactory codecs = new CodecFactory(HadoopConf.shared(), 64 * 1024);
  // CodecFactory makes a new decompressor on every call: keep one per codec.
  private final Map<CompressionCodecName, BytesInputDecompressor> decompressors = new EnumMap<>(CompressionCodecName.class);

  /**
   * A reader of one column chunk's values. The caller reads {@code getTotalValueCount()} values,
   * checking each one's definition level against the column's maximum (lower means null).
   */
  public ColumnReaderImpl reader(byte[] file, ColumnMetaData chunk, ColumnDescriptor column) throws IOException {
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
          dictionary = new DictionaryPage(BytesInput.from(decompress(codec, file, page.dataOffset(),
              page.dataLength(), h.getUncompressed_page_size())), d.getNum_values(), encoding(d.getEncoding()));
        }
        case DATA_PAGE -> {
          DataPageHeader d = h.getData_page_header();
          data.add(new DataPageV1(BytesInput.from(decompress(codec, file, page.dataOffset(),
              page.dataLength(), h.getUncompressed_page_size())), d.getNum_values(),
              h.getUncompressed_page_size(), NO_STATS, encoding(d.getRepetition_level_encoding()),
              encoding(d.getDefinition_level_encoding()), encoding(d.getEncoding())));
        }
        case DATA_PAGE_V2 -> {
          DataPageHeaderV2 d = h.getData_page_header_v2();
          int rl = d.getRepetition_levels_byte_length();
          int dl = d.getDefinition_levels_byte_length();
          int at = page.dataOffset();
          byte[] values = d.isIs_compressed()
              ? decompress(codec, file, at + rl + dl, page.dataLength() - rl - dl, h.getUncompressed_page_size() - rl - dl)
              : slice(file, at + rl + dl, page.dataLength() - rl - dl);
          data.add(DataPageV2.uncompressed(d.getNum_rows(), d.getNum_nulls(), d.getNum_values(),
              BytesInput.from(slice(file, at, rl)), BytesInput.from(slice(file, at + rl, dl)),
              encoding(d.getEncoding()), BytesInput.from(values), NO_STATS));
        }
        default -> { } // index pages carry no values
      }
    }
    DictionaryPage dict = dictionary;
    long total = chunk.getNum_values();
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

  /** The decompressed bytes of a page (a copy when the page is not compressed). */
  public byte[] decompress(CompressionCodecName codec, byte[] file, int offset, int length, int uncompressedSize)
      throws IOException {
    if (codec == CompressionCodecName.UNCOMPRESSED) {
      return slice(file, offset, length);
    }
    BytesInputDecompressor d = decompressors.computeIfAbsent(codec, codecs::getDecompressor);
    return d.decompress(BytesInput.from(file, offset, length), uncompressedSize).toByteArray();
  }

  public static byte[] slice(byte[] file, int offset, int length) {
    byte[] out = new byte[length];
    System.arraycopy(file, offset, out, 0, length);
    return out;
  }

  private static Encoding encoding(org.apache.parquet.format.Encoding encoding) {
    return Encoding.valueOf(encoding.name());
  }
}
