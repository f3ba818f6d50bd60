package edu.dsc650.replay;

import edu.dsc650.io.HadoopConf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.impl.ColumnReaderImpl;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ColumnPath;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Writes parquet files whose rows equal the source rows except for {@code timestamp}, which becomes
 * start + offset. Only {@code offset} is decoded; every other column chunk is copied byte for byte
 * (or, with a different compression, page by page), so values, types and row order cannot change.
 *
 * <p>Not thread-safe: use one instance per thread (it holds codec state).
 */
public final class TimestampRewriter {
  private static final int ROW_GROUP_SIZE = 128 * 1024 * 1024;
  private static final int PAGE_ROWS = 20_000;
  private static final ColumnPath TIMESTAMP_PATH = ColumnPath.get(ReplaySchema.TIMESTAMP);
  private static final PrimitiveConverter IGNORE = new PrimitiveConverter() {};

  private final CompressionCodecName compression;
  private final CodecFactory codecs = new CodecFactory(HadoopConf.shared(), 1024 * 1024);
  private final ParquetReadOptions readOptions =
      ParquetReadOptions.builder().withCodecFactory(codecs).build();

  /** @param compression the codec of every output column, or null to keep each column's codec */
  public TimestampRewriter(CompressionCodecName compression) {
    this.compression = compression;
  }

  /** Opens a source file with this rewriter's shared codecs (no per-file Hadoop configuration). */
  public ParquetFileReader open(InputFile source) throws IOException {
    return ParquetFileReader.open(source, readOptions);
  }

  /**
   * Writes the rows of all sources, in order, to one new file.
   *
   * @return the number of rows written
   */
  public long rewrite(List<InputFile> sources, OutputFile target, long startMicros) throws IOException {
    ParquetFileWriter writer = null;
    MessageType outSchema = null;
    Map<String, String> keyValues = new HashMap<>();
    long rows = 0;
    for (InputFile source : sources) {
      try (ParquetFileReader reader = open(source);
           SeekableInputStream raw = source.newStream()) {
        MessageType schema = reader.getFooter().getFileMetaData().getSchema();
        String problem = ReplaySchema.problemWith(schema);
        if (problem != null) {
          throw new IOException("the file " + problem);
        }
        MessageType rewritten = ReplaySchema.rewritten(schema);
        if (writer == null) {
          outSchema = rewritten;
          writer = new ParquetFileWriter(target, outSchema, ParquetFileWriter.Mode.CREATE,
              ROW_GROUP_SIZE, 0, 64, Integer.MAX_VALUE, false);
          writer.start();
          keyValues.putAll(reader.getFooter().getFileMetaData().getKeyValueMetaData());
        } else if (!outSchema.equals(rewritten)) {
          throw new IOException("its schema differs from the first file of the same output:\n"
              + rewritten + "\nexpected:\n" + outSchema);
        }
        // Page data is only needed for offset, unless every column is re-compressed.
        reader.setRequestedSchema(compression == null ? offsetOnly(schema) : schema);
        for (BlockMetaData block : reader.getRowGroups()) {
          PageReadStore pages = reader.readNextRowGroup();
          rows += copyRowGroup(reader, raw, block, pages, schema, outSchema, writer, startMicros);
        }
      }
    }
    if (writer == null) {
      throw new IOException("no source files to write " + target.getPath());
    }
    writer.end(keyValues);
    return rows;
  }

  private long copyRowGroup(ParquetFileReader reader, SeekableInputStream raw, BlockMetaData block,
      PageReadStore pages, MessageType schema, MessageType outSchema, ParquetFileWriter writer,
      long startMicros) throws IOException {
    long rowCount = block.getRowCount();
    ColumnDescriptor offsetColumn = schema.getColumnDescription(new String[] {ReplaySchema.OFFSET});
    Map<ColumnPath, ColumnChunkMetaData> chunks = new HashMap<>();
    for (ColumnChunkMetaData chunk : block.getColumns()) {
      chunks.put(chunk.getPath(), chunk);
    }
    long[] timestamps = timestamps(offsetColumn, pages.getPageReader(offsetColumn), rowCount,
        reader.getFooter().getFileMetaData().getCreatedBy(), startMicros);

    writer.startBlock(rowCount);
    for (ColumnDescriptor column : outSchema.getColumns()) {
      ColumnPath path = ColumnPath.get(column.getPath());
      if (path.equals(TIMESTAMP_PATH)) {
        CompressionCodecName codec = compression != null ? compression
            : chunks.getOrDefault(path, chunks.get(ColumnPath.get(ReplaySchema.OFFSET))).getCodec();
        writeTimestamps(writer, column, timestamps, codecs.getCompressor(codec), codec);
      } else if (compression == null) {
        ColumnChunkMetaData chunk = chunks.get(path);
        writer.appendColumnChunk(column, raw, chunk, null,
            reader.readColumnIndex(chunk), reader.readOffsetIndex(chunk));
      } else {
        recompress(writer, column, pages.getPageReader(column), codecs.getCompressor(compression));
      }
    }
    writer.endBlock();
    return rowCount;
  }

  private static MessageType offsetOnly(MessageType schema) {
    return new MessageType(schema.getName(), schema.getType(ReplaySchema.OFFSET));
  }

