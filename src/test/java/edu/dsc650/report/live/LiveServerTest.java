package edu.dsc650.report.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.Storage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live page over HTTP: the page, and its event stream, which starts with what is there and then
 * sends each poll's news. Polls are made by the test ({@code pollNow}), not by a timer.
 */
class LiveServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void servesThePageThenASnapshotThenEachUpdate() throws Exception {
    Path root = tmp.resolve("results");
    LiveFeedTest.append(root.resolve("replay-slices.jsonl"), LiveFeedTest.SLICE_0 + "\n");
    LiveFeed feed =
        new LiveFeed(
            Storage.forLocation(root.toString()),
            new ResultsLayout(new org.apache.hadoop.fs.Path(root.toUri())));
    List<String> warnings = new ArrayList<>();
    try (LiveServer server =
        LiveServer.start(
            feed,
            (snapshot, secret) ->
                "<!DOCTYPE html><title>" + snapshot.slices().get(0).slice() + "</title>",
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            0,
            warnings::add)) {
      HttpURLConnection page = open(server, "");
      assertEquals(200, page.getResponseCode());
      assertTrue(page.getContentType().startsWith("text/html"));
      assertTrue(
          page.getHeaderField("Content-Security-Policy").contains("default-src 'none'"),
          "nothing loaded from elsewhere");
      assertEquals(
          "<!DOCTYPE html><title>t=0.0</title>",
          new String(page.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
          "the page holds what there is so far");
      assertEquals(404, open(server, "nothing-here").getResponseCode());
      assertEquals(404, open(server, "report").getResponseCode(), "no report written yet");
      server.withReport(() -> "<p>the report</p>".getBytes(StandardCharsets.UTF_8));
      HttpURLConnection report = open(server, "report");
      assertEquals(200, report.getResponseCode());
      assertEquals(
          "<p>the report</p>",
          new String(report.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      int port = server.address().getPort();
      assertEquals("HTTP/1.1 403 Forbidden", statusLine(port, "evil.example:" + port), "rebinding");
      assertEquals("HTTP/1.1 200 OK", statusLine(port, "localhost:" + port));

      HttpURLConnection events = open(server, "events");
      assertEquals(200, events.getResponseCode());
      assertTrue(events.getContentType().startsWith("text/event-stream"));
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(events.getInputStream(), StandardCharsets.UTF_8))) {
        Event snapshot = next(in);
        assertEquals("snapshot", snapshot.name);
        assertEquals("t=0.0", snapshot.data.path("slices").get(0).path("slice").asText());

        LiveFeedTest.append(root.resolve("replay-slices.jsonl"), LiveFeedTest.SLICE_1 + "\n");
        LiveFeedTest.append(
            root.resolve("progress/joined/joined-1.jsonl"),
            LiveFeedTest.progress(
                    "joined",
                    7,
                    "2026-12-06T10:00:02Z",
                    "2026-12-06T10:00:01Z",
                    "2026-12-06T09:59:31Z")
                + "\n");
        server.pollNow();
        Event update = next(in);
        assertEquals("update", update.name);
        assertEquals(1, update.data.path("slices").size(), "only what is new");
        assertEquals("t=1.5", update.data.path("slices").get(0).path("slice").asText());
        assertEquals(7, update.data.path("batches").get(0).path("id").asLong());
      }
    }
    assertEquals(List.of(), warnings);
  }

  /**
   * Issue 33: only the page served holds the secret that steers the replay; a request without it,
   * or with another, is refused and reaches nothing.
   */
  @Test
  void onlyARequestWithThePagesSecretSteers() throws Exception {
    Path root = tmp.resolve("results");
    java.nio.file.Files.createDirectories(root);
    LiveFeed feed =
        new LiveFeed(
            Storage.forLocation(root.toString()),
            new ResultsLayout(new org.apache.hadoop.fs.Path(root.toUri())));
    String[] served = new String[1];
    List<String> sent = new ArrayList<>();
    try (LiveServer server =
        LiveServer.start(
            feed,
            (snapshot, secret) -> {
              served[0] = secret;
              return "<p>page</p>";
            },
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            0,
            w -> {})) {
      open(server, "").getInputStream().readAllBytes(); // the page, with its secret
      String secret = served[0];
      assertEquals(409, steer(server, "pause", secret).getResponseCode(), "nothing to steer yet");
      server.withSteering(
          action -> {
            sent.add(action);
            return null;
          });
      assertEquals(64, secret.length());
      assertEquals(403, steer(server, "pause", null).getResponseCode(), "no secret");
      assertEquals(403, steer(server, "pause", "0".repeat(64)).getResponseCode(), "another");
      assertEquals(403, steer(server, "pause", secret.substring(1)).getResponseCode());
      assertEquals(400, steer(server, "explode", secret).getResponseCode());
      assertEquals(List.of(), sent, "nothing refused was sent");
      HttpURLConnection ok = steer(server, "pause", secret);
      assertEquals(202, ok.getResponseCode());
      assertEquals(
          "asked to pause\n",
          new String(ok.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      assertEquals(202, steer(server, "faster", secret).getResponseCode());
      assertEquals(List.of("pause", "faster"), sent);
      HttpURLConnection get = open(server, "steer?action=pause");
      assertEquals(405, get.getResponseCode(), "a GET (a link, an image) steers nothing");
      assertEquals(List.of("pause", "faster"), sent);
    }
  }

  private static HttpURLConnection steer(LiveServer server, String action, String secret)
      throws Exception {
    HttpURLConnection c = open(server, "steer?action=" + action);
    c.setRequestMethod("POST");
    if (secret != null) {
      c.setRequestProperty(LiveServer.SECRET_HEADER, secret);
    }
    return c;
  }

  private static HttpURLConnection open(LiveServer server, String path) throws Exception {
    HttpURLConnection c =
        (HttpURLConnection) server.address().resolve(path).toURL().openConnection();
    c.setConnectTimeout(10_000);
    c.setReadTimeout(30_000); // a missing event fails the test rather than hanging it
    return c;
  }

  /** The status line of a GET / that names {@code host} in its Host header. */
  private static String statusLine(int port, String host) throws Exception {
    try (java.net.Socket socket = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(30_000);
      socket
          .getOutputStream()
          .write(
              ("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      return new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
    }
  }

  private record Event(String name, JsonNode data) {}

  /** The next event of the stream (comment lines skipped). */
  private static Event next(BufferedReader in) throws Exception {
    String name = null;
    JsonNode data = null;
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.startsWith("event: ")) {
        name = line.substring(7);
      } else if (line.startsWith("data: ")) {
        data = JSON.readTree(line.substring(6));
      } else if (line.isEmpty() && name != null) {
        return new Event(name, data);
      }
    }
    throw new AssertionError("the stream ended");
  }
}
