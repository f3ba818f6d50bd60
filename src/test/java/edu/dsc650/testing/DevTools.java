package edu.dsc650.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium driven through its DevTools protocol (a WebSocket, the JDK's client): open a
 * page, evaluate script in it at any moment, take a screenshot. For pages that never finish loading
 * (the live page's event stream), where {@code --dump-dom} would wait for ever.
 */
public final class DevTools implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

  private final Process chromium;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
  private final List<String> console = java.util.Collections.synchronizedList(new ArrayList<>());

  private DevTools(Process chromium, WebSocket socket) {
    this.chromium = chromium;
    this.socket = socket;
  }

  /** Chromium from the PATH; .ci/run installs Debian's. */
  public static String chromium() {
    for (String name : List.of("chromium", "chromium-browser")) {
      for (String dir : System.getenv("PATH").split(":")) {
        if (Files.isExecutable(Paths.get(dir, name))) {
          return Paths.get(dir, name).toString();
        }
      }
    }
    throw new AssertionError(
        "chromium is not installed (.ci/run installs Debian's: apt-get install chromium)");
  }

  /** A headless Chromium with a fresh profile in {@code profile}, showing {@code page}. */
  public static DevTools open(URI page, Path profile, int width, int height) throws Exception {
    Process p =
        new ProcessBuilder(
                chromium(),
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--window-size=" + width + "," + height,
                "--user-data-dir=" + profile,
                "--remote-debugging-port=0",
                "about:blank")
            .redirectErrorStream(true)
            .start();
    String browserSocket = null;
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      seen.append(line).append('\n');
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        browserSocket = m.group(1);
        break;
      }
    }
    if (browserSocket == null) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not start its DevTools server:\n" + seen);
    }
    drain(out);
    // the page target's own socket, from the browser's HTTP endpoint
    URI ws = URI.create(browserSocket);
    HttpClient http = HttpClient.newHttpClient();
    JsonNode targets =
        JSON.readTree(
            http.send(
                    HttpRequest.newBuilder(
                            URI.create(
                                "http://" + ws.getHost() + ":" + ws.getPort() + "/json/list"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
    String pageSocket = null;
    for (JsonNode t : targets) {
      if ("page".equals(t.path("type").asText())) {
        pageSocket = t.path("webSocketDebuggerUrl").asText();
      }
    }
    if (pageSocket == null) {
      p.destroyForcibly();
      throw new AssertionError("no page in chromium: " + targets);
    }
    DevTools[] self = new DevTools[1];
    WebSocket socket =
        http.newWebSocketBuilder()
            .buildAsync(URI.create(pageSocket), new Listener(() -> self[0]))
            .get(30, TimeUnit.SECONDS);
    self[0] = new DevTools(p, socket);
    self[0].call("Runtime.enable", Map.of());
    self[0].call("Page.enable", Map.of());
    self[0].call("Page.navigate", Map.of("url", page.toString()));
    return self[0];
  }

  /** Chromium's own output, read so that it never blocks on a full pipe. */
  private static void drain(BufferedReader out) {
    Thread t =
        new Thread(
            () -> {
              try {
                while (out.readLine() != null) {}
              } catch (IOException e) {
                // chromium ended
              }
            },
            "chromium-output");
    t.setDaemon(true);
    t.start();
  }

  /** A DevTools method's result. */
  public JsonNode call(String method, Map<String, ?> params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    calls.put(id, result);
    socket
        .sendText(
            JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true)
        .get(30, TimeUnit.SECONDS);
    JsonNode reply = result.get(60, TimeUnit.SECONDS);
    if (reply.has("error")) {
      throw new AssertionError(method + ": " + reply.get("error"));
    }
    return reply.path("result");
  }

  /** The value of a script expression in the page (JSON-like values only). */
  public JsonNode eval(String expression) throws Exception {
    JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
    if (r.has("exceptionDetails")) {
      throw new AssertionError(expression + " threw: " + r.get("exceptionDetails"));
    }
    return r.path("result").path("value");
  }

  /**
   * Evaluates {@code expression} until its value satisfies {@code done}, or fails after {@code
   * timeout} with the last value (a deadline, not a guess at how long something takes).
   */
  public JsonNode await(String expression, Predicate<JsonNode> done, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Object last = null;
    while (System.nanoTime() < deadline) {
      try {
        JsonNode value = eval(expression);
        if (done.test(value)) {
          return value;
        }
        last = value;
      } catch (AssertionError e) { // what it reads may not be there yet
        last = e.getMessage();
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "after " + timeout + ", " + expression + " is still " + last + "; console: " + console());
  }

  /** What the page wrote to its console and the errors it threw. */
  public List<String> console() {
    synchronized (console) {
      return new ArrayList<>(console);
    }
  }

  public void screenshot(Path png) throws Exception {
    JsonNode shot = call("Page.captureScreenshot", Map.of("format", "png"));
    Files.createDirectories(png.toAbsolutePath().getParent());
    Files.write(png, java.util.Base64.getDecoder().decode(shot.path("data").asText()));
  }

  private void received(String text) {
    try {
      JsonNode message = JSON.readTree(text);
      if (message.has("id")) {
        CompletableFuture<JsonNode> f = calls.remove(message.get("id").asInt());
        if (f != null) {
          f.complete(message);
        }
      } else if ("Runtime.consoleAPICalled".equals(message.path("method").asText())) {
        console.add(
            message.path("params").path("type").asText()
                + ": "
                + message.path("params").path("args"));
      } else if ("Runtime.exceptionThrown".equals(message.path("method").asText())) {
        console.add("exception: " + message.path("params").path("exceptionDetails"));
      }
    } catch (IOException e) {
      console.add("unreadable DevTools message: " + text);
    }
  }

  /** Puts a message's fragments together and hands each whole one on. */
  private static final class Listener implements WebSocket.Listener {
    private final java.util.function.Supplier<DevTools> owner;
    private final StringBuilder text = new StringBuilder();

    Listener(java.util.function.Supplier<DevTools> owner) {
      this.owner = owner;
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        String whole = text.toString();
        text.setLength(0);
        DevTools d = owner.get();
        if (d != null) {
          d.received(whole);
        }
      }
      socket.request(1);
      return null;
    }
  }

  /**
   * Ends Chromium and every process it started (renderers, its crash handler), and waits for them:
   * one still running would write into the profile while the test's temporary folder is deleted.
   */
  @Override
  public void close() throws Exception {
    socket.abort();
    List<ProcessHandle> all = new ArrayList<>(chromium.descendants().toList());
    all.add(chromium.toHandle());
    all.forEach(ProcessHandle::destroy);
    for (ProcessHandle p : all) {
      try {
        p.onExit().get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        p.destroyForcibly();
        p.onExit().get(10, TimeUnit.SECONDS);
      }
    }
  }
}
