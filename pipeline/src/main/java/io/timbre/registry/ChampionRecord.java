package io.timbre.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbre.eval.MetricsDocument.EvaluatedTable;
import io.timbre.exceptions.IncompatibleArtefactException;
import io.timbre.exceptions.StorageException;
import io.timbre.store.AtomicFiles;
import io.timbre.util.JsonDocument;
import java.io.IOException;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * An alias's {@code champion.json} (and each entry of its {@code history/}): which run serves a task, where its
 * evaluation is, on which metric, value, table and split it won, and when and why. The one reader and writer of those
 * files; format {@value #FORMAT}.
 *
 * @param table the table the winning evaluation ran on, as its {@code metrics.json} has it
 * @param previousRunId the champion this one replaced, or null for a task's first
 */
public record ChampionRecord(String task, String runId, String runDir, String metricsPath, String metric,
    double value, double margin, String split, EvaluatedTable table, String promotedAt, String reason,
    String previousRunId, String codeVersion) {
  public static final String FORMAT = "timbre-alias/1";
  public static final String FILE_NAME = "champion.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads an alias file; a missing one is a typed error naming it. */
  public static ChampionRecord read(Path file, Configuration conf) {
    byte[] bytes;
    try {
      bytes = AtomicFiles.read(file, conf);
    } catch (java.io.FileNotFoundException e) {
      throw new IncompatibleArtefactException("Cannot read " + file + ": it does not exist", e);
    } catch (IOException e) {
      throw new StorageException("Cannot read " + file + ": " + e.getMessage(), e);
    }
    return parse(JsonDocument.parse(bytes, file.toString()));
  }

  /**
   * The run an alias file points at: its {@code run_dir}, the one key resolving a model needs (an alias written by
   * hand or by another tool names the run and nothing else).
   */
  public static String runDirOf(Path file, Configuration conf) {
    try {
      return JsonDocument.parse(AtomicFiles.read(file, conf), file.toString()).string("run_dir");
    } catch (IOException e) {
      throw new StorageException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The alias file of {@code aliasDir} if there is one. */
  public static Optional<ChampionRecord> readIfPresent(Path aliasDir, Configuration conf) {
    Path p = new Path(aliasDir, FILE_NAME);
    try {
      if (!p.getFileSystem(conf).exists(p)) {
        return Optional.empty();
      }
    } catch (IOException e) {
      throw new StorageException("Cannot read " + p + ": " + e.getMessage(), e);
    }
    return Optional.of(read(p, conf));
  }

  public static ChampionRecord parse(JsonDocument d) {
    d.requireFormat(FORMAT);
    return new ChampionRecord(d.string("task"), d.string("run_id"), d.string("run_dir"), d.string("metrics_path"),
        d.string("metric"), d.number("value"), d.number("margin"), d.string("split"),
        EvaluatedTable.parse(d.object("table")),
        d.string("promoted_at"), d.string("reason"), d.string("previous_run_id", null), d.string("code_version"));
  }

  public ObjectNode toJson() {
    ObjectNode c = JSON.createObjectNode();
    c.put("format", FORMAT);
    c.put("task", task);
    c.put("run_id", runId);
    c.put("run_dir", runDir);
    c.put("metrics_path", metricsPath);
    c.put("metric", metric);
    c.put("value", value);
    c.put("margin", margin);
    c.put("split", split);
    c.set("table", table.toJson());
    c.put("promoted_at", promotedAt);
    c.put("reason", reason);
    c.put("previous_run_id", previousRunId);
    c.put("code_version", codeVersion);
    return c;
  }

  /** Writes the record to {@code file} complete or not at all. */
  public void write(Path file, Configuration conf) throws IOException {
    AtomicFiles.write(file, conf, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson()));
  }
}
