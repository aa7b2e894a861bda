package io.timbre.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbre.exceptions.IncompatibleArtefactException;
import io.timbre.exceptions.StorageException;
import io.timbre.features.FeatureSpec;
import io.timbre.store.AtomicFiles;
import io.timbre.table.TableInfo;
import io.timbre.util.JsonDocument;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * A finished run's {@code model.json}: what was trained (experiment, resolved config and its source), on which table
 * (location, spec, vocabulary, input fingerprint), how inputs are encoded (layout, normalisation), the best epoch and
 * its metrics, and the network's layers. Written last, so its presence marks a finished run. The one reader and writer
 * of that file; format {@value #FORMAT}.
 */
public record ModelProvenance(String runId, String experiment, Task task, String architecture, String createdAt,
    String startedAt, TrainedOn table, ObjectNode config, ObjectNode configSource, String configOrigin,
    String experimentFingerprint, long seed, Map<String, String> versions, List<String> labels,
    List<String> labelVocabulary, InputLayout input, Normalizer normalization, Best best, int epochsRun,
    boolean stoppedEarly, List<Integer> resumedAtEpochs, long parameters, List<String> layers) {
  public static final String FORMAT = "timbre-model/1";
  public static final String FILE_NAME = "model.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  public ModelProvenance {
    config = config.deepCopy();
    configSource = configSource.deepCopy();
    versions = Collections.unmodifiableMap(new LinkedHashMap<>(versions));
    labels = List.copyOf(labels);
    labelVocabulary = List.copyOf(labelVocabulary);
    resumedAtEpochs = List.copyOf(resumedAtEpochs);
    layers = List.copyOf(layers);
  }

  /** The table a model was trained on: what inference on new audio needs without the table itself. */
  public record TrainedOn(String location, String dataset, String specId, ObjectNode spec, String inputFingerprint,
      String codeVersion, List<String> labelVocabulary, List<String> frameTargetChannels) {
    public TrainedOn {
      spec = spec.deepCopy();
      labelVocabulary = List.copyOf(labelVocabulary);
      frameTargetChannels = List.copyOf(frameTargetChannels);
    }

    public static TrainedOn of(TableInfo t) {
      try {
        return new TrainedOn(t.location(), t.dataset(), t.specId(), (ObjectNode) JSON.readTree(t.specJson()),
            t.inputFingerprint(), t.codeVersion(), t.vocabulary(), t.frameChannels());
      } catch (IOException e) {
        throw new IllegalStateException("Cannot re-read the spec of table " + t.location(), e);
      }
    }

    /** The table's facts as training and inference use them. */
    public TableInfo tableInfo() {
      FeatureSpec parsed = FeatureSpec.parse(spec.toString());
      return new TableInfo(location, dataset, specId, spec.toString(), inputFingerprint, labelVocabulary,
          frameTargetChannels, parsed.sampleRate(), parsed.hopLength(), codeVersion);
    }

    static TrainedOn read(JsonDocument d) {
      return new TrainedOn(d.string("location"), d.string("dataset"), d.string("spec_id"), d.tree("spec"),
          d.string("input_fingerprint"), d.string("code_version"), d.strings("label_vocabulary"),
          d.strings("frame_target_channels"));
    }

    void write(ObjectNode t) {
      t.put("location", location);
      t.put("dataset", dataset);
      t.put("spec_id", specId);
      t.set("spec", spec.deepCopy());
      t.put("input_fingerprint", inputFingerprint);
      t.put("code_version", codeVersion);
      t.set("label_vocabulary", JSON.valueToTree(labelVocabulary));
      t.set("frame_target_channels", JSON.valueToTree(frameTargetChannels));
    }
  }

  /** The network's input: its layout in words, time steps, feature bins and outputs per step. */
  public record InputLayout(String layout, int steps, int bins, int outputs) {
    static InputLayout read(JsonDocument d) {
      return new InputLayout(d.string("layout"), d.int32("steps"), d.int32("bins"), d.int32("outputs"));
    }
  }

  /** The best epoch: its number, the early-stopping metric's name and value, and all its validation metrics. */
  public record Best(int epoch, String metric, double value, Map<String, Double> metrics) {
    public Best {
      metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }
  }

  /** Reads {@code <runDir>/model.json}; a run without one is unfinished (a typed error naming the run). */
  public static ModelProvenance read(String runDir, Configuration conf) {
    Path json = new Path(runDir + "/" + FILE_NAME);
    byte[] bytes;
    try {
      bytes = AtomicFiles.read(json, conf);
    } catch (FileNotFoundException e) {
      throw new IncompatibleArtefactException("Cannot load run " + runDir + ": no model.json (the run is unfinished "
          + "or this is not a run folder: <runs>/<experiment>/<run id>)", e);
    } catch (IOException e) {
      throw new StorageException("Cannot load run " + runDir + ": " + e.getMessage(), e);
    }
    return parse(JsonDocument.parse(bytes, json.toString()));
  }

  public static ModelProvenance parse(JsonDocument d) {
    d.requireFormat(FORMAT);
    JsonDocument b = d.object("best");
    Map<String, String> versions = new LinkedHashMap<>();
    JsonDocument v = d.object("versions");
    v.keys().forEach(k -> versions.put(k, v.string(k)));
    List<Integer> resumed = d.integerList("resumed_at_epochs").stream().map(Math::toIntExact).toList();
    return new ModelProvenance(d.string("run_id"), d.string("experiment"), Task.parse(d.string("task")),
        d.string("architecture"), d.string("created_at"), d.string("started_at"), TrainedOn.read(d.object("table")),
        d.tree("config"), d.tree("config_source"), d.string("config_origin"), d.string("experiment_fingerprint"),
        d.integer("seed"), versions, d.strings("labels"), d.strings("label_vocabulary"),
        InputLayout.read(d.object("input")), readNormalization(d.object("normalization")),
        new Best(b.int32("epoch"), b.string("metric"), b.number("value"), b.numbers("metrics")),
        d.int32("epochs_run"), d.bool("stopped_early"), resumed, d.integer("parameters"), d.strings("layers"));
  }

  public ObjectNode toJson() {
    ObjectNode m = JSON.createObjectNode();
    m.put("format", FORMAT);
    m.put("run_id", runId);
    m.put("experiment", experiment);
    m.put("task", task.key());
    m.put("architecture", architecture);
    m.put("created_at", createdAt);
    m.put("started_at", startedAt);
    table.write(m.putObject("table"));
    m.set("config", config.deepCopy());
    m.set("config_source", configSource.deepCopy());
    m.put("config_origin", configOrigin);
    m.put("experiment_fingerprint", experimentFingerprint);
    m.put("seed", seed);
    m.set("versions", JSON.valueToTree(versions));
    m.set("labels", JSON.valueToTree(labels));
    m.set("label_vocabulary", JSON.valueToTree(labelVocabulary));
    ObjectNode in = m.putObject("input");
    in.put("layout", input.layout());
    in.put("steps", input.steps());
    in.put("bins", input.bins());
    in.put("outputs", input.outputs());
    m.set("normalization", normalizationJson(normalization));
    ObjectNode b = m.putObject("best");
    b.put("epoch", best.epoch());
    b.put("metric", best.metric());
    b.put("value", best.value());
    b.set("metrics", JSON.valueToTree(best.metrics()));
    m.put("epochs_run", epochsRun);
    m.put("stopped_early", stoppedEarly);
    m.set("resumed_at_epochs", JSON.valueToTree(resumedAtEpochs));
    m.put("parameters", parameters);
    m.set("layers", JSON.valueToTree(layers));
    return m;
  }

  /** Writes {@code <runDir>/model.json} complete or not at all. */
  public void write(String runDir, Configuration conf) {
    Path json = new Path(runDir + "/" + FILE_NAME);
    try {
      AtomicFiles.write(json, conf, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson()));
    } catch (IOException e) {
      throw new StorageException("Cannot write " + json + ": " + e.getMessage(), e);
    }
  }

  /** Normalisation statistics as run documents record them: {@code {"mean": [...], "std": [...]}}. */
  public static ObjectNode normalizationJson(Normalizer n) {
    ObjectNode o = JSON.createObjectNode();
    o.set("mean", JSON.valueToTree(n.mean()));
    o.set("std", JSON.valueToTree(n.std()));
    return o;
  }

  /** Reads {@link #normalizationJson}: two lists of numbers of one length. */
  public static Normalizer readNormalization(JsonDocument n) {
    double[] mean = n.numberArray("mean");
    double[] std = n.numberArray("std");
    if (mean.length != std.length) {
      throw new IncompatibleArtefactException("Cannot read " + n.source()
          + ": normalization needs lists 'mean' and 'std' of one length, got " + mean.length + " and " + std.length);
    }
    float[] m = new float[mean.length];
    float[] s = new float[m.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = (float) mean[i];
      s[i] = (float) std[i];
    }
    return new Normalizer(m, s);
  }
}
