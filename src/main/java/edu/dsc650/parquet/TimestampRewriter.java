package edu.dsc650.parquet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.impl.ColumnReaderImpl;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.ColumnOrder;
import org.apache.parquet.format.DataPageHeaderV2;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.Type;
import org.apache.parquet.format.TypeDefinedOrder;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * Rewrites parquet files so that every row keeps every column and value, in order, except {@code
 * timestamp}, which becomes start + offset. Works on the file's bytes: only the {@code offset}
 * column is decoded, every other column chunk is copied byte for byte (or, with another
 * compression, page by page with its encodings), so values and types cannot change. A copy of the
 * rides ({@code --scale}) also gets new ride keys ({@link CopyKeyColumns}), written as new string
 * columns.
 *
 * <p>Not thread-safe: use one instance per thread (it holds codec state).
 */
public final class TimestampRewriter {
  /**
   * A rewritten file: its first {@code length} bytes of {@code bytes}, and its footer as written
   * (for readers of the bytes that need not parse it again).
   */
  public record Result(byte[] bytes, int length, long rows, FileMetaData footer) {}

  private final CompressionCodecName compression;
  private final Codecs codecs = new Codecs();
  private final ColumnPages pages = new ColumnPages(codecs);
  private final OptionalLongColumnWriter columns = new OptionalLongColumnWriter(codecs);
  private final CopyKeyColumns copyKeys;

  /** The output buffer, reused: a new one per file was a large share of what a replay allocates. */
  private final Positioned out = new Positioned(64 * 1024);

  /** The sources' row groups rewritten once, for every copy to take its chunks from. */
  private final Positioned scratch = new Positioned(64 * 1024);

  /**
   * @param codec the codec of every output column, or {@link OutputCodec#source} to keep each
   *     column's
   * @param copyNames the key of a ride's copy (for {@code --scale})
   */
  public TimestampRewriter(OutputCodec codec, CopyKeyColumns.Names copyNames) {
    this.compression = codec.codec;
    this.copyKeys = new CopyKeyColumns(copyNames, pages, new DictionaryStringColumnWriter(codecs));
  }

  /** A rewriter that keeps each column's codec and cannot name copies: for reading offsets. */
  public static TimestampRewriter forOffsets() {
    return new TimestampRewriter(
        OutputCodec.source,
        (original, copy) -> {
          throw new IllegalStateException("not a rewriter of copies");
        });
  }

  /**
   * Rewrites copies {@code firstCopy} to {@code firstCopy + copies - 1} of the rides of one or more
   * whole files into one new file: for each copy in turn, every source's rows in order.
   */
  public Result rewrite(List<ParquetFile> sources, int firstCopy, int copies, long startMicros)
      throws IOException {
    if (copies < 1) {
      throw new IllegalArgumentException("copies " + copies);
    }
    Prepared prepared = prepare(sources, startMicros, firstCopy + copies > 1);
    return assemble(prepared, firstCopy, copies);
  }

  /** Receives each file of {@link #rewriteEach}; its bytes are valid during the call only. */
  public interface ResultSink {
    void accept(int copy, Result result) throws IOException;
  }

  /**
   * Rewrites copies 0 to {@code copies - 1} of the rides of the sources, each copy into a file of
   * its own, handed to {@code sink} in turn. The sources are decoded once for all copies.
   */
  public void rewriteEach(List<ParquetFile> sources, int copies, long startMicros, ResultSink sink)
      throws IOException {
    Prepared prepared = prepare(sources, startMicros, copies > 1);
    for (int copy = 0; copy < copies; copy++) {
      sink.accept(copy, assemble(prepared, copy, 1));
    }
  }

  /**
   * A source row group rewritten once (copy 0, its chunks in {@link #scratch}), and the original
   * ride keys a copy renames, one array of row values per {@link ReplaySchema.Layout#rideKeys()}.
   */
  private record Template(ReplaySchema.Layout layout, RowGroup written, String[][] keys) {}

  /** The sources rewritten once, and what the output's footer takes from the first of them. */
  private record Prepared(
      List<Template> groups,
      FileMetaData first,
      List<SchemaElement> schema,
      ReplaySchema.Layout firstLayout) {}

