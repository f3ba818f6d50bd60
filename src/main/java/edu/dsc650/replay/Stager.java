package edu.dsc650.replay;

import java.io.IOException;
import java.math.BigDecimal;
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
  /** A slice still to stage, at its (lap-shifted) time {@code t}. */
  private record Item(Slice slice, BigDecimal t, long shiftMicros) {}

  /** A slice given to a worker, with the pause its timestamps were rewritten for. */
  record Ticket(Item item, long pausedMicros, Future<SliceTransport.Staged> task) {}

  private final ExecutorService workers;
  private final SliceTransport transport;
  private final Iterator<ReplaySchedule.Moment> schedule;
  private final ReplayPace pace;
  private final Deque<Item> toStage = new ArrayDeque<>();
  private Deque<Ticket> pending = new ArrayDeque<>();

  /** Every task not known to be done: what {@link #awaitAll} waits for (bounded in a long run). */
  private final List<Future<SliceTransport.Staged>> submitted = new ArrayList<>();

  private final String runId;
  private final long startMicros;
  private final int lookahead;
  private final boolean maxSpeed;
  private final LongSupplier nanoTime;
  private final BooleanSupplier stopRequested;

  /**
   * @param schedule the run's schedule, walked here a step ahead of the publisher
   * @param pace when each slice is due, and the pause its timestamps carry
   * @param startMicros the run's start S, for the rewritten timestamps
   */
  Stager(
      ExecutorService workers,
      SliceTransport transport,
      Iterator<ReplaySchedule.Moment> schedule,
      ReplayPace pace,
      ReplayOptions options,
      String runId,
      long startMicros,
      LongSupplier nanoTime,
      BooleanSupplier stopRequested) {
    this.workers = workers;
    this.transport = transport;
    this.schedule = schedule;
    this.pace = pace;
    this.runId = runId;
    this.startMicros = startMicros;
    this.lookahead = Math.max(8, 4 * options.threads());
    this.maxSpeed = options.maxSpeed();
    this.nanoTime = nanoTime;
    this.stopRequested = stopRequested;
  }

  /**
   * The tickets of {@code moment} (the next one due), once the stage tasks ahead of it are
   * submitted.
   */
  List<Ticket> take(ReplaySchedule.Moment moment) {
    long aheadNanos = Replayer.STAGE_AHEAD.toNanos();
    while (hasNext()
        && (pending.size() < lookahead + moment.slices().size()
            || !maxSpeed
                && pace.dueNanos(toStage.peek().t()) < nanoTime.getAsLong() + aheadNanos)) {
      Item next = toStage.poll();
      pending.add(submit(next, null));
    }
    List<Ticket> tickets = new ArrayList<>();
    for (int i = 0; i < moment.slices().size(); i++) {
      tickets.add(pending.poll());
    }
    return tickets;
  }

  /**
   * The staged slices of {@code tickets}; fewer if a stop is requested meanwhile. A slice whose
   * timestamps were rewritten before a pause that now comes before it is staged again (and so is
   * every slice staged ahead of it), with the pause added.
   */
  List<SliceTransport.Staged> stagedFor(List<Ticket> tickets) throws IOException {
    tickets.replaceAll(this::current);
    Deque<Ticket> ahead = new ArrayDeque<>();
    pending.forEach(t -> ahead.add(current(t)));
    pending = ahead;
    List<SliceTransport.Staged> staged = new ArrayList<>();
    for (int i = 0; i < tickets.size() && !stopRequested.getAsBoolean(); i++) {
      staged.add(await(tickets.get(i).task()));
    }
    submitted.removeIf(Future::isDone);
    return staged;
  }

  /** The ticket, or a new one staging its slice again if a pause since changed its timestamps. */
  private Ticket current(Ticket ticket) {
    long paused = pace.pausedMicros(ticket.item().t(), nanoTime.getAsLong());
    return paused == ticket.pausedMicros() ? ticket : submit(ticket.item(), ticket.task());
  }

  /**
   * Gives a slice to a worker, with the pause so far; {@code earlier}, the same slice's earlier
   * staging, is waited for and removed first.
   */
  private Ticket submit(Item item, Future<SliceTransport.Staged> earlier) {
    long paused = pace.pausedMicros(item.t(), nanoTime.getAsLong());
    Future<SliceTransport.Staged> task =
        workers.submit(
            () -> {
              if (earlier != null) {
                waitFor(earlier);
                transport.discard(item.slice());
              }
              return transport.stage(
                  item.slice(), runId, startMicros + item.shiftMicros() + paused, stopRequested);
            });
    submitted.add(task);
    return new Ticket(item, paused, task);
  }

  /**
   * Waits for every stage task ever submitted and not done (a cancelled Future would not wait for a
   * running task), so that nothing writes into staging after it is removed. Tasks see the stop
   * request and return early.
   */
  void awaitAll() {
    boolean interrupted = false;
    for (Future<SliceTransport.Staged> f : submitted) {
      interrupted |= waitFor(f);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits for a task to end, however it ends; true if interrupted meanwhile. */
  private static boolean waitFor(Future<SliceTransport.Staged> f) {
    boolean interrupted = false;
    while (true) {
      try {
        f.get();
        return interrupted;
      } catch (ExecutionException e) {
        return interrupted; // reported by the task that was awaited first, or irrelevant
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
  }

  private boolean hasNext() {
    if (toStage.isEmpty() && schedule.hasNext()) {
      ReplaySchedule.Moment m = schedule.next();
      m.slices().forEach(s -> toStage.add(new Item(s, m.t(), m.shiftMicros())));
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
