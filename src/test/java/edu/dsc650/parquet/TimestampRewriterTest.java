package edu.dsc650.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.replay.RideCopies;
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

/**
 * Every rewritten row equals its source row, read back with parquet-mr, except timestamp = S +
 * offset.
 */
class TimestampRewriterTest {
  static final long START = 1_772_366_400_123_456L; // 2026-03-01T12:00:00.123456Z in microseconds

  @TempDir Path dir;

  /**
   * The reference: the source rows, with timestamp set to START + offset as the contract states.
   */
  static List<Map<String, Object>> expected(List<Map<String, Object>> source) {
    return Replayed.withTimestamps(source, START);
  }

  private Path rewrite(TimestampRewriter rewriter, Path... sources) throws IOException {
    List<ParquetFile> contents = new ArrayList<>();
    for (Path source : sources) {
      byte[] bytes = Files.readAllBytes(source);
      contents.add(new ParquetFile(bytes, edu.dsc650.parquet.ParquetBytes.footer(bytes, false)));
    }
    TimestampRewriter.Result result = rewriter.rewrite(contents, 0, 1, START);
    Path out = dir.resolve("out-" + System.nanoTime() + ".parquet");
    Files.write(out, Arrays.copyOf(result.bytes(), result.length()));
    return out;
  }

  @Test
  void replacesTimestampInPlaceAndKeepsEverythingElse() throws IOException {
    Path source = dir.resolve("loc.parquet");
    List<Double> offsets = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      offsets.add(
          i == 17 ? null : 3.000_000_5 + i); // half-microsecond offsets, one row without offset
    }
    TestData.locations(source, "ride-a", offsets, CompressionCodecName.GZIP);

    Path out = rewrite(new TimestampRewriter(OutputCodec.source, RideCopies::key), source);

