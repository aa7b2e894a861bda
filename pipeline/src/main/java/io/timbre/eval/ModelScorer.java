package io.timbre.eval;

import io.timbre.generation.FrameRepresentation;
import io.timbre.model.ExampleKey;
import io.timbre.model.MelodyClasses;
import io.timbre.model.ModelSpec;
import io.timbre.model.Normalizer;
import io.timbre.table.TableInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import scala.Tuple2;

/**
 * Scores a network on keyed examples in one distributed pass (predictions stay on the executors; only per-clip
 * probability sums or counts come back to the driver).
 *
 * <ul>
 *   <li>single-label: segment probabilities averaged per clip, arg-max → {@code clip_accuracy},
 *       {@code macro_f1}, {@code micro_f1} (scikit-learn's definitions); per example → {@code example_accuracy}.</li>
 *   <li>multi-label: clip-mean sigmoid ≥ threshold → {@code micro_f1}, {@code macro_f1} (scikit-learn's definitions),
 *       and {@code clip_accuracy} as exact-set accuracy.</li>
 *   <li>onset: peak picking, ±50 ms matching → {@code onset_f1}, {@code onset_precision}, {@code onset_recall}.</li>
 *   <li>melody: {@code raw_pitch_accuracy}, {@code overall_accuracy}, voicing recall / false alarm.</li>
 *   <li>separation: {@code spectral_snr_db}; generation: {@code next_frame_mse} and its baselines
 *       ({@link NextFrameScores}).</li>
 * </ul>
 */
public final class ModelScorer {
  private ModelScorer() {}

  /** Per-example network outputs with their keys (features and masks go to the executors' copy of the model). */
  public static JavaPairRDD<ExampleKey, INDArray> predict(SparkDl4jMultiLayer net,
      JavaPairRDD<ExampleKey, DataSet> examples, boolean masked, int batchSize) {
    if (!masked) {
      return net.feedForwardWithKey(examples.mapValues(DataSet::getFeatures), batchSize);
    }
    return net.feedForwardWithMaskAndKey(
        examples.mapValues(d -> new Tuple2<>(d.getFeatures(), d.getFeaturesMaskArray())), batchSize);
  }

  /**
   * Per-example outputs of a single-input, single-output graph (the DRNN). DL4J's graph inference takes no masks: a
   * chunk's padded steps are zero input (silence) and are left out of scoring by their key's valid-frame count.
   */
  public static JavaPairRDD<ExampleKey, INDArray> predict(SparkComputationGraph net,
      JavaPairRDD<ExampleKey, DataSet> examples, int batchSize) {
    return net.feedForwardWithKey(examples.mapValues(d -> new INDArray[] {d.getFeatures()}), batchSize)
        .mapValues(a -> a[0]);
  }

  /**
   * @param table the table scored (frame rate; a generation table's frame representation)
   * @param normalizer the model's standardisation (generation metrics de-standardise frames for the LSD)
   */
  public static Map<String, Double> score(JavaPairRDD<ExampleKey, INDArray> predictions, ModelSpec spec,
      List<String> labels, TableInfo table, Normalizer normalizer) {
    double frameRate = table.frameRate();
    return switch (spec.task()) {
      case SINGLE_LABEL -> singleLabel(predictions, labels);
      case MULTI_LABEL -> multiLabel(predictions, labels, spec.threshold());
      case ONSET -> onset(predictions, spec.threshold(), frameRate);
      case MELODY -> melody(predictions, new MelodyClasses(spec.melodyMinMidi(), spec.melodyBins()));
      case SEPARATION -> separation(predictions);
      case GENERATION -> generation(predictions, normalizer, table.generationFrames());
    };
  }

  /**
   * Next-frame metrics of the model and the repeat-last-frame and training-mean-frame baselines
   * ({@link NextFrameScores}); the key's truth holds each valid step's standardised current and next frame.
   */
  public static Map<String, Double> generation(JavaPairRDD<ExampleKey, INDArray> predictions, Normalizer normalizer,
      FrameRepresentation representation) {
    return predictions.map(p -> {
      INDArray out = p._2();
      int steps = (int) out.size(out.rank() - 1);
      return NextFrameScores.of(p._1().truth(), p._1().valid(), out.dup('c').data().asFloat(), steps, normalizer,
          representation);
    }).fold(NextFrameScores.ZERO, NextFrameScores::plus).metrics();
  }

