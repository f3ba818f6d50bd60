package edu.dsc650.testing;

import edu.dsc650.io.NioLocalFileSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/** Small parquet datasets for tests, written with parquet-mr (not with the code under test). */
public final class TestData {
  /**
   * Writes through java.nio permissions: Hadoop's local file system starts a {@code chmod} process
   * for each file and its checksum. Not cached, so that the JVM's shared {@code file:} file system
   * stays whatever the code under test makes it.
   */
  private static final Configuration CONF = new Configuration();

  static {
    CONF.set(NioLocalFileSystem.SETTING, NioLocalFileSystem.class.getName());
    CONF.setBoolean("fs.file.impl.disable.cache", true);
  }

  /** A location row: fixes at 1 Hz with a timestamp of junk, like the bundled data. */
  public static final MessageType LOCATIONS =
      MessageTypeParser.parseMessageType(
          """
      message schema {
        optional binary uuid (STRING);
        optional int64 timestamp (TIMESTAMP(MICROS,true));
        optional double offset;
        optional double speed;
        optional double latitude;
        optional boolean timelapse;
      }""");

  /** An acceleration row: no timestamp column at all, a float offset, required fields, an int. */
  public static final MessageType ACCELERATIONS =
      MessageTypeParser.parseMessageType(
          """
      message schema {
        required binary uuid (STRING);
        required float offset;
        required double x;
        optional int32 seq;
        optional fixed_len_byte_array(3) tag;
      }""");

  private TestData() {}

  /** Writes rows with the given codec, small row groups and pages, dictionary on or off. */
  public static void write(
      Path file,
      MessageType schema,
      CompressionCodecName codec,
      boolean dictionary,
      ParquetProperties.WriterVersion version,
      Consumer<Writer> rows)
      throws IOException {
    Files.createDirectories(file.getParent());
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(
                HadoopOutputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), CONF))
            .withConf(CONF)
            .withType(schema)
            .withCompressionCodec(codec)
            .withDictionaryEncoding(dictionary)
            .withWriterVersion(version)
            .withRowGroupSize(4 * 1024)
            .withPageSize(512)
            .withPageRowCountLimit(50)
            .build()) {
      SimpleGroupFactory factory = new SimpleGroupFactory(schema);
      rows.accept(new Writer(factory, writer));
    }
  }

  /** Hands out groups and writes them. */
  public static final class Writer {
    private final SimpleGroupFactory factory;
    private final ParquetWriter<Group> writer;

    Writer(SimpleGroupFactory factory, ParquetWriter<Group> writer) {
      this.factory = factory;
      this.writer = writer;
    }

    public Group row() {
      return factory.newGroup();
    }

    public void write(Group g) {
      try {
        writer.write(g);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  /**
   * Location rows for one ride at the given offsets (null: a row without offset); some speeds -1 or
   * missing.
   */
  public static void locations(
      Path file, String uuid, List<Double> offsets, CompressionCodecName codec) throws IOException {
    write(
        file,
        LOCATIONS,
        codec,
        true,
        ParquetProperties.WriterVersion.PARQUET_1_0,
        w -> {
          int i = 0;
          for (Double offset : offsets) {
            Group g =
                w.row()
                    .append("uuid", uuid)
                    .append("timestamp", 42L + i)
                    .append("latitude", 40.0 + i * 1e-4)
                    .append("timelapse", i % 2 == 0);
            if (offset != null) {
              g.append("offset", offset);
            }
            if (i % 7 != 3) {
              g.append("speed", i % 5 == 0 ? -1.0 : 3.0 + i * 0.25);
            }
            w.write(g);
            i++;
          }
        });
  }

  /** Acceleration rows for one ride at 10 Hz over [from, to). */
  public static void accelerations(
      Path file,
      String uuid,
      double from,
      double to,
      CompressionCodecName codec,
      ParquetProperties.WriterVersion version)
      throws IOException {
    write(
        file,
        ACCELERATIONS,
        codec,
        false,
        version,
        w -> {
          int i = 0;
          for (double t = from; t < to - 1e-9; t += 0.1, i++) {
            Group g =
                w.row()
                    .append("uuid", uuid)
                    .append("offset", (float) t)
                    .append("x", Math.sin(i) * 9.81);
            if (i % 3 != 0) {
              g.append("seq", i);
            }
            if (i % 4 == 0) {
              g.append(
                  "tag",
                  org.apache.parquet.io.api.Binary.fromConstantByteArray(
                      new byte[] {1, (byte) i, 3}));
            }
            w.write(g);
          }
        });
  }
}
