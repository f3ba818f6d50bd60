package edu.dsc650.io;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.fs.Path;

/**
 * Requests to steer a replay that go through the results folder ({@code <results>/steering}), so
 * that they reach a stream-data of another process, or of another machine with the results on HDFS:
 * one small JSON file each, written whole (temporary name, then a rename) and deleted by the replay
 * that takes it. A request names its run: one left over for an earlier run is dropped.
 */
public final class SteeringRequests {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong SEQUENCE = new AtomicLong();

  /** One request, as its file holds it. */
  public record Request(
      @JsonProperty("run_id") String runId, @JsonProperty("action") String action) {}

  private final Storage storage;
  private final Path folder;

  public SteeringRequests(Storage storage, ResultsLayout results) {
    this.storage = storage;
    this.folder = results.steering();
  }

  /** Leaves a request for run {@code runId}; the replay takes it within a poll. */
  public void send(String runId, String action) throws IOException {
    storage.mkdirs(folder);
    // named by time then a counter: taken in the order they were sent
    String name =
        String.format(
            java.util.Locale.ROOT,
            "%016x-%08x-%04x.json",
            System.currentTimeMillis(),
            SEQUENCE.incrementAndGet(),
            ThreadLocalRandom.current().nextInt(0x10000));
    storage.writeAtomically(
        new Path(folder, name), JSON.writeValueAsBytes(new Request(runId, action)));
  }

  /**
   * Takes every request left so far, oldest first, deleting each; a file that is not a request is
   * deleted too and returned with a null action.
   */
  public List<Request> take() throws IOException {
    if (!storage.exists(folder)) {
      return List.of();
    }
    List<Storage.Entry> files = new ArrayList<>();
    for (Storage.Entry e : storage.list(folder)) {
      if (e.name().endsWith(".json") && !e.hidden()) {
        files.add(e);
      }
    }
    files.sort(Comparator.comparing(Storage.Entry::name));
    List<Request> taken = new ArrayList<>(files.size());
    for (Storage.Entry e : files) {
      Request request;
      try {
        request = JSON.readValue(storage.readAll(e.path()), Request.class);
      } catch (IOException notARequest) {
        request = new Request(null, null);
      }
      storage.deleteRecursively(e.path());
      taken.add(request);
    }
    return taken;
  }

  /** Removes what an earlier run left. */
  public void clear() throws IOException {
    storage.deleteRecursively(folder);
  }
}
