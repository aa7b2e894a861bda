package io.timbre.jobs;

import io.timbre.config.JobConfig;
import io.timbre.spark.Sessions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Option;

/**
 * The options of every command that reads or writes files through Hadoop ({@code --conf}, {@code --hadoop}), as a
 * picocli mixin, and the one rule for merging Hadoop settings: Hadoop's defaults and site files, spark-submit's
 * {@code spark.hadoop.*} system properties, the {@code --conf} file's {@code timbre.hadoop}, then {@code --hadoop}.
 */
final class HadoopOptions {
  @Option(names = "--conf", paramLabel = "FILE|URI", description = "HOCON config (timbre.<job>, timbre.spark, "
      + "timbre.hadoop): a local file or a Hadoop URI (s3a://...).")
  String conf;

  @Option(names = "--hadoop", paramLabel = "KEY=VALUE", description = "Hadoop/S3A setting, e.g. "
      + "fs.s3a.endpoint=http://127.0.0.1:9000 (repeatable).")
  Map<String, String> hadoop = new LinkedHashMap<>();

  /** The {@code --conf} file, or an empty config. */
  JobConfig config() {
    return conf == null ? JobConfig.empty() : JobConfig.load(conf, Sessions.hadoopConfiguration());
  }

  /** The config file's {@code timbre.hadoop} overridden by {@code --hadoop}, sorted by key. */
  Map<String, String> settings() {
    Map<String, String> s = new TreeMap<>(config().settings("hadoop"));
    s.putAll(hadoop);
    return s;
  }

  /** Hadoop's defaults and site files, spark-submit's {@code spark.hadoop.*} properties, then {@link #settings()}. */
  Configuration configuration() {
    Configuration c = Sessions.hadoopConfiguration();
    settings().forEach(c::set);
    return c;
  }
}