  private Prepared prepare(List<ParquetFile> sources, long startMicros, boolean withKeys)
      throws IOException {
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("no source files");
    }
    scratch.reset();
    ParquetBytes.writeMagic(scratch); // chunks never start at 0, as in a file
    FileMetaData first = null;
    List<SchemaElement> schema = null;
    ReplaySchema.Layout firstLayout = null;
    List<Template> groups = new ArrayList<>();
    for (ParquetFile contents : sources) {
      FileMetaData meta = contents.footer();
      ReplaySchema.Layout layout = ReplaySchema.layout(meta.getSchema());
      List<SchemaElement> rewritten = ReplaySchema.rewritten(meta.getSchema(), layout);
      if (first == null) {
        first = meta;
        schema = rewritten;
        firstLayout = layout;
      } else if (!schema.equals(rewritten)) {
        throw new IOException(
            "its schema differs from that of the first file written to the same output");
      }
      for (RowGroup group : meta.getRow_groups()) {
        RowGroup written = copyRowGroup(contents.bytes(), group, layout, startMicros, scratch);
        String[][] keys = withKeys ? copyKeys.read(contents.bytes(), group, layout) : null;
        groups.add(new Template(layout, written, keys));
      }
    }
    scratch.write(new byte[8]); // and never end in the last 8 bytes
    return new Prepared(groups, first, schema, firstLayout);
  }

  /** One output file in {@link #out}: the prepared row groups for each copy in turn. */
  private Result assemble(Prepared prepared, int firstCopy, int copies) throws IOException {
    out.reset();
    ParquetBytes.writeMagic(out);
    List<RowGroup> rowGroups = new ArrayList<>();
    long rows = 0;
    for (int copy = firstCopy; copy < firstCopy + copies; copy++) {
      for (Template template : prepared.groups()) {
        RowGroup written = placeRowGroup(template, copy);
        if (rowGroups.size() <= Short.MAX_VALUE) { // the ordinal is optional, and a short
          written.setOrdinal((short) rowGroups.size());
        }
        rowGroups.add(written);
        rows += written.getNum_rows();
      }
    }
    FileMetaData first = prepared.first();
    FileMetaData footer = new FileMetaData(first.getVersion(), prepared.schema(), rows, rowGroups);
    if (first.isSetKey_value_metadata()) {
      footer.setKey_value_metadata(first.getKey_value_metadata());
    }
    // The copied chunks keep their statistics, so readers must keep judging them by the same
    // writer.
    if (first.isSetCreated_by()) {
      footer.setCreated_by(first.getCreated_by());
    }
    if (first.isSetColumn_orders()) {
      List<ColumnOrder> orders = new ArrayList<>(first.getColumn_orders());
      ColumnOrder typeDefined = ColumnOrder.TYPE_ORDER(new TypeDefinedOrder());
      if (prepared.firstLayout().timestampLeaf() >= 0) {
        orders.set(prepared.firstLayout().timestampLeaf(), typeDefined);
      } else {
        orders.add(typeDefined);
      }
      footer.setColumn_orders(orders);
    }
    ParquetBytes.writeFooter(footer, out);
    return new Result(out.buffer(), (int) out.position(), rows, footer);
  }

  /**
   * Places a prepared row group in {@link #out}: its chunks as they are, a copy's ride keys anew.
   */
  private RowGroup placeRowGroup(Template template, int copy) throws IOException {
    long groupStart = out.position();
    List<ColumnChunk> chunks = template.written().getColumns();
    List<ColumnChunk> written = new ArrayList<>(chunks.size());
    long uncompressed = 0;
    for (int leaf = 0; leaf < chunks.size(); leaf++) {
      ReplaySchema.RideKey rideKey = copy > 0 ? template.layout().rideKey(leaf) : null;
      ColumnChunk chunk =
          rideKey == null
              ? copyChunk(scratch.buffer(), chunks.get(leaf), out)
              : copyKeys.write(
                  template.keys()[template.layout().rideKeys().indexOf(rideKey)],
                  rideKey.element(),
                  copy,
                  CompressionCodecName.fromParquet(chunks.get(leaf).getMeta_data().getCodec()),
                  out);
      written.add(chunk);
      uncompressed += chunk.getMeta_data().getTotal_uncompressed_size();
    }
    RowGroup result = new RowGroup(written, uncompressed, template.written().getNum_rows());
    result.setFile_offset(groupStart);
    result.setTotal_compressed_size(out.position() - groupStart);
    return result;
  }

  /**
   * The smallest and largest finite offset of a file's rows, in seconds ({@code {+inf, -inf}} if it
   * has none): laps must not overlap in event time, and offsets must be in range ({@link
   * ReplaySchema#MAX_OFFSET_SECONDS}).
   */
  public double[] offsetRange(ParquetFile file) throws IOException {
    ReplaySchema.Layout layout = ReplaySchema.layout(file.footer().getSchema());
    double[] range = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    for (RowGroup group : file.footer().getRow_groups()) {
      ColumnMetaData chunk = group.getColumns().get(layout.offsetLeaf()).getMeta_data();
      ColumnReaderImpl reader =
          offsetReader(file.bytes(), chunk, layout.offset(), group.getNum_rows());
      boolean isDouble = layout.offset().getType() == Type.DOUBLE;
      int defined = reader.getDescriptor().getMaxDefinitionLevel();
      for (long row = 0; row < group.getNum_rows(); row++) {
        if (reader.getCurrentDefinitionLevel() == defined) {
          double value = isDouble ? reader.getDouble() : reader.getFloat();
          if (Double.isFinite(value)) { // NaN and infinities are no time: the row's is null
            range[0] = Math.min(range[0], value);
            range[1] = Math.max(range[1], value);
          }
        }
        reader.consume();
      }
    }
    return range;
  }

  private RowGroup copyRowGroup(
      byte[] source, RowGroup group, ReplaySchema.Layout layout, long startMicros, Positioned out)
      throws IOException {
    long groupStart = out.position();
    List<ColumnChunk> chunks = group.getColumns();
    if (chunks.size() != layout.leaves()) {
      throw new IOException(
          "a row group has "
              + chunks.size()
              + " column chunks for "
              + layout.leaves()
              + " columns");
    }
    ColumnMetaData offsets = chunks.get(layout.offsetLeaf()).getMeta_data();
    boolean widen = layout.offset().getType() == Type.FLOAT;
    long[] widened = widen ? new long[Math.toIntExact(group.getNum_rows())] : null;
    long[] timestamps =
        timestamps(source, offsets, layout.offset(), group.getNum_rows(), startMicros, widened);
    // a new timestamp column takes the codec of the one it replaces, else that of offset
    CompressionCodecName tsCodec =
        codecOf(
            chunks.get(layout.timestampLeaf() >= 0 ? layout.timestampLeaf() : layout.offsetLeaf()));

    List<ColumnChunk> written = new ArrayList<>(chunks.size() + 1);
    for (int leaf = 0; leaf < chunks.size(); leaf++) {
      if (leaf == layout.timestampLeaf()) {
        written.add(writeTimestamps(timestamps, tsCodec, out));
      } else if (leaf == layout.offsetLeaf() && widen) {
        written.add(
            columns.write(
                widened, Type.DOUBLE, ReplaySchema.OFFSET, codecOf(chunks.get(leaf)), out));
      } else if (compression == null) {
        written.add(copyChunk(source, chunks.get(leaf), out));
      } else {
        written.add(recompressChunk(source, chunks.get(leaf), out));
      }
    }
    if (layout.timestampLeaf() < 0) {
      written.add(writeTimestamps(timestamps, tsCodec, out));
    }
    long uncompressed = 0;
    for (ColumnChunk c : written) {
      uncompressed += c.getMeta_data().getTotal_uncompressed_size();
    }
    RowGroup result = new RowGroup(written, uncompressed, group.getNum_rows());
    result.setFile_offset(groupStart);
    result.setTotal_compressed_size(out.position() - groupStart);
    return result;
  }

  /** Copies a column chunk's bytes as they are and moves its offsets to where they now lie. */
  private static ColumnChunk copyChunk(byte[] source, ColumnChunk chunk, Positioned out)
      throws IOException {
    ColumnChunk copy = chunk.deepCopy();
    ColumnMetaData meta = copy.getMeta_data();
    long start = ParquetBytes.chunkStart(meta);
    if (start < 4 || start + meta.getTotal_compressed_size() > source.length - 8) {
      throw new IOException("column chunk " + meta.getPath_in_schema() + " lies outside the file");
    }
    long shift = out.position() - start;
    out.write(source, (int) start, (int) meta.getTotal_compressed_size());
    meta.setData_page_offset(meta.getData_page_offset() + shift);
    if (meta.isSetDictionary_page_offset()) {
      meta.setDictionary_page_offset(meta.getDictionary_page_offset() + shift);
    }
    if (meta.isSetIndex_page_offset()) {
      meta.setIndex_page_offset(meta.getIndex_page_offset() + shift);
    }
    return withoutIndexes(copy, start + shift);
  }

  /** Page indexes and bloom filters live outside the chunk and are not copied. */
  private static ColumnChunk withoutIndexes(ColumnChunk chunk, long start) {
    chunk.setFile_offset(start);
    chunk.unsetFile_path();
    chunk.unsetOffset_index_offset();
    chunk.unsetOffset_index_length();
    chunk.unsetColumn_index_offset();
    chunk.unsetColumn_index_length();
    chunk.getMeta_data().unsetBloom_filter_offset();
    return chunk;
  }

  /**
   * Copies a column chunk page by page, each page decompressed and compressed with the new codec.
   */
  private ColumnChunk recompressChunk(byte[] source, ColumnChunk chunk, Positioned out)
      throws IOException {
    ColumnChunk copy = chunk.deepCopy();
    ColumnMetaData meta = copy.getMeta_data();
    CompressionCodecName from = CompressionCodecName.fromParquet(meta.getCodec());
    long start = out.position();
    long dataPageOffset = -1;
    long dictionaryOffset = -1;
    for (ParquetBytes.Page page : ParquetBytes.pages(source, meta)) {
      PageHeader header = page.header().deepCopy();
      header.unsetCrc();
      byte[] data =
          switch (header.getType()) {
            case DATA_PAGE_V2 -> {
              DataPageHeaderV2 v2 = header.getData_page_header_v2();
              int levels =
                  v2.getRepetition_levels_byte_length() + v2.getDefinition_levels_byte_length();
              byte[] values = pages.v2Values(from, source, page);
              v2.setIs_compressed(true);
              ByteArrayOutputStream b = new ByteArrayOutputStream();
              b.write(source, page.dataOffset(), levels);
              b.write(codecs.compress(compression, values));
              yield b.toByteArray();
            }
            default ->
                codecs.compress(
                    compression,
                    codecs.decompress(
                        from,
                        source,
                        page.dataOffset(),
                        page.dataLength(),
                        header.getUncompressed_page_size()));
          };
      header.setCompressed_page_size(data.length);
      if (header.getType() == PageType.DICTIONARY_PAGE) {
        dictionaryOffset = out.position();
      } else if (dataPageOffset < 0 && header.getType() != PageType.INDEX_PAGE) {
        dataPageOffset = out.position();
      }
      Util.writePageHeader(header, out);
      out.write(data);
    }
    meta.setCodec(compression.getParquetCompressionCodec());
    meta.setTotal_compressed_size(out.position() - start);
    meta.setData_page_offset(dataPageOffset);
    if (dictionaryOffset >= 0) {
      meta.setDictionary_page_offset(dictionaryOffset);
    } else {
      meta.unsetDictionary_page_offset();
    }
    meta.unsetIndex_page_offset();
    return withoutIndexes(copy, start);
  }

  private CompressionCodecName codecOf(ColumnChunk chunk) {
    return compression != null
        ? compression
        : CompressionCodecName.fromParquet(chunk.getMeta_data().getCodec());
  }

  /**
   * The new timestamp of every row of a row group; {@link Long#MIN_VALUE} marks a null. With {@code
   * widened} given (a float offset column), also each offset as the bits of a double.
   */
  private long[] timestamps(
      byte[] source,
      ColumnMetaData chunk,
      SchemaElement offset,
      long rowCount,
      long startMicros,
      long[] widened)
      throws IOException {
    ColumnReaderImpl reader = offsetReader(source, chunk, offset, rowCount);
    boolean isDouble = offset.getType() == Type.DOUBLE;
    int defined = reader.getDescriptor().getMaxDefinitionLevel();
    long[] out = new long[Math.toIntExact(rowCount)];
    for (int row = 0; row < out.length; row++) {
      if (reader.getCurrentDefinitionLevel() == defined) {
        double value = isDouble ? reader.getDouble() : reader.getFloat();
        out[row] =
            Double.isFinite(value)
                ? ReplaySchema.timestampMicros(startMicros, value)
                : Long.MIN_VALUE;
        if (widened != null) {
          // + 0.0 turns -0.0 into 0.0, whose bits cannot be taken for the null marker
          // (Long.MIN_VALUE)
          widened[row] = Double.doubleToRawLongBits(value + 0.0);
        }
      } else {
        out[row] = Long.MIN_VALUE;
        if (widened != null) {
          widened[row] = Long.MIN_VALUE;
        }
      }
      reader.consume();
    }
    return out;
  }

  /** A reader of an offset column chunk (FLOAT or DOUBLE, optional or required). */
  private ColumnReaderImpl offsetReader(
      byte[] source, ColumnMetaData chunk, SchemaElement offset, long rowCount) throws IOException {
    boolean optional = offset.getRepetition_type() == FieldRepetitionType.OPTIONAL;
    boolean isDouble = offset.getType() == Type.DOUBLE;
    PrimitiveType type =
        Types.primitive(
                isDouble ? PrimitiveTypeName.DOUBLE : PrimitiveTypeName.FLOAT,
                optional
                    ? org.apache.parquet.schema.Type.Repetition.OPTIONAL
                    : org.apache.parquet.schema.Type.Repetition.REQUIRED)
            .named(ReplaySchema.OFFSET);
    ColumnDescriptor column =
        new ColumnDescriptor(new String[] {ReplaySchema.OFFSET}, type, 0, optional ? 1 : 0);
    ColumnReaderImpl reader = pages.reader(source, chunk, column);
    if (reader.getTotalValueCount() != rowCount) {
      throw new IOException(
          "the offset column has "
              + reader.getTotalValueCount()
              + " values for "
              + rowCount
              + " rows");
    }
    return reader;
  }

  /** Writes the optional INT64 timestamp column chunk. */
  private ColumnChunk writeTimestamps(long[] values, CompressionCodecName codec, Positioned out)
      throws IOException {
    return columns.write(values, Type.INT64, ReplaySchema.TIMESTAMP, codec, out);
  }
}
