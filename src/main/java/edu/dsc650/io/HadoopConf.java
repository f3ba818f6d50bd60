package edu.dsc650.io;

import org.apache.hadoop.conf.Configuration;

/**
 * One Hadoop {@link Configuration} for the whole process. Creating and first reading a
 * Configuration parses Hadoop's XML resources, which costs milliseconds; per file that adds up to
 * seconds.
 */
public final class HadoopConf {
  private static final class Holder {
    static final Configuration CONF = new Configuration();
  }

  private HadoopConf() {}

  public static Configuration shared() {
    return Holder.CONF;
  }
}
