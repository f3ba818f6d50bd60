package edu.dsc650.io.kafka;

import edu.dsc650.BadInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kafka cluster as the command line names it: {@code kafka://HOST:PORT[,HOST:PORT...]}, the
 * bootstrap servers a client first asks for the cluster's brokers.
 *
 * @param servers {@code host:port} each
 */
public record KafkaAddress(List<String> servers) {
  public static final String SCHEME = "kafka://";

  /** A host name, an IPv4 address or a bracketed IPv6 address, then a port. */
  private static final Pattern SERVER =
      Pattern.compile(
          "(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?):([0-9]{1,5})");

  public KafkaAddress {
    servers = List.copyOf(servers);
  }

  /** True if {@code location} names a Kafka cluster rather than a folder. */
  public static boolean isKafka(String location) {
    return location != null && location.toLowerCase(Locale.ROOT).startsWith(SCHEME);
  }

  /** The value of {@code --to}/{@code --from} that means parquet files in the results folder. */
  public static final String FILES = "files";

  /**
   * The default {@code --topic-prefix}: topics of this tool's own name, which cannot be taken for
   * somebody else's {@code accelerations}.
   */
  public static final String DEFAULT_PREFIX = "dsc650.";

  /**
   * Parses the value of {@code --to} or {@code --from}: {@value #FILES}, or a Kafka address.
   *
   * @return the cluster, or null for {@value #FILES}
   * @throws BadInputException if it is neither
   */
  public static KafkaAddress parseOrFiles(String value, String option) {
    if (FILES.equals(value)) {
      return null;
    }
    if (!isKafka(value)) {
      throw new edu.dsc650.BadUsageException(
          option
              + " must be "
              + FILES
              + " or kafka://HOST:PORT[,HOST:PORT...], not '"
              + value
              + "'");
    }
    return parse(value, option);
  }

  /** The Kafka topic a replay publishes a source topic to. */
  public static String topic(String prefix, String sourceTopic) {
    return prefix + sourceTopic;
  }

  /**
   * Parses {@code kafka://HOST:PORT[,HOST:PORT...]}.
   *
   * @param option the option it was given with, for the message
   * @throws BadInputException if it is not such an address
   */
  public static KafkaAddress parse(String location, String option) {
    String expected = option + " must be kafka://HOST:PORT[,HOST:PORT...], not '" + location + "'";
    if (!isKafka(location)) {
      throw new edu.dsc650.BadUsageException(expected);
    }
    String rest = location.substring(SCHEME.length());
    if (rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    List<String> servers = new ArrayList<>();
    for (String server : rest.split(",", -1)) {
      Matcher m = SERVER.matcher(server);
      if (!m.matches()) {
        throw new edu.dsc650.BadUsageException(expected + ": '" + server + "' is not HOST:PORT");
      }
      int port = Integer.parseInt(m.group(3));
      if (port < 1 || port > 65535) {
        throw new edu.dsc650.BadUsageException(expected + ": port " + port + " is out of range");
      }
      servers.add(server);
    }
    return new KafkaAddress(servers);
  }

  /** The {@code bootstrap.servers} of a Kafka client. */
  public String bootstrap() {
    return String.join(",", servers);
  }

  @Override
  public String toString() {
    return SCHEME + bootstrap();
  }
}
