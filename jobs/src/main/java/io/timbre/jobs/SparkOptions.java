package io.timbre.jobs;

import io.timbre.config.JobConfig;
import io.timbre.spark.Sessions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options every Spark job shares ({@code --master} and {@link HadoopOptions}' {@code --conf} and
 * {@code --hadoop}), as a picocli mixin, and the one rule for merging Spark settings: in increasing precedence the job's
 * own defaults (e.g. an experiment file's spark/hadoop blocks), the {@code --conf} file's {@code timbre.spark} /
 * {@code timbre.hadoop}, then {@code --hadoop} options. Hadoop settings reach Spark as {@code spark.hadoop.*}.
 */
final class SparkOptions {
  @Option(names = "--master", paramLabel = "URL", description = "Spark master for local runs (default local[*]; "
      + "ignored under spark-submit).")
  String master;

  @Mixin HadoopOptions hadoopOptions;

  /** The {@code --conf} file, or an empty config. */
  JobConfig config() {
    return hadoopOptions.config();
  }

  /** Hadoop settings for work outside Spark (reading a spec, promote): see {@link HadoopOptions#configuration()}. */
  org.apache.hadoop.conf.Configuration hadoopConfiguration() {
    return hadoopOptions.configuration();
  }

  /** The config file's and the command line's Hadoop settings, for jobs that apply them themselves. */
  Map<String, String> hadoopSettings() {
    return hadoopOptions.settings();
  }

  /** A session with {@code defaults} overridden by the config file and the command line. */
  SparkSession session(String app, Map<String, String> defaults) {
    Map<String, String> settings = new LinkedHashMap<>(defaults);
    settings.putAll(config().settings("spark"));
    hadoopSettings().forEach((k, v) -> settings.put("spark.hadoop." + k, v));
    return Sessions.create(app, master, settings);
  }
}
