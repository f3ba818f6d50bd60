package edu.dsc650.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class HadoopConfTest {
  static final String DELAY = "dfs.client.block.write.locateFollowingBlock.initial.delay.ms";
  static final String RETRIES = "dfs.client.block.write.locateFollowingBlock.retries";

  @Test
  void theSmallFileSettingsReplaceHadoopsDefaults() {
    Configuration conf = HadoopConf.withDefaults(new Configuration());
    assertEquals(25, conf.getInt(DELAY, -1));
    assertEquals(10, conf.getInt(RETRIES, -1));
    assertEquals(25, HadoopConf.shared().getInt(DELAY, -1));
  }

  @Test
  void aValueTheUserSetIsKept() {
    Configuration conf = new Configuration();
    conf.set(DELAY, "400", "spark.hadoop." + DELAY);
    HadoopConf.withDefaults(conf);
    assertEquals(400, conf.getInt(DELAY, -1));
    assertEquals(10, conf.getInt(RETRIES, -1));
  }

  /** What a copy of it carries to Spark's tasks: every property, no sources. */
  @Test
  void withoutSourcesKeepsEveryValueAndWritesLess() throws IOException {
    HadoopConf.withoutSources(new Configuration()); // Hadoop's classes add their defaults first
    Configuration conf = HadoopConf.withDefaults(new Configuration());
    conf.set("dsc650.test", "a value");
    Map<String, String> before = values(conf);
    int bytesBefore = written(conf);

    HadoopConf.withoutSources(conf);
    Configuration copy = new Configuration(conf); // what Spark ships: a copy
    copy.set("dsc650.later", "set afterwards");

    Map<String, String> after = values(copy);
    after.remove("dsc650.later");
    assertEquals(before, after);
    assertNull(copy.getPropertySources("fs.defaultFS"));
    assertArrayEquals(new String[] {"programmatically"}, copy.getPropertySources("dsc650.later"));
    int bytesAfter = written(conf);
    assertTrue(
        bytesAfter < bytesBefore * 2 / 3,
        "written " + bytesBefore + " bytes before, " + bytesAfter + " after");
  }

  /** What Spark's tasks are given: every property but YARN's defaults, which nothing here reads. */
  @Test
  void forTasksDropsOnlyYarnDefaults() {
    HadoopConf.withoutSources(new Configuration()); // Hadoop's classes add their defaults first
    Configuration conf = HadoopConf.withDefaults(new Configuration());
    conf.set("yarn.dsc650.test", "set by the program");
    Map<String, String> before = values(conf);
    long yarnDefaults =
        before.keySet().stream()
            .filter(k -> k.startsWith("yarn.") && !k.equals("yarn.dsc650.test"))
            .count();
    assertTrue(yarnDefaults > 100, yarnDefaults + " YARN defaults: yarn-default.xml not loaded?");

    Map<String, String> after = values(HadoopConf.forTasks(conf));

    Map<String, String> expected = new TreeMap<>(before);
    expected
        .keySet()
        .removeIf(
            k ->
                (k.startsWith("yarn.")
                        || k.startsWith("hadoop.registry.")
                        || k.startsWith("mapreduce.jobhistory."))
                    && !k.equals("yarn.dsc650.test"));
    assertEquals(expected, after);
    assertEquals("set by the program", after.get("yarn.dsc650.test"));
    assertNull(conf.getPropertySources("fs.defaultFS"));
  }

  private static Map<String, String> values(Configuration conf) {
    Map<String, String> values = new TreeMap<>();
    conf.forEach(e -> values.put(e.getKey(), e.getValue()));
    return values;
  }

  private static int written(Configuration conf) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    conf.write(new DataOutputStream(bytes));
    return bytes.size();
  }
}
