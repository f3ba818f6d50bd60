package edu.dsc650.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import edu.dsc650.BadInputException;
import edu.dsc650.io.FileSinkLog;
import edu.dsc650.io.ReplayManifest;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.Storage;
import edu.dsc650.parquet.ParquetColumns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * stream-data replays any topic with an {@code offset} column; the queries need the BDD columns. So
 * before Spark starts, the first file published of each topic a query reads is looked at: a column
 * a query needs that is missing, or a column of another type than the query reads, is bad input
 * (one line, exit 2) instead of a failure deep inside Spark's first batch.
 */
final class InputColumns {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How many log batches are looked at for a first file (slices may be empty). */
  private static final int BATCHES_LOOKED_AT = 50;

  private InputColumns() {}

  /**
   * Checks the published files of every topic the queries read; nothing to check until one is
   * published.
   */
  static void check(ResultsLayout layout, List<StreamingQueryDef> queries) throws IOException {
    Storage storage = Storage.forLocation(layout.root().toString());
    Map<String, Map<String, String>> needed = new java.util.TreeMap<>(); // topic -> column -> query
    for (StreamingQueryDef def : queries) {
      def.requiredColumns()
          .forEach(
              (topic, columns) ->
                  columns.forEach(
                      c ->
                          needed
                              .computeIfAbsent(topic, t -> new java.util.LinkedHashMap<>())
                              .putIfAbsent(c, def.name())));
    }
    List<String> published = publishedTopics(storage, layout);
    for (Map.Entry<String, Map<String, String>> topic : needed.entrySet()) {
      if (published != null && !published.contains(topic.getKey())) {
        throw new BadInputException(
            "the replay in "
                + layout.root()
                + " has no topic '"
                + topic.getKey()
                + "', which query "
                + topic.getValue().values().iterator().next()
                + " reads (its topics: "
                + String.join(", ", published)
                + "); the queries read the BDD topics accelerations and locations");
      }
      Path file = firstPublished(storage, layout.input(topic.getKey()));
      if (file != null) {
        checkFile(storage, file, topic.getKey(), topic.getValue());
      }
    }
  }

  /**
   * The topics of the run in input, or null while none is known: a run makes every topic's folder
   * before it says it is replaying (replay.json), and clears input first.
   */
  static List<String> publishedTopics(Storage storage, ResultsLayout layout) throws IOException {
    ReplayManifest replay;
    try {
      replay = ReplayManifest.read(storage, layout.replayManifest());
    } catch (IOException notOurs) {
      return null; // the run's own checks say what is wrong with it
    }
    if (replay == null
        || replay.kafka() != null
        || replay.status() == ReplayManifest.Status.STARTING
        || !storage.isDirectory(layout.input())) {
      return null;
    }
    List<String> topics =
        storage.list(layout.input()).stream()
            .filter(Storage.Entry::directory)
            .map(Storage.Entry::name)
            .filter(n -> !n.startsWith("_") && !n.startsWith("."))
            .sorted()
            .toList();
    return topics.isEmpty() ? null : topics;
  }

  private static void checkFile(
      Storage storage, Path file, String topic, Map<String, String> needed) throws IOException {
    Map<String, ParquetColumns.Column> columns;
    try {
      columns = ParquetColumns.of(storage.readAll(file));
    } catch (IOException | RuntimeException e) {
      // a damaged file in input fails the run (exit 1) as it would in Spark's first batch: named
      throw new IOException("cannot read file " + file + ": " + e.getMessage(), e);
    }
    for (Map.Entry<String, String> column : needed.entrySet()) {
      if (!columns.containsKey(column.getKey())) {
        throw new BadInputException(
            file
                + ": has no column '"
                + column.getKey()
                + "', which query "
                + column.getValue()
                + " reads from "
                + topic
                + " (the queries read the BDD columns: see run-query --help)");
      }
    }
    if (!Topics.isBuiltIn(topic)) {
      return; // a topic of the user's own data: its files' types are its schema
    }
    for (StructField field : Topics.schema(topic).fields()) {
      ParquetColumns.Column c = columns.get(field.name());
      if (c != null && !readableAs(c.kind(), field.dataType())) {
        throw new BadInputException(
            file
                + ": column '"
                + field.name()
                + "' is "
                + c.description()
                + ", but the "
                + "queries read it from "
                + topic
                + " as "
                + field.dataType().simpleString());
      }
    }
  }

  /** Whether Spark's parquet readers read a column of this kind as {@code type}. */
  static boolean readableAs(ParquetColumns.Kind kind, DataType type) {
    if (kind == ParquetColumns.Kind.GROUP) {
      return false;
    }
    if (type.equals(DataTypes.StringType)) {
      return kind == ParquetColumns.Kind.BYTE_ARRAY;
    }
    if (type.equals(DataTypes.DoubleType)) {
      return kind == ParquetColumns.Kind.DOUBLE || kind == ParquetColumns.Kind.FLOAT;
    }
    if (type.equals(DataTypes.TimestampType)) {
      return kind == ParquetColumns.Kind.INT64 || kind == ParquetColumns.Kind.INT96;
    }
    if (type.equals(DataTypes.BooleanType)) {
      return kind == ParquetColumns.Kind.BOOLEAN;
    }
    return true;
  }

  /** The first file named in a topic's input log, or null if none is published yet. */
  static Path firstPublished(Storage storage, Path topicInput) throws IOException {
    Path log = new Path(topicInput, FileSinkLog.FOLDER);
    if (!storage.exists(log)) {
      return null;
    }
    List<Storage.Entry> batches =
        storage.list(log).stream()
            .filter(e -> !e.name().startsWith(".") && e.name().matches("\\d+(\\.compact)?"))
            .sorted(Comparator.comparingLong(e -> Long.parseLong(e.name().replace(".compact", ""))))
            .limit(BATCHES_LOOKED_AT)
            .toList();
    for (Storage.Entry batch : batches) {
      byte[] content;
      try {
        content = storage.readAll(batch.path());
      } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException gone) {
        continue; // deleted since the listing by a compaction: a later batch names the same files
      }
      for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
        if (line.startsWith("{")) {
          JsonNode path = JSON.readTree(line).get("path");
          if (path != null) {
            Path file = new Path(java.net.URI.create(path.asText()));
            if (storage.exists(file)) {
              return file;
            }
          }
        }
      }
    }
    return null;
  }
}
