package edu.dsc650.cli;

import edu.dsc650.replay.Steering;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * stream-data's keys on a terminal: space pauses and resumes, {@code +} doubles the speed-up,
 * {@code -} halves it. The terminal reads a key at a time without echo ({@code stty -icanon -echo})
 * while the run goes, and gets its settings back at the end, on a signal too.
 */
final class TerminalKeys implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TerminalKeys.class);

  private final String saved;
  private final Thread shutdownHook;
  private boolean restored;

  private TerminalKeys(String saved) {
    this.saved = saved;
    this.shutdownHook = new Thread(this::restore, "terminal-restore");
  }

  /**
   * Reads keys from {@code keys} (the terminal) into {@code steering}; without {@code stty} the
   * keys still work, a line at a time.
   */
  static TerminalKeys start(InputStream keys, Steering steering) {
    String saved = stty("-g");
    TerminalKeys terminal = new TerminalKeys(saved == null ? null : saved.strip());
    if (saved != null && stty("-icanon", "-echo", "min", "1") != null) {
      Runtime.getRuntime().addShutdownHook(terminal.shutdownHook);
    }
    Thread reader = new Thread(() -> read(keys, steering), "terminal-keys");
    reader.setDaemon(true);
    reader.start();
    return terminal;
  }

  /** The request a key asks for, or null. */
  static Steering.Request requestOf(int key) {
    return switch (key) {
      case ' ' -> Steering.Request.TOGGLE;
      case '+', '=' -> Steering.Request.FASTER; // = is + without shift
      case '-', '_' -> Steering.Request.SLOWER;
      default -> null;
    };
  }

  private static void read(InputStream keys, Steering steering) {
    try {
      for (int key; (key = keys.read()) >= 0; ) {
        Steering.Request request = requestOf(key);
        if (request != null) {
          steering.ask(request);
        }
      }
    } catch (IOException e) {
      LOG.debug("the terminal's keys cannot be read", e);
    }
  }

  /** Runs stty on our terminal; its output, or null if it failed. */
  private static String stty(String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "stty";
    System.arraycopy(args, 0, command, 1, args.length);
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.INHERIT)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private synchronized void restore() {
    if (!restored && saved != null) {
      restored = true;
      stty(saved);
    }
  }

  @Override
  public void close() {
    restore();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | IllegalArgumentException e) {
      // shutting down, or never added
    }
  }
}
