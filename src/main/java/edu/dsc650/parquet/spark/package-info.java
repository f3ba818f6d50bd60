/**
 * The bridge from this project's parquet decoding to Spark, kept apart because it touches Spark
 * internals (and the replayer must not need Spark): {@code SmallFileParquetFormat} extends Spark's
 * {@code ParquetFileFormat} and overrides {@code buildReaderWithPartitionValues}, and {@code
 * SmallFileParquetReader} decodes a whole small file into {@code InternalRow}s (Spark's {@code
 * UnsafeRow} writers, {@code UTF8String}). Spark's reader spent ~80 % of a catch-up's executor time
 * setting files up (a Hadoop configuration copy, 4,096-row column vectors for files of ~30 rows);
 * files it does not decode go to Spark's own reader, so rows, options and errors stay Spark's.
 * {@code RowsFile} writes the few rows run-query makes itself (the warm-up's generated slice, the
 * end-of-stream markers) with parquet-mr, in the columns Spark writes, without a Spark job.
 */
package edu.dsc650.parquet.spark;
