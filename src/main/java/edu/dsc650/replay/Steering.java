package edu.dsc650.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Requests to steer a running replay, from any thread (the terminal's keys, the live page through
 * the results folder); the publishing thread takes them between slices and while it waits.
 */
public final class Steering {
  /** What a user can ask of a running replay. */
  public enum Request {
    PAUSE,
    RESUME,
    /** pause if running, resume if paused (the space bar) */
    TOGGLE,
    /** double the speed-up */
    FASTER,
    /** halve the speed-up */
    SLOWER;

    /** The request named {@code name} (pause, resume, toggle, faster, slower), or null. */
    public static Request named(String name) {
      for (Request r : values()) {
        if (r.name().toLowerCase(Locale.ROOT).equals(name)) {
          return r;
        }
      }
      return null;
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
  private volatile Runnable wake = () -> {};

  /** Queues a request and wakes the publishing thread. */
  public void ask(Request request) {
    requests.add(request);
    wake.run();
  }

  boolean hasNews() {
    return !requests.isEmpty();
  }

  List<Request> take() {
    List<Request> taken = new ArrayList<>();
    for (Request r; (r = requests.poll()) != null; ) {
      taken.add(r);
    }
    return taken;
  }

  /** Called by the replayer with how to wake its publishing thread. */
  void onNews(Runnable wake) {
    this.wake = wake;
  }
}
