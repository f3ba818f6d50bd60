package edu.dsc650.parquet;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.Util;

/**
 * The parquet file layout at the byte level: magic, footer, column chunks and page headers, read
 * from a whole file in memory. Working on the format's own (thrift) structures skips parquet-mr's
 * metadata conversion, which costs more than the data itself for files of a few kilobytes.
 */
public final class ParquetBytes {
  private static final byte[] MAGIC = {'P', 'A', 'R', '1'};

  /** One page of a column chunk: its header and where its (possibly compressed) data lies. */
  public record Page(PageHeader header, int dataOffset, int dataLength) {}

  private ParquetBytes() {}

  /**
   * Parses the footer.
   *
   * @param skipRowGroups parse only the schema and row count (cheaper)
   * @throws IOException naming what is wrong if the bytes are not a parquet file
   */
  public static FileMetaData footer(byte[] file, boolean skipRowGroups) throws IOException {
    if (file.length < 12) {
      throw new IOException("too short for a parquet file (" + file.length + " bytes)");
    }
    if (!hasMagic(file, 0) || !hasMagic(file, file.length - 4)) {
      throw new IOException("not a parquet file (no PAR1 magic at its start and end)");
    }
    int footerLength =
        ByteBuffer.wrap(file, file.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    if (footerLength <= 0 || footerLength > file.length - 12) {
      throw new IOException(
          "corrupt parquet footer length "
              + footerLength
              + " in a file of "
              + file.length
              + " bytes");
    }
    return Util.readFileMetaData(
        new ByteArrayInputStream(file, file.length - 8 - footerLength, footerLength),
        skipRowGroups);
  }

  private static boolean hasMagic(byte[] file, int at) {
    for (int i = 0; i < MAGIC.length; i++) {
      if (file[at + i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  public static void writeMagic(OutputStream out) throws IOException {
    out.write(MAGIC);
  }

  /** Writes the footer, its length and the closing magic. */
  public static void writeFooter(FileMetaData footer, Positioned out) throws IOException {
    long start = out.position();
    Util.writeFileMetaData(footer, out);
    int length = Math.toIntExact(out.position() - start);
    out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(length).array());
    out.write(MAGIC);
  }

  /** Where a column chunk starts: its dictionary page if it has one, else its first data page. */
  public static long chunkStart(ColumnMetaData chunk) {
    long data = chunk.getData_page_offset();
    if (chunk.isSetDictionary_page_offset()
        && chunk.getDictionary_page_offset() > 0
        && chunk.getDictionary_page_offset() < data) {
      return chunk.getDictionary_page_offset();
    }
    return data;
  }

  /** The pages of a column chunk, in file order. */
  public static List<Page> pages(byte[] file, ColumnMetaData chunk) throws IOException {
    long start = chunkStart(chunk);
    long end = start + chunk.getTotal_compressed_size();
    if (start < 4 || end > file.length - 8) {
      throw new IOException(
          "column chunk "
              + chunk.getPath_in_schema()
              + " at "
              + start
              + ".."
              + end
              + " lies outside the file ("
              + file.length
              + " bytes)");
    }
    Positioned.Input in = new Positioned.Input(file, (int) start, (int) (end - start));
    List<Page> pages = new ArrayList<>();
    while (in.position() < end) {
      PageHeader header = Util.readPageHeader(in);
      int dataOffset = (int) in.position();
      if (header.getCompressed_page_size() < 0
          || dataOffset + (long) header.getCompressed_page_size() > end) {
        throw new IOException("corrupt page header in column chunk " + chunk.getPath_in_schema());
      }
      pages.add(new Page(header, dataOffset, header.getCompressed_page_size()));
      in.skip(header.getCompressed_page_size());
    }
    return pages;
  }
}
