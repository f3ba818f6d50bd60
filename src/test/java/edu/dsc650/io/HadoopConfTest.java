package edu.dsc650.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
