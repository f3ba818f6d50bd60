package edu.dsc650.io;

import java.util.Arrays;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * One Hadoop {@link Configuration} for the whole process. Creating and first reading a
 * Configuration parses Hadoop's XML resources, which costs milliseconds; per file that adds up to
 * seconds.
 */
public final class HadoopConf {
  /**
   * HDFS client settings this tool's small files need, unless a site file sets them. A file's close
   * asks the NameNode to complete it, which it refuses until the DataNode has reported the last
   * block, a few milliseconds later; the client then sleeps 400 ms before it asks again, per file
   * (a slice writes four). Asked again after 25 ms, doubling ten times, it waits as long in all
   * before it gives up (25.6 s against 12.4 s).
   */
  public static final Map<String, String> HDFS_SMALL_FILES =
      Map.of(
          "dfs.client.block.write.locateFollowingBlock.initial.delay.ms", "25",
          "dfs.client.block.write.locateFollowingBlock.retries", "10");

  static {
    // what HDFS's client adds when it is first used; added now, a site file is read before the
    // settings below are decided
    Configuration.addDefaultResource("hdfs-default.xml");
    Configuration.addDefaultResource("hdfs-site.xml");
  }

  private static final class Holder {
    static final Configuration CONF = withDefaults(new Configuration());
  }

  private HadoopConf() {}

  public static Configuration shared() {
    return Holder.CONF;
  }

  /**
   * Sets each of {@link #HDFS_SMALL_FILES} that no site file or program has set (Hadoop's own
   * defaults give way). Returns {@code conf}.
   */
  public static Configuration withDefaults(Configuration conf) {
    HDFS_SMALL_FILES.forEach(
        (key, value) -> {
          if (!setByUser(conf, key)) {
            conf.set(key, value, "dsc650 default");
          }
        });
    return conf;
  }

  private static boolean setByUser(Configuration conf, String key) {
    String[] sources = conf.get(key) == null ? null : conf.getPropertySources(key);
    return sources != null && Arrays.stream(sources).anyMatch(s -> !s.endsWith("-default.xml"));
  }
}
