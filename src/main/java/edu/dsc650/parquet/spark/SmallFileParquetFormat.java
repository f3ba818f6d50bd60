package edu.dsc650.parquet.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.PartitionedFile;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import scala.Function1;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * Spark's parquet source with a reader for many small files. The file stream source's cost is per
 * file, not per byte: Spark's reader copies the whole Hadoop configuration, opens Hadoop streams
 * and allocates 4,096-row column vectors for every file, which is most of the time spent on files
 * of a few dozen rows. This format reads each whole file into memory once and decodes it directly
 * ({@link SmallFileParquetReader}). Large files, file splits and column types that reader does not
 * handle go to Spark's own reader, so results and errors are Spark's either way.
 *
 * <p>Use it as {@code spark.readStream().format(SmallFileParquetFormat.class.getName())}.
 *
 * <p>What it relies on in Spark (3.5), to check on an upgrade:
 *
 * <ul>
 *   <li>{@code ParquetFileFormat.buildReaderWithPartitionValues}: its signature, and that the
 *       function it returns can be called per {@code PartitionedFile} for the files handed over;
 *   <li>{@code PartitionedFile}'s {@code start}, {@code length}, {@code fileSize}, {@code toPath},
 *       {@code partitionValues} and {@code urlEncodedPath};
 *   <li>{@code supportBatch} returning false makes the scan ask for rows ({@code InternalRow}s
 *       whose layout {@link SmallFileParquetReader} builds as {@code UnsafeRow}s, including Spark's
 *       internal values: microseconds for timestamps, {@code UTF8String} for strings);
 *   <li>{@code FileScanRDD} turning a {@code FileNotFoundException} into a skip under {@code
 *       spark.sql.files.ignoreMissingFiles}, and wrapping other IOExceptions with the file;
 *   <li>{@code SerializableConfiguration} (a Hadoop configuration shipped to executors);
 *   <li>Spark's parquet options that the hand-over covers (datetime rebase, INT96) staying in the
 *       files the reader refuses (see {@link SmallFileParquetReader}).
 * </ul>
 */
public class SmallFileParquetFormat extends ParquetFileFormat {
  /**
   * Files up to this size are read whole into memory; bigger ones by Spark's (streaming) reader.
   */
  static final long MAX_WHOLE_FILE_BYTES = 16L << 20;

  /**
   * Files this JVM's tasks decoded themselves and files they handed to Spark's reader: in local
   * mode (tests) they say which reader read what.
   */
  static final java.util.concurrent.atomic.LongAdder DECODED =
      new java.util.concurrent.atomic.LongAdder();

  static final java.util.concurrent.atomic.LongAdder HANDED_OVER =
      new java.util.concurrent.atomic.LongAdder();

  @Override
  public String shortName() {
    return "parquet (small files)";
  }

  @Override
  public String toString() {
    return "SmallFileParquet";
  }

  /** Rows, not column batches: the batches are what costs per file. */
  @Override
  public boolean supportBatch(SparkSession sparkSession, StructType schema) {
    return false;
  }

  @Override
  public Function1<PartitionedFile, Iterator<InternalRow>> buildReaderWithPartitionValues(
      SparkSession sparkSession,
      StructType dataSchema,
      StructType partitionSchema,
      StructType requiredSchema,
      scala.collection.Seq<Filter> filters,
      scala.collection.immutable.Map<String, String> options,
      Configuration hadoopConf) {
    Function1<PartitionedFile, Iterator<InternalRow>> sparkReader =
        super.buildReaderWithPartitionValues(
            sparkSession,
            dataSchema,
            partitionSchema,
            requiredSchema,
            filters,
            options,
            hadoopConf);
    if (!SmallFileParquetReader.supportsPartitionSchema(partitionSchema)) {
      return sparkReader;
    }
    Broadcast<SerializableConfiguration> conf =
        sparkSession
            .sparkContext()
            .broadcast(
                new SerializableConfiguration(hadoopConf),
                ClassTag$.MODULE$.apply(SerializableConfiguration.class));
    return new ReadFile(sparkReader, conf, requiredSchema, partitionSchema);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SmallFileParquetFormat;
  }

  @Override
  public int hashCode() {
    return SmallFileParquetFormat.class.hashCode();
  }

  /** The function each task applies to its files (shipped to executors, hence serializable). */
  private static final class ReadFile
      extends AbstractFunction1<PartitionedFile, Iterator<InternalRow>> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Function1<PartitionedFile, Iterator<InternalRow>> sparkReader;
    private final Broadcast<SerializableConfiguration> conf;
    private final StructType required;
    private final StructType partition;
    private transient ThreadLocal<SmallFileParquetReader> readers;

    ReadFile(
        Function1<PartitionedFile, Iterator<InternalRow>> sparkReader,
        Broadcast<SerializableConfiguration> conf,
        StructType required,
        StructType partition) {
      this.sparkReader = sparkReader;
      this.conf = conf;
      this.required = required;
      this.partition = partition;
    }

    @Override
    public Iterator<InternalRow> apply(PartitionedFile file) {
      boolean whole = file.start() == 0 && file.length() == file.fileSize();
      if (!whole || file.fileSize() > MAX_WHOLE_FILE_BYTES) {
        HANDED_OVER.increment();
        return sparkReader.apply(file);
      }
      try {
        java.util.Iterator<InternalRow> rows = reader().read(readAll(file), file.partitionValues());
        if (rows == null) {
          HANDED_OVER.increment();
          return sparkReader.apply(file);
        }
        DECODED.increment();
        return JavaConverters.asScalaIterator(rows);
      } catch (FileNotFoundException e) {
        throw sneaky(e); // Spark skips missing files when spark.sql.files.ignoreMissingFiles is set
      } catch (IOException e) {
        // the root cause is what the user sees (QueryFailure): it must name the file
        IOException named =
            new IOException("cannot read file " + file.toPath() + ": " + e.getMessage());
        named.addSuppressed(e);
        throw sneaky(named);
      }
    }

    private SmallFileParquetReader reader() {
      if (readers == null) {
        readers = ThreadLocal.withInitial(() -> new SmallFileParquetReader(required, partition));
      }
      return readers.get();
    }

    /** The whole file: through java.nio for local files (no Hadoop stream set-up), else Hadoop. */
    private byte[] readAll(PartitionedFile file) throws IOException {
      URI uri = file.toPath().toUri();
      if (uri.getScheme() == null || "file".equals(uri.getScheme())) {
        try {
          return Files.readAllBytes(
              uri.getScheme() == null ? Paths.get(uri.getPath()) : Paths.get(uri));
        } catch (NoSuchFileException e) {
          throw new FileNotFoundException(file.urlEncodedPath());
        }
      }
      FileSystem fs = FileSystem.get(uri, conf.value().value());
      byte[] bytes = new byte[Math.toIntExact(file.fileSize())];
      try (FSDataInputStream in = fs.open(file.toPath())) {
        in.readFully(0, bytes);
      }
      return bytes;
    }
  }

  /** Spark's file scan handles IOExceptions from readers (missing files, error messages). */
  @SuppressWarnings("unchecked")
  private static <E extends Throwable> RuntimeException sneaky(Throwable e) throws E {
    throw (E) e;
  }
}
