package io.timbre.jobs;

import io.timbre.config.ConfigFile;
import io.timbre.features.FeatureSpec;
import io.timbre.spark.Sessions;
import picocli.CommandLine.Option;

/**
 * The {@code --table} / {@code --spec} options of the jobs that read a feature table (a picocli mixin): the table
 * named directly ({@code <tables>/<dataset>/<spec id>}) or as a dataset folder plus the spec file it was ingested
 * with — the form a scheduled pipeline uses, since it knows the spec file but not its hash.
 */
final class TableRef {
  @Option(names = "--table", required = true, paramLabel = "TABLE",
      description = "Feature table: <tables root>/<dataset>/<spec id> (path or URI), or <tables root>/<dataset> "
          + "with --spec.")
  String table;

  @Option(names = "--spec", paramLabel = "FILE|URI", description = "The feature spec the table was ingested with "
      + "(a local file, a Hadoop URI, or a file shipped with spark-submit --files): --table is then "
      + "<tables root>/<dataset> and the table its <spec id> folder.")
  String spec;

  /** The table's location. */
  String location() {
    if (spec == null) {
      return table;
    }
    String id = FeatureSpec.parse(ConfigFile.read(spec, Sessions.hadoopConfiguration(), "feature spec").text())
        .id();
    return (table.endsWith("/") ? table : table + "/") + id;
  }
}
