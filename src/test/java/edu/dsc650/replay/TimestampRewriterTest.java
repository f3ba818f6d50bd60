package edu.dsc650.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import edu.dsc650.testing.ParquetRows;
import edu.dsc650.testing.Replayed;
import edu.dsc650.testing.Rows;
import edu.dsc650.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every rewritten row equals its source row, read back with parquet-mr, except timestamp = S + offset. */
class TimestampRewriterTest {
  static final long START = 1_772_366_400_123_456L; // 2026-03-01T12:00:00.123456Z in microseconds

  @TempDir
  Path dir;

  /** The reference: the source rows, with timestamp set to START + offset as the contract states. */
  static List<Map<String, Object>> expected(List<Map<String, Object>> source) {
    return Replayed.withTimestamps(source, START);
  }

  private Path rewrite(TimestampRewriter rewriter, Path... sources) throws IOException {
    List<SourceFile.Contents> contents = new ArrayList<>();
    for (Path source : sources) {
      byte[] bytes = Files.readAllBytes(source);
      contents.add(new SourceFile.Contents(bytes, edu.dsc650.io.parquet.ParquetBytes.footer(bytes, false)));
    }
    TimestampRewriter.Result result = rewriter.rewrite(contents, START);
    Path out = dir.resolve("out-" + System.nanoTime() + ".parquet");
    Files.write(out, Arrays.copyOf(result.bytes(), result.length()));
    return out;
  }

  @Test
  void replacesTimestampInPlaceAndKeepsEverythingElse() throws IOException {
    Path source = dir.resolve("loc.parquet");
    List<Double> offsets = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      offsets.add(i == 17 ? null : 3.000_000_5 + i); // half-microsecond offsets, one row without offset
    }
    TestData.locations(source, "ride-a", offsets, CompressionCodecName.GZIP);

    Path out = rewrite(new TimestampRewriter(null), source);

    List<Map<String, Object>> actual = ParquetRows.read(out);
    Rows.assertSameRows(expected(ParquetRows.read(source)), actual, "rewritten locations");
    assertEquals(300, actual.size());
    assertNull(actual.get(17).get("timestamp"));
    // 3.0000005 s rounds half up to 3,000,001 microseconds
    assertEquals(START + 3_000_001L, actual.get(0).get("timestamp"));
    PrimitiveType ts = ParquetRows.schema(out).getType("timestamp").asPrimitiveType();
    assertEquals(1, ParquetRows.schema(out).getFieldIndex("timestamp"), "timestamp stays where it was");
    assertEquals(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS),
        ts.getLogicalTypeAnnotation());
  }

  @ParameterizedTest
  @EnumSource(value = WriterVersion.class)
  void addsTimestampWhenTheSourceHasNoneAndWidensFloatOffsets(WriterVersion version) throws IOException {
    Path source = dir.resolve("acc-" + version + ".parquet");
    TestData.accelerations(source, "ride-b", 0.05, 37.3, CompressionCodecName.SNAPPY, version);

    Path out = rewrite(new TimestampRewriter(null), source);

    Rows.assertSameRows(expected(ParquetRows.read(source)), ParquetRows.read(out), source.toString());
    List<Type> fields = ParquetRows.schema(out).getFields();
    assertEquals("timestamp", fields.get(fields.size() - 1).getName(), "timestamp is appended last");
    List<Type> expectedFields = new java.util.ArrayList<>(TestData.ACCELERATIONS.getFields());
    expectedFields.set(expectedFields.indexOf(TestData.ACCELERATIONS.getType("offset")),
        org.apache.parquet.schema.Types.optional(org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.DOUBLE)
            .named("offset"));
    assertEquals(expectedFields, fields.subList(0, fields.size() - 1), "offset widened to an optional double");
  }

  @ParameterizedTest
  @EnumSource(value = CompressionCodecName.class, names = {"UNCOMPRESSED", "SNAPPY", "GZIP", "ZSTD"})
  void recompressesEveryColumnWithoutChangingValues(CompressionCodecName codec) throws IOException {
    Path loc = dir.resolve("loc.parquet");
    Path acc = dir.resolve("acc.parquet");
    TestData.locations(loc, "ride-c", List.of(0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5), CompressionCodecName.GZIP);
    TestData.accelerations(acc, "ride-c", 1.0, 9.0, CompressionCodecName.SNAPPY, WriterVersion.PARQUET_2_0);

    for (Path source : List.of(loc, acc)) {
      Path out = rewrite(new TimestampRewriter(codec), source);
      Rows.assertSameRows(expected(ParquetRows.read(source)), ParquetRows.read(out), source + " with " + codec);
      try (var reader = org.apache.parquet.hadoop.ParquetFileReader.open(
          org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
              new org.apache.hadoop.fs.Path(out.toUri()), new org.apache.hadoop.conf.Configuration()))) {
        reader.getFooter().getBlocks().forEach(block -> block.getColumns()
            .forEach(c -> assertEquals(codec, c.getCodec(), c.getPath().toString())));
      }
    }
  }

  @Test
  void mergesFilesInOrder() throws IOException {
    Path a = dir.resolve("a.parquet");
    Path b = dir.resolve("b.parquet");
    TestData.locations(a, "ride-a", List.of(10.2, 11.2, 12.2), CompressionCodecName.GZIP);
    TestData.locations(b, "ride-b", List.of(10.7, 11.7), CompressionCodecName.UNCOMPRESSED);

    Path out = rewrite(new TimestampRewriter(null), a, b);

    List<Map<String, Object>> source = new ArrayList<>(ParquetRows.read(a));
    source.addAll(ParquetRows.read(b));
    Rows.assertSameRows(expected(source), ParquetRows.read(out), "merged");
  }

  @Test
  void refusesToMergeDifferentSchemas() throws IOException {
    Path a = dir.resolve("a.parquet");
    Path b = dir.resolve("b.parquet");
    TestData.locations(a, "ride-a", List.of(1.0), CompressionCodecName.GZIP);
    TestData.accelerations(b, "ride-b", 0, 1, CompressionCodecName.GZIP, WriterVersion.PARQUET_1_0);
    assertThrows(IOException.class, () -> rewrite(new TimestampRewriter(null), a, b));
  }

  @Test
  void definitionLevelsAreRleRuns() {
    long n = Long.MIN_VALUE;
    // 2 present, 1 null, 1 present: runs (2<<1, 1) (1<<1, 0) (1<<1, 1) behind a 4-byte length of 6
    assertEquals(List.of(6, 0, 0, 0, 4, 1, 2, 0, 2, 1),
        toList(edu.dsc650.io.parquet.OptionalLongColumnWriter.definitionLevels(new long[] {5, 6, n, 7}, 0, 4)));
    // a run of 200 needs a two-byte varint: 400 = 0x190 -> 0x90 0x03
    long[] many = new long[200];
    assertEquals(List.of(3, 0, 0, 0, 0x90, 0x03, 1),
        toList(edu.dsc650.io.parquet.OptionalLongColumnWriter.definitionLevels(many, 0, 200)));
  }

  private static List<Integer> toList(byte[] bytes) {
    List<Integer> out = new ArrayList<>();
    for (byte b : bytes) {
      out.add(b & 0xff);
    }
    return out;
  }
}
