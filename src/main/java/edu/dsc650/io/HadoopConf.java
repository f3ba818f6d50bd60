package edu.dsc650.io;

import java.util.Arrays;
import java.util.List;
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

  /**
   * Forgets which resource set each property of {@code conf} (Hadoop keeps that for messages only),
   * after loading every default resource that Hadoop's classes add when first used (a later one
   * would reload them, with their sources). Returns {@code conf}.
   *
   * <p>Why: Spark ships a copy of its Hadoop configuration, ~1,000 properties, with each task that
   * writes files and in each broadcast of a file reader or a state store, several per micro-batch,
   * and Hadoop writes each property's sources as a gzip stream of its own. That cost 2–3 ms per
   * copy to write and as much to read, a sixth of {@code simple}'s CPU (docs/performance.md); a
   * copy without sources costs a tenth. Copies made from {@code conf} carry only the sources of
   * what is set in them afterwards.
   */
  public static Configuration withoutSources(Configuration conf) {
    loadEveryDefault(conf);
    forgetSources(conf);
    return conf;
  }

  private static void forgetSources(Configuration conf) {
    try {
      java.lang.reflect.Field sources = Configuration.class.getDeclaredField("updatingResource");
      sources.setAccessible(true);
      synchronized (conf) {
        ((Map<?, ?>) sources.get(conf)).clear();
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // another Hadoop: its copies cost what they cost
    }
  }

  /** Prefixes of the properties that only YARN's own code reads. */
  static final List<String> YARN_ONLY =
      List.of("yarn.", "hadoop.registry.", "mapreduce.jobhistory.");

  /**
   * The configuration Spark's tasks are given: {@link #withoutSources} and without the defaults of
   * YARN's properties, which Hadoop's {@code JobConf} loads (yarn-default.xml: 470 of its ~960
   * properties) and nothing reads in local mode or on a standalone cluster. Each copy a task
   * deserializes costs per property (~1 ms per 100). A value a site file or the program set stays.
   * Returns {@code conf}.
   */
  public static Configuration forTasks(Configuration conf) {
    loadEveryDefault(conf);
    List<String> yarnDefaults = new java.util.ArrayList<>();
    for (Map.Entry<String, String> property : conf) {
      String key = property.getKey();
      if (YARN_ONLY.stream().anyMatch(key::startsWith) && !setByUser(conf, key)) {
        yarnDefaults.add(key);
      }
    }
    yarnDefaults.forEach(conf::unset);
    forgetSources(conf);
    return conf;
  }

  /**
   * Loads every default resource that Hadoop's classes add when first used: a resource added later
   * would reload them all into {@code conf}, with their sources.
   */
  private static void loadEveryDefault(Configuration conf) {
    for (String addsDefaults :
        List.of("org.apache.hadoop.mapred.JobConf", "org.apache.hadoop.hdfs.HdfsConfiguration")) {
      try {
        Class.forName(addsDefaults, true, Configuration.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        // not on the class path: it will not add resources either
      }
    }
    conf.size(); // loads the resources now
  }

  private static boolean setByUser(Configuration conf, String key) {
    String[] sources = conf.get(key) == null ? null : conf.getPropertySources(key);
    return sources != null && Arrays.stream(sources).anyMatch(s -> !s.endsWith("-default.xml"));
  }
}
