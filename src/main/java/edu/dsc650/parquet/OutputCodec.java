package edu.dsc650.parquet;

import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * The codec of rewritten files ({@code stream-data --compression}): each source column's own, or
 * one for all.
 */
public enum OutputCodec {
  source(null),
  uncompressed(CompressionCodecName.UNCOMPRESSED),
  snappy(CompressionCodecName.SNAPPY),
  gzip(CompressionCodecName.GZIP),
  zstd(CompressionCodecName.ZSTD);

  /** parquet-mr's codec; null: each column keeps its own. */
  final CompressionCodecName codec;

  OutputCodec(CompressionCodecName codec) {
    this.codec = codec;
  }
}
