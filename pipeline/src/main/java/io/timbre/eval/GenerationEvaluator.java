package io.timbre.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbre.features.FeatureSpec;
import io.timbre.generation.FrameRepresentation;
import io.timbre.generation.NextFrameGenerator;
import io.timbre.model.ExampleKey;
import io.timbre.model.Normalizer;
import io.timbre.table.FeatureTable;
import io.timbre.table.TableInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The generation part of {@code timbre evaluate}: next-frame metrics of the model and of the two baselines on the
 * same held-out frames ({@link NextFrameScores}), and a picture of one held-out segment: its first half as the seed,
 * the model's continuation of it, and the real continuation.
 */
final class GenerationEvaluator {
  private static final ObjectMapper JSON = new ObjectMapper();

  private GenerationEvaluator() {}

  /** The report's body and its figure. */
  record Outcome(ObjectNode body, String figure) {}

  static Outcome run(SparkSession spark, ModelBundle model, TableInfo table, String split,
      JavaPairRDD<ExampleKey, INDArray> predictions) {
    FrameRepresentation representation = table.generationFrames();
    Normalizer normalizer = model.normalizer();
    Map<String, Double> m = ModelScorer.generation(predictions, normalizer, representation);
    ObjectNode g = JSON.createObjectNode();
    g.put("representation", representation.key());
    g.put("frames", m.get("frames"));
    ObjectNode mdl = g.putObject("model");
    mdl.put("next_frame_mse", m.get("next_frame_mse"));
    mdl.put("log_spectral_distance_db", m.get("log_spectral_distance_db"));
    ObjectNode repeat = g.putObject("repeat_last");
    repeat.put("next_frame_mse", m.get("repeat_last_mse"));
    repeat.put("log_spectral_distance_db", m.get("repeat_last_log_spectral_distance_db"));
    ObjectNode mean = g.putObject("mean_frame");
    mean.put("next_frame_mse", m.get("mean_frame_mse"));
    mean.put("log_spectral_distance_db", m.get("mean_frame_log_spectral_distance_db"));
    g.put("mse_reduction_vs_repeat_last", m.get("mse_reduction_vs_repeat_last"));
    g.put("mse_reduction_vs_mean_frame", m.get("mse_reduction_vs_mean_frame"));
    ObjectNode d = g.putObject("definitions");
    d.put("next_frame_mse", "mean over held-out valid frames and every value of a frame of (prediction - next frame)^2,"
        + " frames standardised by the training split's per-value mean and standard deviation");
    d.put("log_spectral_distance_db", "mean over frames of sqrt(mean_k (10 log10 P_hat_k - 10 log10 P_k)^2), P the "
        + "power spectrum of the de-standardised frame, floored at 1e-10");
    d.put("repeat_last", "baseline: the next frame predicted as the current frame");
    d.put("mean_frame", "baseline: the next frame predicted as the training split's mean frame");
    return new Outcome(g, figure(spark, model, table, split, representation));
  }

  /** Seed, generated and real continuation of the first segment (by clip id) of the split, or "" if too short. */
  private static String figure(SparkSession spark, ModelBundle model, TableInfo table, String split,
      FrameRepresentation representation) {
    Dataset<Row> all = FeatureTable.read(spark, table.location(), "segments");
    List<Row> first = all.where(all.col("split").equalTo(split)).orderBy("clip_id", "segment_index")
        .select("clip_id", "features", "n_valid_frames").takeAsList(1);
    if (first.isEmpty() || first.get(0).getInt(2) < 4) {
      return "";
    }
    FeatureSpec spec = FeatureSpec.parse(table.specJson());
    int bins = spec.nBins();
    int width = representation.width(bins);
    int valid = first.get(0).getInt(2);
    List<?> values = first.get(0).getList(1);
    float[] frames = new float[valid * width];
    for (int i = 0; i < frames.length; i++) {
      frames[i] = ((Number) values.get(i)).floatValue();
    }
    int seed = valid / 2;
    int rest = valid - seed;
    NextFrameGenerator generator = new NextFrameGenerator(model.graph(), model.normalizer().mean(),
        model.normalizer().std(), representation, spec, model.spec().maxSequenceSteps());
    float[] continued = generator.continueFrames(frames, seed, rest, 0.0, 0);
    float[] magnitudes = representation.decode(continued, valid, bins, spec.nFft(), spec.hopLength()).magnitude();
    float[] real = representation.decode(frames, valid, bins, spec.nFft(), spec.hopLength()).magnitude();
    List<SpectrogramPicture.Panel> panels = new ArrayList<>();
    panels.add(new SpectrogramPicture.Panel("seed (" + seed + " frames)", slice(real, 0, seed, bins), seed, bins));
    panels.add(new SpectrogramPicture.Panel("generated", slice(magnitudes, seed, rest, bins), rest, bins));
    panels.add(new SpectrogramPicture.Panel("real continuation", slice(real, seed, rest, bins), rest, bins));
    return "<h2>Generation: " + HtmlReport.esc(first.get(0).getString(0)) + "</h2>\n"
        + SpectrogramPicture.html(panels, "seed, generated and real continuation spectrograms");
  }

  private static float[] slice(float[] m, int from, int frames, int bins) {
    float[] out = new float[frames * bins];
    System.arraycopy(m, from * bins, out, 0, frames * bins);
    return out;
  }
}
