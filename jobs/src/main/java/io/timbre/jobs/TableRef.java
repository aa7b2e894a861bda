package io.timbre.jobs;

import io.timbre.features.FeatureSpec;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * A feature table named either directly ({@code <tables>/<dataset>/<spec id>}) or as a dataset folder plus the spec
 * file it was ingested with — the form a scheduled pipeline uses, since it knows the spec file but not its hash.
 */
final class TableRef {
  private TableRef() {}

  static String resolve(String table, File spec) {
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
