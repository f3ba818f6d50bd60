package edu.dsc650.report.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * {@code report --serve}: the live page over HTTP, kept current with Server-Sent Events. A poller
 * reads what is new in the results folder ({@link LiveFeed}) every {@code period}; each viewer gets
 * a snapshot when it connects ({@code event: snapshot}) and then each update ({@code event:
 * update}), so the page changes in place, without a reload. Paths: {@code /} (the page), {@code
 * /events}, {@code /report} and {@code POST /steer?action=pause|resume|faster|slower}.
 *
 * <p>Only the page this server served can steer the replay: it holds a secret made when the server
 * started, which {@code /steer} wants in its {@value #SECRET_HEADER} header. Another site's page in
 * the same browser cannot read the page (same-origin policy), and cannot send that header either
 * without a CORS preflight, which is never answered.
 */
public final class LiveServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A viewer that hears nothing for this long gets a comment line, which also finds closed ones.
   */
  private static final long KEEP_ALIVE_MS = 15_000;

  /** The header a steering request carries the page's secret in. */
  public static final String SECRET_HEADER = "X-Steer-Secret";

  /** The page as served: with what there is so far, so that it draws at once. */
  @FunctionalInterface
  public interface Page {
    /**
     * @param secret what the page's steering requests must carry ({@link #SECRET_HEADER})
     */
    String render(LiveUpdate snapshot, String secret) throws IOException;
  }

  /** Where a steering request goes: to the running replay. */
  @FunctionalInterface
  public interface Steer {
    /** Sends {@code action}; null once sent, else why it was not (no replay is running...). */
    String send(String action) throws IOException;
  }

  private volatile Steer steer = action -> "nothing to steer: no replay here";
  private final String secret = newSecret();

  private final LiveFeed feed;
  private final Page page;
  private volatile Report report = () -> null;

  /** A page of its own at {@code /report}: the one {@code report} wrote, if any. */
  @FunctionalInterface
  public interface Report {
    /** The page, or null if there is none (yet). */
    byte[] read() throws IOException;
  }

  private final LiveHistory history = new LiveHistory(512, 20_000);
  private final HttpServer server;
  private final ExecutorService viewers;
  private final ScheduledExecutorService poller;
  private final Consumer<String> warnings;
  private String lastWarning;

  private LiveServer(LiveFeed feed, Page page, InetSocketAddress address, Consumer<String> warnings)
      throws IOException {
    this.feed = feed;
    this.page = page;
    this.warnings = warnings;
    this.server = HttpServer.create(address, 0);
    this.viewers = Executors.newCachedThreadPool(daemons("live-page-viewer"));
    this.poller = Executors.newSingleThreadScheduledExecutor(daemons("live-page-poller"));
    server.setExecutor(viewers);
    server.createContext("/", this::serve);
  }

  /**
   * Serves the page on {@code address} (port 0: any free one) and polls the results every {@code
   * periodMs} (0: only when {@link #pollNow} is called, for tests).
   *
   * @param warnings told when a poll fails (once per distinct message), e.g. a half-written file
   */
  public static LiveServer start(
      LiveFeed feed, Page page, InetSocketAddress address, long periodMs, Consumer<String> warnings)
      throws IOException {
    LiveServer s = new LiveServer(feed, page, address, warnings);
    s.server.start();
    s.pollNow(); // the first viewer gets what is there already
    if (periodMs > 0) {
      s.poller.scheduleWithFixedDelay(s::pollNow, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }
    return s;
  }

  /** Serves {@code report} at {@code /report}, beside the live page. */
  public LiveServer withReport(Report report) {
    this.report = report;
    return this;
  }

  /** Sends the page's steering requests to {@code steer}. */
  public LiveServer withSteering(Steer steer) {
    this.steer = steer;
    return this;
  }

  /** 32 random bytes, in hex: a new one each time the server starts. */
  private static String newSecret() {
    byte[] bytes = new byte[32];
    new java.security.SecureRandom().nextBytes(bytes);
    return java.util.HexFormat.of().formatHex(bytes);
  }

  /** The page's address. */
  public URI address() {
    InetSocketAddress a = server.getAddress();
    String host =
        a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
    return URI.create(
        "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/");
  }

  /** How many polls so far brought news from the results: it changes while the run does. */
  public long news() {
    return news;
  }

  /** Sends every viewer news of the report (see {@link LiveUpdate#report}). */
  public void tellReport(String state) {
    history.add(LiveUpdate.report(state));
  }

  private volatile long news;

  /** Reads what is new and sends it to every viewer. */
  public synchronized void pollNow() {
    try {
      LiveUpdate update = feed.poll();
      if (!update.isEmpty()) {
        history.add(update);
        news++;
      }
      lastWarning = null;
    } catch (IOException | RuntimeException e) {
      String message =
          "warning: reading the results failed, retrying: " + edu.dsc650.FirstLine.of(e);
      if (!message.equals(lastWarning)) {
        warnings.accept(message);
        lastWarning = message;
      }
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (!hostAllowed(exchange.getRequestHeaders().getFirst("Host"))) {
        exchange.sendResponseHeaders(403, -1);
      } else if (path.equals("/steer")) {
        if ("POST".equals(exchange.getRequestMethod())) {
          steer(exchange);
        } else {
          exchange.sendResponseHeaders(405, -1); // a link or an image steers nothing
        }
      } else if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
      } else if (path.equals("/")) {
        byte[] html =
            page.render(history.snapshot().update(), secret).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        headers(exchange);
        exchange.sendResponseHeaders(200, html.length);
        exchange.getResponseBody().write(html);
      } else if (path.equals("/events")) {
        events(exchange);
      } else if (path.equals("/report")) {
        byte[] written = report.read();
        byte[] html =
            written != null
                ? written
                : ("<!DOCTYPE html><title>no report yet</title><p>No report in the results folder"
                        + " yet: run <code>java -jar dsc650.jar report</code> once the run is over.")
                    .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        headers(exchange);
        exchange.sendResponseHeaders(written != null ? 200 : 404, html.length);
        exchange.getResponseBody().write(html);
      } else {
        exchange.sendResponseHeaders(404, -1);
      }
    }
  }

  /**
   * A steering request: 403 without the page's secret, 400 for an action that is not one, 409 when
   * there is nothing to steer (said in the body), 202 once it is on its way to the replay.
   */
  private void steer(HttpExchange exchange) throws IOException {
    String given = exchange.getRequestHeaders().getFirst(SECRET_HEADER);
    String query = exchange.getRequestURI().getQuery();
    String action = query != null && query.startsWith("action=") ? query.substring(7) : null;
    int status;
    String said;
    if (given == null
        || !java.security.MessageDigest.isEqual(
            given.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8))) {
      status = 403;
      said = "refused: this request does not come from the page this server served";
    } else if (action == null || !ACTIONS.contains(action)) {
      status = 400;
      said = "no such action: ask for one of " + ACTIONS;
    } else {
      String why = steer.send(action);
      status = why == null ? 202 : 409;
      said = why == null ? "asked to " + action : why;
    }
    byte[] body = (said + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    headers(exchange);
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  /** What the page's buttons ask for. */
  static final List<String> ACTIONS = List.of("pause", "resume", "toggle", "faster", "slower");

  /**
   * On the loopback address, only requests for this machine's own names: a page of another site
   * whose name an attacker re-points at 127.0.0.1 (DNS rebinding) sends its own name, and is
   * refused. Bound elsewhere ({@code --bind}), the user chose to be reached by any name.
   */
  boolean hostAllowed(String host) {
    InetSocketAddress bound = server.getAddress();
    if (!bound.getAddress().isLoopbackAddress()) {
      return true;
    }
    int port = bound.getPort();
    return host != null
        && java.util.Set.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port)
            .contains(host.toLowerCase(java.util.Locale.ROOT));
  }

  /** No caching, no sniffing, no framing by other sites; nothing loaded from elsewhere. */
  private static void headers(HttpExchange exchange) {
    var h = exchange.getResponseHeaders();
    h.set("Cache-Control", "no-store");
    h.set("X-Content-Type-Options", "nosniff");
    h.set(
        "Content-Security-Policy",
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline';"
            + " connect-src 'self'; img-src data:; frame-ancestors 'none'");
  }

  /** A viewer: a snapshot, then every update, until it goes away or the server stops. */
  private void events(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    headers(exchange);
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    try {
      LiveHistory.Numbered snapshot = history.snapshot();
      send(out, "snapshot", snapshot.update());
      long seq = snapshot.seq();
      while (!history.closed()) {
        List<LiveHistory.Numbered> next = history.after(seq, KEEP_ALIVE_MS);
        if (next == null) { // fell behind what is kept: start over
          snapshot = history.snapshot();
          send(out, "snapshot", snapshot.update());
          seq = snapshot.seq();
        } else if (next.isEmpty()) {
          out.write(": still here\n\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
        } else {
          for (LiveHistory.Numbered n : next) {
            send(out, "update", n.update());
            seq = n.seq();
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the viewer went away
    }
  }

  private static void send(OutputStream out, String event, LiveUpdate update) throws IOException {
    // Jackson writes one line: an SSE data field may not hold a newline
    byte[] data = JSON.writeValueAsBytes(update);
    out.write(("event: " + event + "\ndata: ").getBytes(StandardCharsets.US_ASCII));
    out.write(data);
    out.write("\n\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Override
  public void close() {
    poller.shutdownNow();
    history.close();
    server.stop(0);
    viewers.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory daemons(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
