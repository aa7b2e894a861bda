package io.timbre.jobs;

import io.timbre.config.JobConfig;
import io.timbre.spark.Sessions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/**
 * The options every Spark job shares ({@code --master}, {@code --conf}, {@code --hadoop}), as a picocli mixin, and
 * the one rule for merging settings: in increasing precedence the job's own defaults (e.g. an experiment file's
 * spark/hadoop blocks), the {@code --conf} file's {@code timbre.spark} / {@code timbre.hadoop}, then
 * {@code --hadoop} options. Hadoop settings reach Spark as {@code spark.hadoop.*}.
 */
final class SparkOptions {
  @Option(names = "--master", paramLabel = "URL", description = "Spark master for local runs (default local[*]; "
      + "ignored under spark-submit).")
  String master;

  @Option(names = "--conf", paramLabel = "FILE|URI", description = "HOCON config (timbre.<job>, timbre.spark, "
      + "timbre.hadoop): a local file or a Hadoop URI (s3a://...).")
  String conf;

  @Option(names = "--hadoop", paramLabel = "KEY=VALUE", description = "Hadoop/S3A setting (repeatable).")
  Map<String, String> hadoop = new LinkedHashMap<>();

  /** The {@code --conf} file, or an empty config. */
  JobConfig config() {
    return conf == null ? JobConfig.empty() : JobConfig.load(conf, baseHadoopConfiguration());
  }

  /** Hadoop's defaults and site files plus spark-submit's {@code spark.hadoop.*} system properties. */
  private static org.apache.hadoop.conf.Configuration baseHadoopConfiguration() {
    return Sessions.hadoopConfiguration();
  }

  /**
   * Hadoop settings for a job that needs a file system but no Spark (promote): Hadoop's own defaults and site files,
   * {@code spark.hadoop.*} system properties (as spark-submit passes them), the config file, then {@code --hadoop}.
   */
  org.apache.hadoop.conf.Configuration hadoopConfiguration() {
    org.apache.hadoop.conf.Configuration c = baseHadoopConfiguration();
    config().settings("hadoop").forEach(c::set);
    hadoop.forEach(c::set);
    return c;
  }

  /** A session with {@code defaults} overridden by the config file and the command line. */
  SparkSession session(String app, Map<String, String> defaults) {
    Map<String, String> settings = new LinkedHashMap<>(defaults);
    JobConfig config = config();
    settings.putAll(config.settings("spark"));
    config.settings("hadoop").forEach((k, v) -> settings.put("spark.hadoop." + k, v));
    hadoop.forEach((k, v) -> settings.put("spark.hadoop." + k, v));
    return Sessions.create(app, master, settings);
  }
}
