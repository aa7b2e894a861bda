package io.timbre.spark;

import io.timbre.store.NioLocalFileSystem;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the SparkSession every job runs in. Under {@code spark-submit} the master and resources come from there;
 * under {@code ./timbre} (no {@code spark.master} set) it is local mode with the UI off and the driver on loopback.
 * Both serve {@code file://} with {@link NioLocalFileSystem} (no forked {@code chmod} per file written) unless the
 * user chose another {@code fs.file.impl}, and install {@link TimbrePlugin} in every JVM of the application.
 */
public final class Sessions {
  private static final String FILE_IMPL = "fs.file.impl";

  private Sessions() {}

  /**
   * Hadoop settings for files a job reads before its session exists or without one (a {@code --conf} file, a dataset
   * listing): Hadoop's defaults and site files, spark-submit's {@code spark.hadoop.*} system properties, and for a
   * the session's {@code file://} implementation. That last one matters beyond taste: Hadoop caches one
   * file system per scheme and user for the whole JVM, created from whichever configuration asked first.
   */
  public static Configuration hadoopConfiguration() {
    Configuration c = new Configuration();
    c.set(FILE_IMPL, NioLocalFileSystem.class.getName());
    System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("spark.hadoop."))
        .forEach(k -> c.set(k.substring("spark.hadoop.".length()), System.getProperty(k)));
    return c;
  }

  /**
   * @param master the master for local runs (e.g. {@code local[2]}); ignored when spark-submit set one
   * @param settings extra Spark settings (e.g. from the job's config); {@code spark.hadoop.*} reach Hadoop
   */
  public static SparkSession create(String appName, String master, Map<String, String> settings) {
    SparkConf conf = new SparkConf(true).setAppName(appName);
    if (!conf.contains("spark.master")) {
      conf.setMaster(master == null ? "local[*]" : master);
      conf.setIfMissing("spark.ui.enabled", "false");
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    }
    // Hadoop's file:// forks a chmod per file and directory written without its native library, which no Maven
    // artefact ships and few Spark installations have: on a cluster too (tables on a shared mount, HDFS-less runs).
    conf.setIfMissing("spark.hadoop." + FILE_IMPL, NioLocalFileSystem.class.getName());
    TimbrePlugin.register(conf);
    conf.setIfMissing("spark.sql.shuffle.partitions", "8");
    conf.setIfMissing("spark.sql.parquet.compression.codec", "zstd");
    settings.forEach(conf::set);
    return SparkSession.builder().config(conf).getOrCreate();
  }
}
