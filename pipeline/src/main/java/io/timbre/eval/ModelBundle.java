package io.timbre.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.timbre.datasets.DatasetException;
import io.timbre.model.ModelSpec;
import io.timbre.store.AtomicFiles;
import io.timbre.train.Normalizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
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
public record ModelBundle(String runDir, JsonNode provenance, MultiLayerNetwork network, ModelSpec spec,
    Normalizer normalizer, List<String> labels, String specId) {

  public static ModelBundle load(String runDir, Configuration conf) {
    String dir = runDir.endsWith("/") ? runDir.substring(0, runDir.length() - 1) : runDir;
    Path json = new Path(dir + "/model.json");
    try {
      if (!json.getFileSystem(conf).exists(json)) {
        throw new DatasetException("Cannot load run " + dir + ": no model.json (the run is unfinished or this is "
            + "not a run folder: <runs>/<experiment>/<run id>)");
      }
      JsonNode p = new ObjectMapper().readTree(AtomicFiles.read(json, conf));
      ModelSpec spec = ModelSpec.parse(ConfigFactory.parseString(p.path("config").toString()), json.toString());
      MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(
          AtomicFiles.read(new Path(dir + "/model.zip"), conf)), false);
      JsonNode n = p.path("normalization");
      float[] mean = new float[n.path("mean").size()];
      float[] std = new float[mean.length];
      for (int i = 0; i < mean.length; i++) {
        mean[i] = (float) n.path("mean").get(i).asDouble();
        std[i] = (float) n.path("std").get(i).asDouble();
      }
      List<String> labels = new ArrayList<>();
      p.path("labels").forEach(l -> labels.add(l.asText()));
      return new ModelBundle(dir, p, net, spec, new Normalizer(mean, std), List.copyOf(labels),
          p.path("table").path("spec_id").asText());
    } catch (IOException e) {
      throw new DatasetException("Cannot load run " + dir + ": " + e.getMessage(), e);
    }
  }
}