  /**
   * {@code spectral_snr_db} ({@link Metric#SEPARATION_SPECTRAL_SNR}): the key's truth is the chunk's valid frames ×
   * (sources × bins) target magnitudes; the output is [1, sources × bins, steps].
   */
  private static Map<String, Double> separation(JavaPairRDD<ExampleKey, INDArray> predictions) {
    double[] sums = predictions.map(p -> {
      float[] truth = p._1().truth();
      int valid = p._1().valid();
      INDArray out = p._2();
      long channels = out.size(out.rank() - 2);
      long steps = out.size(out.rank() - 1);
      float[] o = out.dup('c').data().asFloat();
      double signal = 0;
      double error = 0;
      for (int t = 0; t < valid; t++) {
        for (int c = 0; c < channels; c++) {
          double y = truth[(int) (t * channels + c)];
          double e = y - o[(int) (c * steps + t)];
          signal += y * y;
          error += e * e;
        }
      }
      return new double[] {signal, error};
    }).fold(new double[2], (a, b) -> new double[] {a[0] + b[0], a[1] + b[1]});
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("spectral_snr_db", sums[1] == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(sums[0] / sums[1]));
    return m;
  }

  /** One clip's mean output (double, as the evaluate job aggregates) and its truth. */
  record ClipMean(double[] mean, float[] truth) implements java.io.Serializable {}

  /** Per-clip mean of example outputs, with the clip's truth. */
  static Map<String, ClipMean> clipMeans(JavaPairRDD<ExampleKey, INDArray> predictions) {
    // Grouped, then summed in (segment, chunk) order: the same floating-point sums in every run.
    return predictions.mapToPair(p -> new Tuple2<>(p._1().clipId(), new Tuple2<>(p._1(),
        p._2().dup().data().asFloat()))).groupByKey().mapValues(items -> {
      List<Tuple2<ExampleKey, float[]>> list = new java.util.ArrayList<>();
      items.forEach(list::add);
      list.sort(java.util.Comparator.comparingInt((Tuple2<ExampleKey, float[]> t) -> t._1().segment())
          .thenComparingInt(t -> t._1().chunk()));
      float[][] segments = list.stream().map(Tuple2::_2).toArray(float[][]::new);
      return new ClipMean(io.timbre.eval.ClipAggregation.mean(segments), list.get(0)._1().truth());
    }).collectAsMap();
  }

