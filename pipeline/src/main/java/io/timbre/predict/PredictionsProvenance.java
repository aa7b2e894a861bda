package io.timbre.predict;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbre.exceptions.StorageException;
import io.timbre.features.FeatureSpec;
import io.timbre.model.ModelProvenance;
import io.timbre.store.AtomicFiles;
import io.timbre.util.CodeVersion;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * A prediction run's {@code _provenance.json}: which model (reference, run, labels, threshold) scored which input with
 * which spec, and the counts; written last, so its presence marks complete predictions. The one writer of that file;
 * format {@value #FORMAT}.
 */
record PredictionsProvenance(String predictRunId, Map<String, String> versions, String modelReference, String runDir,
    ModelProvenance model, double threshold, List<String> labels, FeatureSpec spec, String inputReference,
    String inputRoot, int files, long skippedNonAudio, int topK, PredictSummary summary) {
  static final String FORMAT = "timbre-predictions/1";
  static final String FILE_NAME = "_provenance.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  ObjectNode toJson() {
    ObjectNode p = JSON.createObjectNode();
    p.put("format", FORMAT);
    p.put("predict_run_id", predictRunId);
    p.put("created_at", Instant.now().toString());
    p.put("code_version", CodeVersion.get());
    p.set("versions", JSON.valueToTree(versions));
    ObjectNode m = p.putObject("model");
    m.put("reference", modelReference);
    m.put("run_dir", runDir);
    m.put("run_id", model.runId());
    m.put("experiment", model.experiment());
    m.put("task", model.task().key());
    m.put("threshold", threshold);
    m.set("labels", JSON.valueToTree(labels));
    p.put("spec_id", spec.id());
    p.set("spec", spec.toTree());
    ObjectNode in = p.putObject("input");
    in.put("reference", inputReference);
    in.put("root", inputRoot);
    in.put("files", files);
    in.put("skipped_non_audio", skippedNonAudio);
    p.put("top_k", topK);
    ObjectNode c = p.putObject("counts");
    c.put("scored", summary.clipsScored());
    c.put("quarantined", summary.quarantined());
    c.put("audio_hours", summary.audioHours());
    p.put("wall_seconds", summary.wallSeconds());
    return p;
  }

  void write(Path marker, Configuration conf) {
    try {
      AtomicFiles.write(marker, conf, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson()));
    } catch (IOException e) {
      throw new StorageException("Cannot write " + marker + ": " + e.getMessage(), e);
    }
  }
}
