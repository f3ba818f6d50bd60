/**
 * Parquet at the byte level, for files of a few dozen rows where per-file set-up costs more than the
 * data: footers and pages read from a file held in memory, one codec cache, new column chunks written
 * beside chunks copied byte for byte, and whole small files decoded straight into Spark rows.
 */
package edu.dsc650.io.parquet;