  private static Map<String, Double> singleLabel(JavaPairRDD<ExampleKey, INDArray> predictions, List<String> labels) {
    Map<String, Double> m = new LinkedHashMap<>();
    // Clips without a label cannot be right or wrong in single-label terms.
    predictions = predictions.filter(p -> {
      for (float v : p._1().truth()) {
        if (v > 0) {
          return true;
        }
      }
      return false;
    });
    long[] exampleRight = predictions.map(p -> {
      float[] out = p._2().dup().data().asFloat();
      return argmax(out) == argmax(p._1().truth()) ? new long[] {1, 1} : new long[] {0, 1};
    }).fold(new long[] {0, 0}, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
    Map<String, ClipMean> clips = clipMeans(predictions);
    // scikit-learn's definitions (zero_division = 0), as the evaluate job reports them: DL4J's Evaluation gives NaN
    // macro F1 when a class is never predicted.
    int[] truth = new int[clips.size()];
    int[] predicted = new int[clips.size()];
    int i = 0;
    for (ClipMean c : clips.values()) {
      truth[i] = argmax(c.truth());
      predicted[i] = io.timbre.eval.ClipAggregation.argmax(c.mean());
      i++;
    }
    long[][] confusion = io.timbre.eval.ClassificationMetrics.confusion(truth, predicted, labels.size());
    var perClass = io.timbre.eval.ClassificationMetrics.perClass(confusion);
    m.put("clip_accuracy", io.timbre.eval.ClassificationMetrics.accuracy(confusion));
    m.put("macro_f1", io.timbre.eval.ClassificationMetrics.macroF1(perClass));
    m.put("micro_f1", io.timbre.eval.ClassificationMetrics.accuracy(confusion)); // single-label: micro F1 = accuracy
    m.put("example_accuracy", exampleRight[1] == 0 ? 0 : exampleRight[0] / (double) exampleRight[1]);
    m.put("clips", (double) clips.size());
    return m;
  }

  private static Map<String, Double> multiLabel(JavaPairRDD<ExampleKey, INDArray> predictions, List<String> labels,
      double threshold) {
    Map<String, Double> m = new LinkedHashMap<>();
    Map<String, ClipMean> clips = clipMeans(predictions);
    boolean[][] truth = new boolean[clips.size()][];
    boolean[][] predicted = new boolean[clips.size()][];
    long exact = 0;
    int i = 0;
    for (ClipMean c : clips.values()) {
      truth[i] = new boolean[c.truth().length];
      for (int j = 0; j < truth[i].length; j++) {
        truth[i][j] = c.truth()[j] >= 0.5f;
      }
      predicted[i] = io.timbre.eval.ClipAggregation.threshold(c.mean(), threshold);
      exact += java.util.Arrays.equals(truth[i], predicted[i]) ? 1 : 0;
      i++;
    }
    m.put("micro_f1", io.timbre.eval.ClassificationMetrics.microF1(truth, predicted));
    m.put("macro_f1", io.timbre.eval.ClassificationMetrics.macroF1(
        io.timbre.eval.ClassificationMetrics.multiLabel(truth, predicted)));
    m.put("clip_accuracy", clips.isEmpty() ? 0 : exact / (double) clips.size());
    m.put("clips", (double) clips.size());
    return m;
  }

  private static Map<String, Double> onset(JavaPairRDD<ExampleKey, INDArray> predictions, double threshold,
      double frameRate) {
    OnsetCounts c = predictions.map(p -> {
      ExampleKey k = p._1();
      INDArray out = p._2();
      int channels = (int) out.size(out.rank() - 2);
      int len = (int) out.size(out.rank() - 1);
      float[] a = out.dup('c').data().asFloat();
      OnsetCounts sum = OnsetCounts.ZERO;
      for (int ch = 0; ch < channels; ch++) {
        sum = sum.plus(OnsetCounts.ofChannel(a, len, k.truth(), channels, ch, k.valid(), k.clipFrame(), threshold,
            frameRate));
      }
      return sum;
    }).fold(OnsetCounts.ZERO, OnsetCounts::plus);
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("onset_f1", c.f1());
    m.put("onset_precision", c.precision());
    m.put("onset_recall", c.recall());
    m.put("onset_reference", (double) (c.truePositives() + c.falseNegatives()));
    return m;
  }

  private static Map<String, Double> melody(JavaPairRDD<ExampleKey, INDArray> predictions, MelodyClasses pitch) {
    MelodyCounts c = predictions.map(p -> {
      ExampleKey k = p._1();
      INDArray out = p._2();
      int classes = (int) out.size(out.rank() - 2);
      int len = (int) out.size(out.rank() - 1);
      float[] a = out.dup('c').data().asFloat();
      MelodyCounts sum = MelodyCounts.ZERO;
      for (int t = 0; t < k.valid(); t++) {
        int best = 1;
        for (int cls = 2; cls < classes; cls++) {
          if (a[cls * len + t] > a[best * len + t]) {
            best = cls;
          }
        }
        boolean voiced = a[best * len + t] > a[t];
        sum = sum.add(pitch.of(k.truth()[t]), voiced, best);
      }
      return sum;
    }).fold(MelodyCounts.ZERO, MelodyCounts::plus);
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("raw_pitch_accuracy", c.rawPitchAccuracy());
    m.put("overall_accuracy", c.overallAccuracy());
    m.put("voicing_recall", c.voicingRecall());
    m.put("voicing_false_alarm", c.voicingFalseAlarm());
    return m;
  }

  /** The arg-max with the evaluate job's tie rule ({@link io.timbre.eval.ClipAggregation#argmax(float[])}). */
  static int argmax(float[] a) {
    return io.timbre.eval.ClipAggregation.argmax(a);
  }
}
