package io.timbre.spark;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the SparkSession every job runs in. Under {@code spark-submit} the master and resources come from there;
 * under {@code ./timbre} (no {@code spark.master} set) it is local mode with the UI off and the driver on loopback.
 */
public final class Sessions {
  private Sessions() {}

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
    conf.setIfMissing("spark.sql.shuffle.partitions", "8");
    conf.setIfMissing("spark.sql.parquet.compression.codec", "zstd");
    settings.forEach(conf::set);
    return SparkSession.builder().config(conf).getOrCreate();
  }
}
