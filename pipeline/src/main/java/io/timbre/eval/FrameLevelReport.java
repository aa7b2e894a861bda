package io.timbre.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbre.model.ExampleKey;
import io.timbre.model.MelodyClasses;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaPairRDD;
import org.nd4j.linalg.api.ndarray.INDArray;
import scala.Tuple2;

/**
 * Frame-level evaluation: onset F-measure per instrument and overall (mir_eval's ±50 ms one-to-one matching on
 * peak-picked activations), and mir_eval's melody metrics per track on the track's own time axis (then their mean).
 */
public final class FrameLevelReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FrameLevelReport() {}

  /** Schema of a melody model's predictions.parquet: per track its frame times, reference and estimated f0. */
  public static final org.apache.spark.sql.types.StructType MELODY_PREDICTIONS = new org.apache.spark.sql.types
      .StructType()
      .add("clip_id", org.apache.spark.sql.types.DataTypes.StringType, false)
      .add("times_sec", org.apache.spark.sql.types.DataTypes.createArrayType(
          org.apache.spark.sql.types.DataTypes.DoubleType, false), false)
      .add("reference_hz", org.apache.spark.sql.types.DataTypes.createArrayType(
          org.apache.spark.sql.types.DataTypes.DoubleType, false), false)
      .add("estimated_hz", org.apache.spark.sql.types.DataTypes.createArrayType(
          org.apache.spark.sql.types.DataTypes.DoubleType, false), false);

  /** Schema of an onset model's predictions.parquet: per clip and instrument, reference and estimated onsets. */
  public static final org.apache.spark.sql.types.StructType ONSET_PREDICTIONS = new org.apache.spark.sql.types
      .StructType()
      .add("clip_id", org.apache.spark.sql.types.DataTypes.StringType, false)
      .add("instrument", org.apache.spark.sql.types.DataTypes.StringType, false)
      .add("reference_sec", org.apache.spark.sql.types.DataTypes.createArrayType(
          org.apache.spark.sql.types.DataTypes.DoubleType, false), false)
      .add("estimated_sec", org.apache.spark.sql.types.DataTypes.createArrayType(
          org.apache.spark.sql.types.DataTypes.DoubleType, false), false);

  private static Double[] boxed(double[] a) {
    Double[] out = new Double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i];
    }
    return out;
  }

  /** Reference and estimated onset times per clip and instrument (rows of {@link #ONSET_PREDICTIONS}). */
  public static List<org.apache.spark.sql.Row> onsetEvents(JavaPairRDD<ExampleKey, INDArray> predictions,
      List<String> channels, double threshold, double frameRate) {
    int k = channels.size();
    List<Tuple2<String, Iterable<double[]>>> grouped = predictions.flatMapToPair(p -> {
      ExampleKey key = p._1();
      INDArray out = p._2();
      int len = (int) out.size(out.rank() - 1);
      float[] a = out.dup('c').data().asFloat();
      List<Tuple2<String, double[]>> events = new ArrayList<>();
      for (int ch = 0; ch < k; ch++) {
        for (int t : OnsetCounts.peaks(a, 1, ch * len, key.valid(), threshold)) {
          events.add(new Tuple2<>(key.clipId() + "\u0000" + ch, new double[] {1, key.clipFrame() + t}));
        }
        for (int t = 0; t < key.valid(); t++) {
          if (key.truth()[t * k + ch] >= 1f) {
            events.add(new Tuple2<>(key.clipId() + "\u0000" + ch, new double[] {0, key.clipFrame() + t}));
          }
        }
      }
      return events.iterator();
    }).groupByKey().collect();
    List<org.apache.spark.sql.Row> rows = new ArrayList<>();
    for (Tuple2<String, Iterable<double[]>> g : grouped) {
      String[] parts = g._1().split("\u0000");
      java.util.TreeSet<Double> ref = new java.util.TreeSet<>();
      java.util.TreeSet<Double> est = new java.util.TreeSet<>();
      g._2().forEach(e -> (e[0] == 0 ? ref : est).add(e[1] / frameRate));
      rows.add(org.apache.spark.sql.RowFactory.create(parts[0], channels.get(Integer.parseInt(parts[1])),
          ref.toArray(new Double[0]), est.toArray(new Double[0])));
    }
    rows.sort(java.util.Comparator.comparing((org.apache.spark.sql.Row r) -> r.getString(0))
        .thenComparing(r -> r.getString(1)));
    return rows;
  }

  /** Per-instrument onset counts, summed on the executors. */
  public static ObjectNode onsets(JavaPairRDD<ExampleKey, INDArray> predictions, List<String> channels,
      double threshold, double frameRate) {
    int k = channels.size();
    long[] zero = new long[3 * k];
    long[] counts = predictions.map(p -> {
      ExampleKey key = p._1();
      INDArray out = p._2();
      int len = (int) out.size(out.rank() - 1);
      float[] a = out.dup('c').data().asFloat();
      long[] c = new long[3 * k];
      for (int ch = 0; ch < k; ch++) {
        OnsetCounts m = OnsetCounts.ofChannel(a, len, key.truth(), k, ch, key.valid(), key.clipFrame(), threshold,
            frameRate);
        c[3 * ch] = m.truePositives();
        c[3 * ch + 1] = m.falsePositives();
        c[3 * ch + 2] = m.falseNegatives();
      }
      return c;
    }).fold(zero, (x, y) -> {
      long[] s = x.clone();
      for (int i = 0; i < s.length; i++) {
        s[i] += y[i];
      }
      return s;
    });
    ObjectNode out = JSON.createObjectNode();
    ObjectNode per = out.putObject("per_instrument");
    OnsetCounts all = OnsetCounts.ZERO;
    for (int ch = 0; ch < k; ch++) {
      OnsetCounts m = new OnsetCounts(counts[3 * ch], counts[3 * ch + 1], counts[3 * ch + 2]);
      all = all.plus(m);
      per.putObject(channels.get(ch)).put("f_measure", m.f1()).put("precision", m.precision())
          .put("recall", m.recall()).put("reference_onsets", m.truePositives() + m.falseNegatives());
    }
    out.put("f_measure", all.f1());
    out.put("precision", all.precision());
    out.put("recall", all.recall());
    out.put("window_seconds", OnsetCounts.WINDOW_SECONDS);
    out.put("definition", OnsetCounts.DEFINITION);
    out.put("threshold", threshold);
    return out;
  }

  /** mir_eval melody metrics per track (clip) and their mean. */
  public static ObjectNode melody(JavaPairRDD<ExampleKey, INDArray> predictions, MelodyClasses classes,
      double frameSeconds, List<org.apache.spark.sql.Row> rows) {
    // Per frame of each clip: (reference Hz, estimated Hz; negative = unvoiced with a pitch guess).
    List<Tuple2<String, Iterable<double[]>>> byClip = predictions.flatMapToPair(p -> {
      ExampleKey key = p._1();
      INDArray out = p._2();
      int nClasses = (int) out.size(out.rank() - 2);
      int len = (int) out.size(out.rank() - 1);
      float[] a = out.dup('c').data().asFloat();
      List<Tuple2<String, double[]>> frames = new ArrayList<>();
      for (int t = 0; t < key.valid(); t++) {
        int best = 1;
        for (int c = 2; c < nClasses; c++) {
          if (a[c * len + t] > a[best * len + t]) {
            best = c;
          }
        }
        double hz = classes.hz(best);
        boolean voiced = a[best * len + t] > a[t];
        frames.add(new Tuple2<>(key.clipId(), new double[] {key.clipFrame() + t, key.truth()[t],
            voiced ? hz : -hz}));
      }
      return frames.iterator();
    }).groupByKey().collect();
    ObjectNode out = JSON.createObjectNode();
    ArrayNode tracks = out.putArray("per_track");
    double[] sums = new double[5];
    List<Tuple2<String, Iterable<double[]>>> sorted = new ArrayList<>(byClip);
    sorted.sort(java.util.Comparator.comparing(Tuple2::_1));
    for (Tuple2<String, Iterable<double[]>> clip : sorted) {
      Map<Integer, double[]> frames = new TreeMap<>();
      clip._2().forEach(f -> frames.putIfAbsent((int) f[0], f)); // overlapping segments: first one wins
      int n = frames.size();
      double[] times = new double[n];
      double[] ref = new double[n];
      double[] est = new double[n];
      int i = 0;
      for (double[] f : frames.values()) {
        times[i] = f[0] * frameSeconds;
        ref[i] = f[1];
        est[i] = f[2];
        i++;
      }
      MelodyMetrics.Scores s = MelodyMetrics.evaluate(times, ref, times, est);
      rows.add(org.apache.spark.sql.RowFactory.create(clip._1(), boxed(times), boxed(ref), boxed(est)));
      tracks.addObject().put("clip_id", clip._1()).put("voicing_recall", s.voicingRecall())
          .put("voicing_false_alarm", s.voicingFalseAlarm()).put("raw_pitch_accuracy", s.rawPitchAccuracy())
          .put("raw_chroma_accuracy", s.rawChromaAccuracy()).put("overall_accuracy", s.overallAccuracy());
      sums[0] += s.voicingRecall();
      sums[1] += s.voicingFalseAlarm();
      sums[2] += s.rawPitchAccuracy();
      sums[3] += s.rawChromaAccuracy();
      sums[4] += s.overallAccuracy();
    }
    int n = Math.max(1, sorted.size());
    ObjectNode mean = out.putObject("mean");
    mean.put("voicing_recall", sums[0] / n).put("voicing_false_alarm", sums[1] / n)
        .put("raw_pitch_accuracy", sums[2] / n).put("raw_chroma_accuracy", sums[3] / n)
        .put("overall_accuracy", sums[4] / n);
    out.put("tracks", sorted.size());
    out.put("hop_seconds", MelodyMetrics.HOP);
    out.put("cent_tolerance", MelodyMetrics.CENT_TOLERANCE);
    out.put("definition", MelodyMetrics.DEFINITION);
    return out;
  }
}
