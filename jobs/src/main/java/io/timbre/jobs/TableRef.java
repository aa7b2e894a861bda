package io.timbre.jobs;

import io.timbre.features.FeatureSpec;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

  @Option(names = "--spec", paramLabel = "FILE", description = "The feature spec the table was ingested with: "
      + "--table is then <tables root>/<dataset> and the table its <spec id> folder.")
  File spec;

  /** The table's location. */
  String location() {
    if (spec == null) {
      return table;
    }
    try {
      String id = FeatureSpec.parse(Files.readString(spec.toPath(), StandardCharsets.UTF_8)).id();
      return (table.endsWith("/") ? table : table + "/") + id;
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read the spec " + spec + ": " + e.getMessage(), e);
    }
  }
}
