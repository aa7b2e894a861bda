package io.timbre.eval;

import com.typesafe.config.ConfigFactory;
import io.timbre.exceptions.StorageException;
import io.timbre.model.ModelProvenance;
import io.timbre.model.ModelSpec;
import io.timbre.model.Networks;
import io.timbre.model.Normalizer;
import io.timbre.store.AtomicFiles;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A finished run read back for inference: {@code model.zip} (the best epoch's network) and {@code model.json} (its
 * provenance: the model spec it was built from, label order, normalisation statistics, the table it was trained on).
 * Only a run with {@code model.json} is finished; anything else is a typed error naming the run.
 */
public record ModelBundle(String runDir, ModelProvenance provenance, Model network, ModelSpec spec,
    byte[] modelZip) {

  public static ModelBundle load(String runDir, Configuration conf) {
    String dir = runDir.endsWith("/") ? runDir.substring(0, runDir.length() - 1) : runDir;
    ModelProvenance p = ModelProvenance.read(dir, conf);
    ModelSpec spec = ModelSpec.parse(ConfigFactory.parseString(p.config().toString()), dir + "/model.json");
    try {
      byte[] zip = AtomicFiles.read(new Path(dir + "/model.zip"), conf);
      return new ModelBundle(dir, p, Networks.restore(zip, false), spec, zip);
    } catch (IOException e) {
      throw new StorageException("Cannot load run " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The network of a sequential (non-graph) model: every task but separation. */
  public MultiLayerNetwork sequential() {
    if (network instanceof MultiLayerNetwork m) {
      return m;
    }
    throw new IllegalArgumentException("Run " + runDir + " is a " + spec.architecture().key() + " graph, not a "
        + "sequential network");
  }

  /** The network of a graph model: separation (DRNN) and generation (next-frame) models. */
  public org.deeplearning4j.nn.graph.ComputationGraph graph() {
    if (network instanceof org.deeplearning4j.nn.graph.ComputationGraph g) {
      return g;
    }
    throw new IllegalArgumentException("Run " + runDir + " is a " + spec.architecture().key() + " sequential "
        + "network, not a graph");
  }

  public Normalizer normalizer() {
    return provenance.normalization();
  }

  /** Label order of the network's outputs. */
  public List<String> labels() {
    return provenance.labels();
  }

  /** The feature spec the model was trained on. */
  public String specId() {
    return provenance.table().specId();
  }
}
