package edu.dsc650.replay;

import edu.dsc650.io.ReplayManifest;
import java.io.IOException;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/**
 * Where a replay publishes, and how a slice becomes visible there all at once: a staged folder
 * renamed into {@code input} ({@link FileTransport}), or one Kafka transaction per moment ({@link
 * KafkaTransport}). The {@link Replayer} decides when; a transport decides how.
 */
public interface SliceTransport extends AutoCloseable {

  /** What staging one slice made, ready to publish. */
  interface Staged {
    /** Source files read (each copy counted). */
    int files();

    long rows();

    /**
     * Once published to Kafka: per partition, the offset after the slice's last record; else null.
     */
    default java.util.Map<Integer, Long> kafkaOffsets() {
      return null;
    }

    /**
     * Once published to Kafka: how long the moment's transaction took, from its begin to its
     * commit, in milliseconds (every slice of the moment has the same); else null.
     */
    default Double transactionMs() {
      return null;
    }
  }

  /** A slice that was not staged because a stop came first. */
  Staged NOTHING =
      new Staged() {
        @Override
        public int files() {
          return 0;
        }

        @Override
        public long rows() {
          return 0;
        }
      };

  /**
   * Clears what an earlier run published, so that the run starts from nothing; called once, after
   * replay.json names the new run and before any slice is staged.
   */
  void prepare(List<Slice> slices, Laps laps, String runId) throws IOException;

  /**
   * Reads and rewrites one slice ahead of its instant (on a worker thread).
   *
   * @param startMicros the run's start S plus the slice's lap shift, in microseconds since the
   *     epoch
   * @param stopRequested true once the run is stopping: return early, nothing to publish
   */
  Staged stage(Slice slice, String runId, long startMicros, BooleanSupplier stopRequested)
      throws IOException;

  /**
   * Removes what {@link #stage} made of a slice that is to be staged again (a pause came before it:
   * its timestamps change); on a worker thread, never while the slice is being staged.
   */
  default void discard(Slice slice) throws IOException {}

  /**
   * Makes one moment's staged slices visible (on the publishing thread), calling {@code visible}
   * with each slice's index once a reader can see it.
   */
  void publish(List<Slice> slices, List<Staged> staged, IntConsumer visible) throws IOException;

  /** What replay.json says of where the run publishes, from its first version on. */
  default ReplayManifest describe(ReplayManifest manifest) {
    return manifest;
  }

  /**
   * What the run's final replay.json says of a completed run, beyond the counts (Kafka: end
   * offsets).
   */
  default ReplayManifest completed(ReplayManifest manifest) throws IOException {
    return manifest;
  }

  /** Removes work in progress; called on every way out of a run, before {@link #close()}. */
  void cleanUp() throws IOException;

  @Override
  void close() throws IOException;
}
