package edu.dsc650.replay;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Keeps the workers rewriting slices ahead of the clock: a few slices, and on a schedule every
 * slice due within {@link Replayer#STAGE_AHEAD}, so that at high speed-ups publishing does not wait
 * for a rewrite; never the whole source at once (an endless replay has no end to stage). It walks
 * the schedule on its own, one step ahead of the publisher's walk.
 */
final class Stager {
  /** The slices still to stage, in schedule order. */
  private record Item(Slice slice, long dueNanos, long shiftMicros) {}

  private final ExecutorService workers;
  private final SliceTransport transport;
  private final Iterator<ReplaySchedule.Moment> schedule;
  private final Deque<Item> toStage = new ArrayDeque<>();
  private final Deque<Future<SliceTransport.Staged>> pending = new ArrayDeque<>();

  /** Every task not known to be done: what {@link #awaitAll} waits for (bounded in a long run). */
  private final List<Future<SliceTransport.Staged>> submitted = new ArrayList<>();

  private final String runId;
  private final long startMicros;
  private final long startNanos;
  private final int lookahead;
  private final boolean maxSpeed;
  private final LongSupplier nanoTime;
  private final BooleanSupplier stopRequested;

  /**
   * @param schedule the run's schedule, walked here a step ahead of the publisher
   * @param startMicros the run's start S, for the rewritten timestamps
   * @param startNanos the run's start on {@code nanoTime}'s clock, for the due instants
   */
  Stager(
      ExecutorService workers,
      SliceTransport transport,
      Iterator<ReplaySchedule.Moment> schedule,
      ReplayOptions options,
      String runId,
      long startMicros,
      long startNanos,
      LongSupplier nanoTime,
      BooleanSupplier stopRequested) {
    this.workers = workers;
    this.transport = transport;
    this.schedule = schedule;
    this.runId = runId;
    this.startMicros = startMicros;
    this.startNanos = startNanos;
    this.lookahead = Math.max(8, 4 * options.threads());
    this.maxSpeed = options.maxSpeed();
    this.nanoTime = nanoTime;
    this.stopRequested = stopRequested;
  }

  /**
   * The staged slices of {@code moment} (the next one due), once the stage tasks ahead of it are
   * submitted; fewer if a stop is requested meanwhile.
   */
  List<SliceTransport.Staged> stagedFor(ReplaySchedule.Moment moment) throws IOException {
    long aheadNanos = Replayer.STAGE_AHEAD.toNanos();
    while (hasNext()
        && (pending.size() < lookahead + moment.slices().size()
            || !maxSpeed
                && startNanos + toStage.peek().dueNanos() < nanoTime.getAsLong() + aheadNanos)) {
      Item next = toStage.poll();
      Future<SliceTransport.Staged> task =
          workers.submit(
              () ->
                  transport.stage(
                      next.slice(), runId, startMicros + next.shiftMicros(), stopRequested));
      pending.add(task);
      submitted.add(task);
    }
    List<SliceTransport.Staged> staged = new ArrayList<>();
    for (int i = 0; i < moment.slices().size() && !stopRequested.getAsBoolean(); i++) {
      staged.add(await(pending.poll()));
    }
    submitted.removeIf(Future::isDone);
    return staged;
  }

  /**
   * Waits for every stage task ever submitted and not done (a cancelled Future would not wait for a
   * running task), so that nothing writes into staging after it is removed. Tasks see the stop
   * request and return early.
   */
  void awaitAll() {
    boolean interrupted = false;
    for (Future<SliceTransport.Staged> f : submitted) {
      while (true) {
        try {
          f.get();
          break;
        } catch (ExecutionException e) {
          break; // reported by the task that was awaited first, or irrelevant after a stop
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean hasNext() {
    if (toStage.isEmpty() && schedule.hasNext()) {
      ReplaySchedule.Moment m = schedule.next();
      m.slices().forEach(s -> toStage.add(new Item(s, m.dueNanos(), m.shiftMicros())));
    }
    return !toStage.isEmpty();
  }

  /** Waits for a staged slice, returning early (with an empty result) if a stop is requested. */
  private SliceTransport.Staged await(Future<SliceTransport.Staged> staged) throws IOException {
    while (!stopRequested.getAsBoolean()) {
      try {
        return staged.get(20, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        // look at the stop request again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return SliceTransport.NOTHING;
      } catch (ExecutionException e) {
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        throw new IOException(e.getCause().getMessage(), e.getCause());
      }
    }
    return SliceTransport.NOTHING;
  }
}
