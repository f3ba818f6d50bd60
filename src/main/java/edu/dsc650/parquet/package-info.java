/**
 * Every byte-level use of parquet in the project, in one place: a Spark or parquet-mr upgrade
 * touches this package (and {@code parquet.spark}) only. The ride files are a few dozen rows each,
 * so what a library does per file costs more than the data (measured: Hadoop's local file system
 * forks a process per file made; parquet-mr's Hadoop reader copies a Configuration of ~1,000
 * properties per file; its gzip streams allocate 64 KB per page). Hence: a file is read whole into
 * memory ({@code ParquetFile}, {@code ParquetBytes}: footer and page headers), {@code
 * TimestampRewriter} writes a new {@code timestamp} chunk and copies every other column chunk byte
 * for byte (with {@code CopyKeyColumns} for the copies of {@code --scale}), pages are decoded by
 * parquet-mr's own column readers ({@code ColumnPages}, so every encoding is supported) with one
 * codec cache ({@code Codecs}, {@code Gzip}), {@code JsonRows} turns a rewritten file's rows into
 * Kafka records, and {@code ParquetColumns} and {@code ReplaySchema} answer what a footer declares.
 * Needs no Spark.
 */
package edu.dsc650.parquet;
