package edu.dsc650.replay;

import edu.dsc650.io.SteeringRequests;
import java.io.IOException;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Takes the requests left in the results folder (the live page's buttons, through {@code report
 * --serve}) every {@link #EVERY_MS} ms and hands those for this run to its {@link Steering}.
 */
public final class SteeringPoller implements AutoCloseable {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(SteeringPoller.class);

  /** A click shows within a quarter of a second; a listing per poll costs next to nothing. */
  static final long EVERY_MS = 200;

  private final SteeringRequests requests;
  private final Supplier<String> runId;
  private final Steering steering;
  private final Consumer<String> warn;
  private final Thread thread;

  /**
   * @param runId the running replay's id, null before it has one
   * @param warn told of a request that is dropped (another run's, or not one)
   */
  public SteeringPoller(
      SteeringRequests requests, Supplier<String> runId, Steering steering, Consumer<String> warn) {
    this.requests = requests;
    this.runId = runId;
    this.steering = steering;
    this.warn = warn;
    this.thread = new Thread(this::run, "steering-requests");
    thread.setDaemon(true);
  }

  public SteeringPoller start() {
    thread.start();
    return this;
  }

  private void run() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        poll();
        Thread.sleep(EVERY_MS);
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        LOG.debug("cannot read the steering requests", e);
      }
    }
  }

  /** Takes what was asked since the last poll. */
  void poll() throws IOException {
    String id = runId.get();
    if (id == null) {
      return; // not started: the requests wait
    }
    for (SteeringRequests.Request r : requests.take()) {
      Steering.Request request = r.action() == null ? null : Steering.Request.named(r.action());
      if (request == null) {
        warn.accept("a steering request that is not one was dropped: " + r.action());
      } else if (!Objects.equals(id, r.runId())) {
        warn.accept(
            "a request to " + r.action() + " run " + r.runId() + " was dropped: this is run " + id);
      } else {
        steering.ask(request);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    thread.interrupt();
    thread.join(1000);
  }
}
