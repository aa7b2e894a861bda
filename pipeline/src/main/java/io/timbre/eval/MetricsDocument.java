package io.timbre.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbre.exceptions.IncompatibleArtefactException;
import io.timbre.exceptions.StorageException;
import io.timbre.model.ModelProvenance;
import io.timbre.model.Task;
import io.timbre.store.AtomicFiles;
import io.timbre.util.JsonDocument;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * An evaluation's {@code metrics.json}: what was evaluated (run, task, split, table, settings, the model's provenance)
 * and the metrics, under {@code metrics}, in the sections the task reports ({@code single_label}, {@code multi_label},
 * {@code onset}, {@code melody}, {@code errors}). The one reader and writer of that file; format {@value #FORMAT}.
 *
 * <p>The metrics tree is read through {@link #metrics()}, a {@link JsonDocument} that names this file and the key of
 * a missing or ill-typed metric; a metric is named by its dotted path as {@link Metric} lists it.
 *
 * @param runDir the evaluated run's folder
 * @param theta the multi-label and onset threshold the evaluation used
 * @param topK the k of the top-k accuracy
 * @param body the metrics tree, as the task's report computed it
 */
public record MetricsDocument(String runId, String experiment, Task task, String split, String runDir,
    String createdAt, String codeVersion, EvaluatedTable table, double theta, int topK, ModelProvenance model,
    ObjectNode body) {
  public static final String FORMAT = "timbre-metrics/1";
  public static final String FILE_NAME = "metrics.json";

  static final String KEY_FORMAT = "format";
  static final String KEY_RUN_ID = "run_id";
  static final String KEY_EXPERIMENT = "experiment";
  static final String KEY_TASK = "task";
  static final String KEY_SPLIT = "split";
  static final String KEY_RUN_DIR = "run_dir";
  static final String KEY_CREATED_AT = "created_at";
  static final String KEY_CODE_VERSION = "code_version";
  static final String KEY_TABLE = "table";
  static final String KEY_CONFIG = "config";
  static final String KEY_THETA = "theta";
  static final String KEY_TOP_K = "top_k";
  static final String KEY_MODEL = "model";
  static final String KEY_METRICS = "metrics";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The table an evaluation ran on, as far as comparing two evaluations needs it: the same spec and the same content
   * fingerprint mean the same examples.
   */
  public record EvaluatedTable(String location, String specId, String inputFingerprint) {
    static final String KEY_LOCATION = "location";
    static final String KEY_SPEC_ID = "spec_id";
    static final String KEY_INPUT_FINGERPRINT = "input_fingerprint";

    public static EvaluatedTable parse(JsonDocument d) {
      return new EvaluatedTable(d.string(KEY_LOCATION), d.string(KEY_SPEC_ID), d.string(KEY_INPUT_FINGERPRINT));
    }

    public ObjectNode toJson() {
      ObjectNode t = JSON.createObjectNode();
      t.put(KEY_LOCATION, location);
      t.put(KEY_SPEC_ID, specId);
      t.put(KEY_INPUT_FINGERPRINT, inputFingerprint);
      return t;
    }
  }

  public MetricsDocument {
    body = body.deepCopy();
  }

  /** Reads {@code file}; a missing file is a typed error naming it. */
  public static MetricsDocument read(Path file, Configuration conf) {
    try {
      return parse(JsonDocument.parse(AtomicFiles.read(file, conf), file.toString()));
    } catch (FileNotFoundException e) {
      throw new IncompatibleArtefactException("Cannot read " + file + ": it does not exist", e);
    } catch (IOException e) {
      throw new StorageException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public static MetricsDocument parse(JsonDocument d) {
    d.requireFormat(FORMAT);
    JsonDocument config = d.object(KEY_CONFIG);
    return new MetricsDocument(d.string(KEY_RUN_ID), d.string(KEY_EXPERIMENT), Task.parse(d.string(KEY_TASK)),
        d.string(KEY_SPLIT), d.string(KEY_RUN_DIR), d.string(KEY_CREATED_AT), d.string(KEY_CODE_VERSION),
        EvaluatedTable.parse(d.object(KEY_TABLE)), config.number(KEY_THETA), config.int32(KEY_TOP_K),
        ModelProvenance.parse(d.object(KEY_MODEL)), d.tree(KEY_METRICS));
  }

  public ObjectNode toJson() {
    ObjectNode m = JSON.createObjectNode();
    m.put(KEY_FORMAT, FORMAT);
    m.put(KEY_RUN_ID, runId);
    m.put(KEY_EXPERIMENT, experiment);
    m.put(KEY_TASK, task.key());
    m.put(KEY_SPLIT, split);
    m.put(KEY_RUN_DIR, runDir);
    m.put(KEY_CREATED_AT, createdAt);
    m.put(KEY_CODE_VERSION, codeVersion);
    m.set(KEY_TABLE, table.toJson());
    m.putObject(KEY_CONFIG).put(KEY_THETA, theta).put(KEY_TOP_K, topK);
    m.set(KEY_MODEL, model.toJson());
    m.set(KEY_METRICS, body.deepCopy());
    return m;
  }

  /** Writes the document to {@code file} complete or not at all. */
  public void write(Path file, Configuration conf) throws IOException {
    AtomicFiles.write(file, conf, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson()));
  }

  /** What was evaluated, and the parts of the model's provenance a reader of a report asks about. */
  public ObjectNode summary() {
    ObjectNode all = toJson();
    ObjectNode o = JSON.createObjectNode();
    for (String k : List.of(KEY_RUN_ID, KEY_EXPERIMENT, KEY_TASK, KEY_SPLIT, KEY_CREATED_AT, KEY_CODE_VERSION,
        KEY_TABLE, KEY_CONFIG)) {
      o.set(k, all.get(k));
    }
    ObjectNode m = model.toJson();
    for (String k : List.of("config", "seed", "versions", "best", "epochs_run", "labels")) {
      o.set(KEY_MODEL + "_" + k, m.get(k));
    }
    return o;
  }

  /** The metrics tree, for typed reading: a missing or ill-typed key is an error naming this file and the key. */
  public JsonDocument metrics() {
    ObjectNode root = JSON.createObjectNode();
    root.set(KEY_METRICS, body);
    return JsonDocument.of(root, FILE_NAME + " of run " + runId + " on " + split).object(KEY_METRICS);
  }

  /** The number at a dotted path under {@code metrics} ({@code single_label.accuracy}), if the evaluation has it. */
  public OptionalDouble find(String dottedPath) {
    Optional<JsonDocument> section = Optional.of(metrics());
    String[] parts = dottedPath.split("\\.");
    for (int i = 0; i < parts.length - 1 && section.isPresent(); i++) {
      section = section.get().optionalObject(parts[i]);
    }
    return section.isPresent() ? section.get().optionalNumber(parts[parts.length - 1]) : OptionalDouble.empty();
  }

  /** The number at a dotted path under {@code metrics}; absent or not a number is a typed error. */
  public double value(String dottedPath) {
    OptionalDouble v = find(dottedPath);
    if (v.isEmpty()) {
      throw new IncompatibleArtefactException("Cannot read metric '" + dottedPath + "' of run " + runId + " on "
          + split + ": the evaluation has no such metric (a dotted path under \"metrics\" in " + FILE_NAME + ")");
    }
    return v.getAsDouble();
  }
}