    List<Map<String, Object>> actual = ParquetRows.read(out);
    Rows.assertSameRows(expected(ParquetRows.read(source)), actual, "rewritten locations");
    assertEquals(300, actual.size());
    assertNull(actual.get(17).get("timestamp"));
    // 3.0000005 s rounds half up to 3,000,001 microseconds
    assertEquals(START + 3_000_001L, actual.get(0).get("timestamp"));
    PrimitiveType ts = ParquetRows.schema(out).getType("timestamp").asPrimitiveType();
    assertEquals(
        1, ParquetRows.schema(out).getFieldIndex("timestamp"), "timestamp stays where it was");
    assertEquals(
        LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS),
        ts.getLogicalTypeAnnotation());
  }

  @ParameterizedTest
  @EnumSource(value = WriterVersion.class)
  void addsTimestampWhenTheSourceHasNoneAndWidensFloatOffsets(WriterVersion version)
      throws IOException {
    Path source = dir.resolve("acc-" + version + ".parquet");
    TestData.accelerations(source, "ride-b", 0.05, 37.3, CompressionCodecName.SNAPPY, version);

    Path out = rewrite(new TimestampRewriter(OutputCodec.source, RideCopies::key), source);

    Rows.assertSameRows(
        expected(ParquetRows.read(source)), ParquetRows.read(out), source.toString());
    List<Type> fields = ParquetRows.schema(out).getFields();
    assertEquals(
        "timestamp", fields.get(fields.size() - 1).getName(), "timestamp is appended last");
    List<Type> expectedFields = new java.util.ArrayList<>(TestData.ACCELERATIONS.getFields());
    expectedFields.set(
        expectedFields.indexOf(TestData.ACCELERATIONS.getType("offset")),
        org.apache.parquet.schema.Types.optional(
                org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.DOUBLE)
            .named("offset"));
    assertEquals(
        expectedFields,
        fields.subList(0, fields.size() - 1),
        "offset widened to an optional double");
  }

  @ParameterizedTest
  @EnumSource(
      value = OutputCodec.class,
      names = {"uncompressed", "snappy", "gzip", "zstd"})
  void recompressesEveryColumnWithoutChangingValues(OutputCodec codec) throws IOException {
    Path loc = dir.resolve("loc.parquet");
    Path acc = dir.resolve("acc.parquet");
    TestData.locations(
        loc, "ride-c", List.of(0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5), CompressionCodecName.GZIP);
    TestData.accelerations(
        acc, "ride-c", 1.0, 9.0, CompressionCodecName.SNAPPY, WriterVersion.PARQUET_2_0);

    for (Path source : List.of(loc, acc)) {
      Path out = rewrite(new TimestampRewriter(codec, RideCopies::key), source);
      Rows.assertSameRows(
          expected(ParquetRows.read(source)), ParquetRows.read(out), source + " with " + codec);
      try (var reader =
          org.apache.parquet.hadoop.ParquetFileReader.open(
              org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
                  new org.apache.hadoop.fs.Path(out.toUri()),
                  new org.apache.hadoop.conf.Configuration()))) {
        reader
            .getFooter()
            .getBlocks()
            .forEach(
                block ->
                    block
                        .getColumns()
                        .forEach(
                            c ->
                                assertEquals(
                                    codec.name().toUpperCase(java.util.Locale.ROOT),
                                    c.getCodec().name(),
                                    c.getPath().toString())));
      }
    }
  }

  @Test
  void mergesFilesInOrder() throws IOException {
    Path a = dir.resolve("a.parquet");
    Path b = dir.resolve("b.parquet");
    TestData.locations(a, "ride-a", List.of(10.2, 11.2, 12.2), CompressionCodecName.GZIP);
    TestData.locations(b, "ride-b", List.of(10.7, 11.7), CompressionCodecName.UNCOMPRESSED);

    Path out = rewrite(new TimestampRewriter(OutputCodec.source, RideCopies::key), a, b);

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
    assertThrows(
        IOException.class,
        () -> rewrite(new TimestampRewriter(OutputCodec.source, RideCopies::key), a, b));
  }

  /** Two rides and rows without a ride in one file, over several row groups and pages. */
  private static final org.apache.parquet.schema.MessageType TWO_RIDES =
      org.apache.parquet.schema.MessageTypeParser.parseMessageType(
          """
          message schema {
            optional binary id (STRING);
            optional binary ride_id (STRING);
            optional binary uuid (STRING);
            optional double offset;
            optional double x;
          }""");

  private Path twoRides(String name, boolean dictionary, WriterVersion version) throws IOException {
    Path file = dir.resolve(name);
    TestData.write(
        file,
        TWO_RIDES,
        CompressionCodecName.GZIP,
        dictionary,
        version,
        w -> {
          for (int i = 0; i < 300; i++) {
            String ride = i % 97 == 5 ? null : i < 180 ? "ride-a" : "ride-b";
            var g =
                w.row()
                    .append("id", "row-" + i)
                    .append("offset", i * 0.02)
                    .append("x", Math.cos(i));
            if (ride != null) {
              g.append("uuid", ride).append("ride_id", ride.toUpperCase() + "-id");
            }
            w.write(g);
          }
        });
    return file;
  }

  @ParameterizedTest
  @EnumSource(value = WriterVersion.class)
  void aCopyGetsNewRideKeysOnePerRideAndCopyAndKeepsEveryOtherValue(WriterVersion version)
      throws IOException {
    Path source =
        twoRides("rides-" + version + ".parquet", version == WriterVersion.PARQUET_1_0, version);
    List<Map<String, Object>> expected = expected(ParquetRows.read(source));
    byte[] bytes = Files.readAllBytes(source);
    ParquetFile contents =
        new ParquetFile(bytes, edu.dsc650.parquet.ParquetBytes.footer(bytes, false));
    Map<String, String> keyOfCopy = new java.util.HashMap<>(); // "copy/original" -> the copy's key
    for (int copy = 0; copy < 4; copy++) {
      for (TimestampRewriter rewriter :
          List.of(
              new TimestampRewriter(OutputCodec.source, RideCopies::key),
              new TimestampRewriter(OutputCodec.zstd, RideCopies::key))) {
        TimestampRewriter.Result result = rewriter.rewrite(List.of(contents), copy, 1, START);
        Path out = dir.resolve("copy-" + copy + "-" + System.nanoTime() + ".parquet");
        Files.write(out, Arrays.copyOf(result.bytes(), result.length()));
        List<Map<String, Object>> actual = ParquetRows.read(out);
        assertEquals(expected.size(), actual.size());
        assertEquals(
            ParquetRows.schema(source).getFields().subList(0, 5),
            ParquetRows.schema(out).getFields().subList(0, 5),
            "the schema is kept");
        for (int i = 0; i < expected.size(); i++) {
          Map<String, Object> want = new java.util.LinkedHashMap<>(expected.get(i));
          Map<String, Object> got = actual.get(i);
          for (String key : List.of("uuid", "ride_id")) {
            Object original = want.get(key);
            Object value = got.get(key);
            if (original == null || copy == 0) {
              assertEquals(original, value, key + " of row " + i + ", copy " + copy);
              continue;
            }
            assertTrue(
                ((String) value).matches("[0-9a-f]{32}"), value + " is 32 lowercase hex digits");
            String before = keyOfCopy.putIfAbsent(copy + "/" + original, (String) value);
            assertEquals(
                before == null ? value : before,
                value,
                "every row of a ride, in every run, gets the same key for copy " + copy);
            want.put(key, value);
          }
          assertEquals(want, got, "row " + i + " of copy " + copy + ": only the ride keys change");
        }
      }
    }
    // one key per (original, copy): none equals another, nor any original
    assertEquals(2 * 2 * 3, keyOfCopy.size());
    java.util.Set<String> all = new java.util.HashSet<>(keyOfCopy.values());
    all.addAll(List.of("ride-a", "ride-b", "RIDE-A-id", "RIDE-B-id"));
    assertEquals(2 * 2 * 3 + 4, all.size(), "every copy's keys are distinct: " + keyOfCopy);
  }

  @Test
  void mergedCopiesHoldEachCopyOfEverySourceInTurn() throws IOException {
    Path a = twoRides("a.parquet", true, WriterVersion.PARQUET_1_0);
    Path b = dir.resolve("b.parquet");
    TestData.write(
        b,
        TWO_RIDES,
        CompressionCodecName.SNAPPY,
        false,
        WriterVersion.PARQUET_1_0,
        w -> w.write(w.row().append("id", "only").append("uuid", "ride-c").append("offset", 7.5)));
    List<ParquetFile> contents = new ArrayList<>();
    for (Path p : List.of(a, b)) {
      byte[] bytes = Files.readAllBytes(p);
      contents.add(new ParquetFile(bytes, edu.dsc650.parquet.ParquetBytes.footer(bytes, false)));
    }
    TimestampRewriter rewriter = new TimestampRewriter(OutputCodec.source, RideCopies::key);
    TimestampRewriter.Result merged = rewriter.rewrite(contents, 0, 3, START);
    Path out = dir.resolve("merged.parquet");
    Files.write(out, Arrays.copyOf(merged.bytes(), merged.length()));

    // the same rows as the copies written one by one, in the order copy 0 (a, b), copy 1 (a, b),
    // copy 2 (a, b)
    List<Map<String, Object>> oneByOne = new ArrayList<>();
    for (int copy = 0; copy < 3; copy++) {
      for (ParquetFile c : contents) {
        TimestampRewriter.Result r = rewriter.rewrite(List.of(c), copy, 1, START);
        Path part = dir.resolve("part-" + copy + "-" + oneByOne.size() + ".parquet");
        Files.write(part, Arrays.copyOf(r.bytes(), r.length()));
        oneByOne.addAll(ParquetRows.read(part));
      }
    }
    assertEquals(3 * 301, merged.rows());
    assertEquals(oneByOne, ParquetRows.read(out));
  }

  @Test
  void definitionLevelsAreRleRuns() {
    long n = Long.MIN_VALUE;
    // 2 present, 1 null, 1 present: runs (2<<1, 1) (1<<1, 0) (1<<1, 1) behind a 4-byte length of 6
    assertEquals(
        List.of(6, 0, 0, 0, 4, 1, 2, 0, 2, 1),
        toList(
            edu.dsc650.parquet.OptionalLongColumnWriter.definitionLevels(
                new long[] {5, 6, n, 7}, 0, 4)));
    // a run of 200 needs a two-byte varint: 400 = 0x190 -> 0x90 0x03
    long[] many = new long[200];
    assertEquals(
        List.of(3, 0, 0, 0, 0x90, 0x03, 1),
        toList(edu.dsc650.parquet.OptionalLongColumnWriter.definitionLevels(many, 0, 200)));
  }

  private static List<Integer> toList(byte[] bytes) {
    List<Integer> out = new ArrayList<>();
    for (byte b : bytes) {
      out.add(b & 0xff);
    }
    return out;
  }
}