  /** The new timestamp of every row of a row group; {@link Long#MIN_VALUE} marks a null offset. */
  private static long[] timestamps(ColumnDescriptor offsetColumn, PageReader pages, long rowCount,
      String createdBy, long startMicros) {
    long[] out = new long[Math.toIntExact(rowCount)];
    ColumnReaderImpl column = new ColumnReaderImpl(offsetColumn, pages, IGNORE, null);
    boolean isDouble = offsetColumn.getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.DOUBLE;
    int maxDefinition = offsetColumn.getMaxDefinitionLevel();
    for (int row = 0; row < out.length; row++) {
      if (column.getCurrentDefinitionLevel() == maxDefinition) {
        double offset = isDouble ? column.getDouble() : column.getFloat();
        out[row] = Double.isFinite(offset) ? ReplaySchema.timestampMicros(startMicros, offset) : Long.MIN_VALUE;
      } else {
        out[row] = Long.MIN_VALUE;
      }
      column.consume();
    }
    return out;
  }

  /** Writes an optional INT64 column chunk: v1 data pages, RLE definition levels, PLAIN values. */
  private static void writeTimestamps(ParquetFileWriter writer, ColumnDescriptor column, long[] values,
      BytesInputCompressor compressor, CompressionCodecName codec) throws IOException {
    writer.startColumn(column, values.length, codec);
    for (int from = 0; from < values.length || from == 0; from += PAGE_ROWS) {
      int to = Math.min(values.length, from + PAGE_ROWS);
      Statistics<?> stats = Statistics.createStats(column.getPrimitiveType());
      ByteBuffer plain = ByteBuffer.allocate(8 * (to - from)).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = from; i < to; i++) {
        if (values[i] == Long.MIN_VALUE) {
          stats.incrementNumNulls();
        } else {
          plain.putLong(values[i]);
          stats.updateStats(values[i]);
        }
      }
      BytesInput page = BytesInput.concat(
          BytesInput.from(definitionLevels(values, from, to)),
          BytesInput.from(plain.array(), 0, plain.position()));
      writer.writeDataPage(to - from, Math.toIntExact(page.size()), compressor.compress(page), stats,
          to - from, Encoding.BIT_PACKED, Encoding.RLE, Encoding.PLAIN);
      if (to == values.length) {
        break;
      }
    }
    writer.endColumn();
  }

  /**
   * Definition levels (1 = value, 0 = null) in the RLE/bit-packed hybrid encoding with bit width 1,
   * as RLE runs only, behind the 4-byte length that v1 data pages carry.
   */
  static byte[] definitionLevels(long[] values, int from, int to) {
    ByteArrayOutputStream runs = new ByteArrayOutputStream();
    int i = from;
    while (i < to) {
      boolean present = values[i] != Long.MIN_VALUE;
      int end = i;
      while (end < to && (values[end] != Long.MIN_VALUE) == present) {
        end++;
      }
      writeUnsignedVarInt(runs, (end - i) << 1);
      runs.write(present ? 1 : 0);
      i = end;
    }
    byte[] body = runs.toByteArray();
    ByteBuffer out = ByteBuffer.allocate(4 + body.length).order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(body.length).put(body);
    return out.array();
  }

  private static void writeUnsignedVarInt(ByteArrayOutputStream out, int value) {
    while ((value & ~0x7F) != 0) {
      out.write((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out.write(value);
  }

  /** Copies a column chunk page by page, with the pages' encodings, under another codec. */
  private static void recompress(ParquetFileWriter writer, ColumnDescriptor column, PageReader pages,
      BytesInputCompressor compressor) throws IOException {
    writer.startColumn(column, pages.getTotalValueCount(), compressor.getCodecName());
    DictionaryPage dictionary = pages.readDictionaryPage();
    if (dictionary != null) {
      writer.writeDictionaryPage(new DictionaryPage(compressor.compress(dictionary.getBytes()),
          dictionary.getUncompressedSize(), dictionary.getDictionarySize(), dictionary.getEncoding()));
    }
    for (DataPage page = pages.readPage(); page != null; page = pages.readPage()) {
      if (page instanceof DataPageV1 v1) {
        BytesInput bytes = BytesInput.copy(v1.getBytes());
        writer.writeDataPage(v1.getValueCount(), Math.toIntExact(bytes.size()), compressor.compress(bytes),
            v1.getStatistics(), v1.getIndexRowCount().orElse(v1.getValueCount()),
            v1.getRlEncoding(), v1.getDlEncoding(), v1.getValueEncoding());
      } else {
        DataPageV2 v2 = (DataPageV2) page;
        BytesInput data = BytesInput.copy(v2.getData());
        writer.writeDataPageV2(v2.getRowCount(), v2.getNullCount(), v2.getValueCount(),
            v2.getRepetitionLevels(), v2.getDefinitionLevels(), v2.getDataEncoding(),
            compressor.compress(data), Math.toIntExact(data.size()), v2.getStatistics());
      }
    }
    writer.endColumn();
  }

  static List<String> codecNames() {
    return Arrays.stream(CompressionCodecName.values()).map(c -> c.name().toLowerCase()).toList();
  }
}
