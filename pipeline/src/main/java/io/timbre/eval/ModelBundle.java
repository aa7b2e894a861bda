package io.timbre.eval;

import com.typesafe.config.ConfigFactory;
import io.timbre.exceptions.StorageException;
import io.timbre.model.ModelProvenance;
import io.timbre.model.ModelSpec;
import io.timbre.model.Normalizer;
import io.timbre.store.AtomicFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * A finished run read back for inference: {@code model.zip} (the best epoch's network) and {@code model.json} (its
 * provenance: the model spec it was built from, label order, normalisation statistics, the table it was trained on).
 * Only a run with {@code model.json} is finished; anything else is a typed error naming the run.
 */
public record ModelBundle(String runDir, ModelProvenance provenance, MultiLayerNetwork network, ModelSpec spec) {

  public static ModelBundle load(String runDir, Configuration conf) {
    String dir = runDir.endsWith("/") ? runDir.substring(0, runDir.length() - 1) : runDir;
    ModelProvenance p = ModelProvenance.read(dir, conf);
    ModelSpec spec = ModelSpec.parse(ConfigFactory.parseString(p.config().toString()), dir + "/model.json");
    try {
      MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(
          AtomicFiles.read(new Path(dir + "/model.zip"), conf)), false);
      return new ModelBundle(dir, p, net, spec);
    } catch (IOException e) {
      throw new StorageException("Cannot load run " + dir + ": " + e.getMessage(), e);
    }
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
