package edu.dsc650.io.kafka;

import edu.dsc650.BadInputException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** The topic work of the replay and the queries, on Kafka's admin client. */
public final class KafkaTopics implements AutoCloseable {
  /** How long the first contact with the cluster may take before it counts as unreachable. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(8);

  private static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaAddress address;
  private final Admin admin;

  private KafkaTopics(KafkaAddress address, Admin admin) {
    this.address = address;
    this.admin = admin;
  }

  /**
   * Connects to the cluster and checks it answers.
   *
   * @throws BadInputException if it cannot be reached within {@link #CONNECT_TIMEOUT} (nothing was
   *     changed)
   */
  public static KafkaTopics connect(KafkaAddress address) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, address.bootstrap());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CONNECT_TIMEOUT.toMillis());
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) OPERATION_TIMEOUT.toMillis());
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "dsc650-admin");
    Admin admin;
    try {
      admin = Admin.create(props);
    } catch (KafkaException e) { // e.g. no resolvable bootstrap address
      throw new BadInputException("cannot reach Kafka at " + address + ": " + rootMessage(e), e);
    }
    KafkaTopics topics = new KafkaTopics(address, admin);
    try {
      admin.describeCluster().nodes().get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      topics.close();
      throw new BadInputException(
          "cannot reach Kafka at "
              + address
              + " within "
              + CONNECT_TIMEOUT.toSeconds()
              + " s (is a broker running? scripts/kafka.sh start)",
          e);
    } catch (InterruptedException e) {
      topics.close();
      Thread.currentThread().interrupt();
      throw new BadInputException("interrupted while connecting to Kafka at " + address, e);
    }
    return topics;
  }

  public KafkaAddress address() {
    return address;
  }

  /** How many brokers the cluster has now. */
  public int brokers() throws IOException {
    return get(admin.describeCluster().nodes()).size();
  }

  /** Which of {@code names} exist. */
  public Set<String> existing(Collection<String> names) throws IOException {
    Set<String> all = new java.util.HashSet<>(get(admin.listTopics().names()));
    all.retainAll(names);
    return all;
  }

  /**
   * Deletes the topics if they exist, waits until they are gone, and creates them empty with {@code
   * partitions} partitions each (replicated to up to three brokers).
   */
  public void recreate(List<String> names, int partitions) throws IOException {
    Set<String> old = existing(names);
    if (!old.isEmpty()) {
      get(admin.deleteTopics(old).all());
    }
    short replicas = (short) Math.min(3, brokers());
    long deadline = System.nanoTime() + OPERATION_TIMEOUT.toNanos();
    List<String> toCreate = new ArrayList<>(names);
    while (true) {
      // a deleted topic may still be marked for deletion for a moment: creating it fails until then
      List<NewTopic> topics =
          toCreate.stream().map(n -> new NewTopic(n, partitions, replicas)).toList();
      Map<String, org.apache.kafka.common.KafkaFuture<Void>> results =
          admin.createTopics(topics).values();
      List<String> again = new ArrayList<>();
      for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> r : results.entrySet()) {
        try {
          get(r.getValue());
        } catch (IOException e) {
          if (!(e.getCause() instanceof TopicExistsException) || System.nanoTime() > deadline) {
            throw e;
          }
          again.add(r.getKey());
        }
      }
      if (again.isEmpty()) {
        break;
      }
      toCreate = again;
      sleep(100);
    }
    awaitLeaders(names, partitions, deadline);
  }

  /** Waits until every partition of the topics has a leader (a producer's first send needs one). */
  private void awaitLeaders(List<String> names, int partitions, long deadline) throws IOException {
    while (true) {
      try {
        Map<String, TopicDescription> d = get(admin.describeTopics(names).allTopicNames());
        boolean ready =
            d.values().stream()
                .allMatch(
                    t ->
                        t.partitions().size() == partitions
                            && t.partitions().stream()
                                .allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
        if (ready) {
          return;
        }
      } catch (IOException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "topics "
                + names
                + " on "
                + address
                + " have no leader after "
                + OPERATION_TIMEOUT.toSeconds()
                + " s");
      }
      sleep(50);
    }
  }

  /**
   * The offset after the last committed record of each partition of each topic: what a {@code
   * read_committed} reader has consumed everything at (its transaction markers included).
   */
  public Map<String, Map<Integer, Long>> committedEndOffsets(Collection<String> names)
      throws IOException {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (TopicDescription t : get(admin.describeTopics(names).allTopicNames()).values()) {
      t.partitions()
          .forEach(
              p -> request.put(new TopicPartition(t.name(), p.partition()), OffsetSpec.latest()));
    }
    Map<String, Map<Integer, Long>> ends = new TreeMap<>();
    get(admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all())
        .forEach(
            (tp, info) ->
                ends.computeIfAbsent(tp.topic(), k -> new TreeMap<>())
                    .put(tp.partition(), info.offset()));
    return ends;
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(2));
  }

  private <T> T get(org.apache.kafka.common.KafkaFuture<T> future) throws IOException {
    try {
      return future.get(OPERATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IOException("Kafka at " + address + ": " + rootMessage(e.getCause()), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException(
          "Kafka at " + address + " did not answer within " + OPERATION_TIMEOUT.toSeconds() + " s",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for Kafka at " + address, e);
    }
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
