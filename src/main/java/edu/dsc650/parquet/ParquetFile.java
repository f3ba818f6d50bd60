package edu.dsc650.parquet;

import java.io.IOException;
import org.apache.parquet.format.FileMetaData;

/**
 * A whole parquet file in memory and its parsed footer. The replay reads each source file once: its
 * validation parses the footer, and the rewrite uses both without reading or parsing again.
 */
public record ParquetFile(byte[] bytes, FileMetaData footer) {

  /** Parses the footer of a whole file. */
  public static ParquetFile of(byte[] bytes) throws IOException {
    return new ParquetFile(bytes, ParquetBytes.footer(bytes, false));
  }

  /**
   * Parses the footer; without its row groups it is cheaper, and enough to count rows and check the
   * schema (not to rewrite the file).
   */
  public static ParquetFile of(byte[] bytes, boolean withRowGroups) throws IOException {
    return new ParquetFile(bytes, ParquetBytes.footer(bytes, !withRowGroups));
  }

  /** Rows the footer counts. */
  public long rows() {
    return footer.getNum_rows();
  }
}
