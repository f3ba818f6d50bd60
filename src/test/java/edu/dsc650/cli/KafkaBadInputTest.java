package edu.dsc650.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.testing.Datasets;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad Kafka addresses and options, and a broker that is not there: one line, exit code 2, within
 * about ten seconds, nothing published and nothing in the results folder changed.
 */
@Tag("cli")
class KafkaBadInputTest {
  @TempDir Path tmp;

  Path source;
  Path results;

  @BeforeEach
  void setUp() throws IOException {
    source = tmp.resolve("source");
    results = tmp.resolve("results");
    Datasets.small(source);
    Files.createDirectories(results);
    Files.writeString(results.resolve("replay.json.earlier"), "earlier");
  }

  private String refused(String expected, String... args) throws IOException {
    CommandRunner cli = new CommandRunner();
    long started = System.nanoTime();
    int rc = cli.run(args);
    double seconds = (System.nanoTime() - started) / 1e9;
    assertEquals(2, rc, cli.out + "\n" + cli.err);
    String errors = cli.errors();
    assertEquals(1, errors.lines().count(), "one error line: " + cli.err);
    assertTrue(errors.contains(expected), errors);
    assertTrue(seconds < 15, "refused within ~10 s, not " + seconds);
    try (var s = Files.list(results)) {
      assertEquals(
          List.of("replay.json.earlier"),
          s.map(p -> p.getFileName().toString()).toList(),
          "nothing in the results folder changed");
    }
    return errors;
  }

  private String[] replay(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "stream-data",
                "--max-speed",
                "--source",
                source.toString(),
                "--results",
                results.toString()));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private String[] query(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of("run-query", "all", "--master", "local[1]", "--results", results.toString()));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  @Test
  void malformedAddresses() throws IOException {
    for (String bad :
        List.of(
            "kafka://",
            "kafka://localhost",
            "kafka://localhost:",
            "kafka://:9092",
            "kafka://host:port",
            "kafka://127.0.0.1:9092,",
            "kafka://a b:9092")) {
      refused(
          "--to must be kafka://HOST:PORT[,HOST:PORT...], not '" + bad + "'", replay("--to", bad));
      refused(
          "--from must be kafka://HOST:PORT[,HOST:PORT...], not '" + bad + "'",
          query("--from", bad));
    }
    for (String bad : List.of("http://127.0.0.1:9092", "127.0.0.1:9092", "FILES")) {
      refused(
          "--to must be files or kafka://HOST:PORT[,HOST:PORT...], not '" + bad + "'",
          replay("--to", bad));
      refused(
          "--from must be files or kafka://HOST:PORT[,HOST:PORT...], not '" + bad + "'",
          query("--from", bad));
    }
    refused("port 99999 is out of range", replay("--to", "kafka://127.0.0.1:99999"));
  }

  @Test
  void aBrokerThatIsNotThere() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort(); // closed again: nothing listens there
    }
    String address = "kafka://127.0.0.1:" + port;
    refused("cannot reach Kafka at " + address, replay("--to", address));
    refused("cannot reach Kafka at " + address, query("--from", address));
    refused(
        "cannot reach Kafka at kafka://no-such-host.invalid:9092",
        replay("--to", "kafka://no-such-host.invalid:9092"));
  }

  @Test
  void optionsThatDoNotFitTheTarget() throws IOException {
    refused("--topic-prefix and --partitions need --to kafka://", replay("--topic-prefix", "x-"));
    refused("--topic-prefix and --partitions need --to kafka://", replay("--partitions", "3"));
    refused("--topic-prefix needs --from kafka://", query("--topic-prefix", "x-"));
    refused(
        "--merge-slices and --compression shape parquet files",
        replay("--to", "kafka://127.0.0.1:9092", "--merge-slices"));
    refused(
        "--merge-slices and --compression shape parquet files",
        replay("--to", "kafka://127.0.0.1:9092", "--compression", "zstd"));
    refused(
        "--partitions must be at least 1",
        replay("--to", "kafka://127.0.0.1:9092", "--partitions", "0"));
    refused(
        "cannot begin a Kafka topic name",
        replay("--to", "kafka://127.0.0.1:9092", "--topic-prefix", "a b/"));
  }
}
