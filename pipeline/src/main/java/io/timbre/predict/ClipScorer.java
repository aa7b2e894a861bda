package io.timbre.predict;

import io.timbre.datasets.ClipRef;
import io.timbre.datasets.QuarantineRecord;
import io.timbre.eval.ClipAggregation;
import io.timbre.features.FeatureSpec;
import io.timbre.featurize.ClipFeaturizer;
import io.timbre.featurize.ClipResult;
import io.timbre.featurize.FrameTargets;
import io.timbre.featurize.Segment;
import io.timbre.model.ExampleEncoder;
import io.timbre.model.ExampleKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

/**
 * Scores clips on an executor: featurises each file exactly as ingest does ({@link ClipFeaturizer} with the model's
 * own spec), encodes its segments exactly as training did ({@link ExampleEncoder}), runs them through the network as
 * one batch and averages the segment probabilities (the clip rule of the evaluate job). One instance per task: it
 * owns a network copy and feature buffers, neither of which is thread-safe.
 */
final class ClipScorer {
  /** One clip's outcome: mean probabilities in model label order, or the reason it was quarantined. */
  record Scored(ClipRef clip, String sha256, double durationSec, int segments, double[] scores,
      QuarantineRecord failure) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private final ClipFeaturizer featurizer;
  private final ExampleEncoder encoder;
  private final MultiLayerNetwork network;
  private final boolean masked;

  ClipScorer(FeatureSpec spec, ExampleEncoder encoder, byte[] modelZip, boolean masked, Configuration conf) {
    this.featurizer = new ClipFeaturizer(spec, new FrameTargets(List.of()), conf);
    this.encoder = encoder;
    this.masked = masked;
    try {
      this.network = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(modelZip), false);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot restore the model on the executor: " + e.getMessage(), e);
    }
  }

  Scored score(ClipRef clip) {
    ClipResult r = featurizer.featurize(clip);
    if (!r.ok()) {
      return new Scored(clip, r.sha256(), 0, 0, null, r.failure());
    }
    try {
      List<INDArray> features = new ArrayList<>();
      List<INDArray> masks = new ArrayList<>();
      for (Segment s : r.segments()) {
        for (Tuple2<ExampleKey, DataSet> e : encoder.unlabelled(clip.id(), s)) {
          features.add(e._2().getFeatures());
          masks.add(e._2().getFeaturesMaskArray());
        }
      }
      if (features.isEmpty()) {
        return new Scored(clip, r.sha256(), r.durationSec(), 0, null, new QuarantineRecord(clip.audioPath(),
            clip.dataset(), QuarantineRecord.Stage.FEATURE, "NoSegments", clip.audioPath()
                + ": too short for one segment"));
      }
      INDArray x = Nd4j.concat(0, features.toArray(INDArray[]::new));
      INDArray out = masked
          ? network.output(x, false, Nd4j.concat(0, masks.toArray(INDArray[]::new)), null)
          : network.output(x, false);
      float[][] perSegment = new float[features.size()][];
      for (int i = 0; i < perSegment.length; i++) {
        perSegment[i] = out.getRow(i).dup().data().asFloat();
      }
      return new Scored(clip, r.sha256(), r.durationSec(), perSegment.length, ClipAggregation.mean(perSegment),
          null);
    } catch (RuntimeException e) {
      return new Scored(clip, r.sha256(), r.durationSec(), 0, null, new QuarantineRecord(clip.audioPath(),
          clip.dataset(), QuarantineRecord.Stage.FEATURE, e.getClass().getSimpleName(), clip.audioPath()
              + ": inference failed: " + e.getMessage()));
    }
  }
}
