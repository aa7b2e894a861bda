package io.timbre.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every metric family against the values mir_eval 0.7 and scikit-learn 1.2 give on the same inputs, read from
 * {@code reference/metrics/cases.jsonl.gz} (written by {@code generate.py} beside it; {@link
 * MetricsReferenceFreshnessTest} checks that the file is what the libraries give). A figure passes at |Δ| ≤ 1e-9;
 * decisions (predicted classes, S1/S2 label sets) must be identical. The table of cases and max |Δ| per family is
 * written to {@code target/metrics-differential.md}, the figures README's evaluation section quotes.
 */
class MetricsDifferentialTest {
  static final String CASES = "/reference/metrics/cases.jsonl.gz";
  static final double TOLERANCE = 1e-9;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, List<JsonNode>> BY_FAMILY = new TreeMap<>();

  /** Per family: cases, values compared, largest difference, and failures (first ones kept for the message). */
  private static final class Tally {
    int cases;
    long values;
    double maxDelta;
    final List<String> failures = new ArrayList<>();

    void value(JsonNode c, String metric, double expected, double actual) {
      values++;
      double delta = Math.abs(expected - actual);
      if (!(delta <= TOLERANCE)) {
        failures.add(c.path("name").asText() + " " + metric + ": reference " + expected + ", Timbre " + actual);
      } else {
        maxDelta = Math.max(maxDelta, delta);
      }
    }

    void same(JsonNode c, String what, Object expected, Object actual) {
      values++;
      if (!expected.equals(actual)) {
        failures.add(c.path("name").asText() + " " + what + ": reference " + expected + ", Timbre " + actual);
      }
    }

    void check(String family) {
      assertThat(failures.size()).as("%s: %d of %d values differ from the reference; the first ones:%n%s", family,
          failures.size(), values, String.join("\n", failures.subList(0, Math.min(30, failures.size())))).isZero();
    }
  }

  private static final Map<String, Tally> TALLIES = new TreeMap<>();

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = MetricsDifferentialTest.class.getResourceAsStream(CASES)) {
      assertThat(in).as("%s on the test classpath", CASES).isNotNull();
      BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        JsonNode c = JSON.readTree(line);
        BY_FAMILY.computeIfAbsent(c.path("family").asText(), k -> new ArrayList<>()).add(c);
      }
    }
  }

  @org.junit.jupiter.api.AfterAll
  static void writeSummary() throws IOException {
    StringBuilder md = new StringBuilder("| family | reference | cases | values compared | max |Δ| |\n"
        + "|---|---|---:|---:|---:|\n");
    Map<String, String> refs = Map.of("melody", MelodyMetrics.DEFINITION, "onset", OnsetCounts.DEFINITION,
        "single_label", "scikit-learn 1.2 (single-label)", "multi_label", "scikit-learn 1.2 (multi-label, S1/S2)");
    TALLIES.forEach((family, t) -> md.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %.1e |%n", family,
        refs.get(family), t.cases, t.values, t.maxDelta)));
    Path out = Path.of("target", "metrics-differential.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, md.toString());
  }

  @Test
  void theFileCoversEveryFamilyAndTheIssuesMinimalCases() {
    JsonNode header = BY_FAMILY.get("header").get(0);
    assertThat(header.path("input").path("mir_eval").asText()).isEqualTo("0.7");
    assertThat(header.path("input").path("scikit-learn").asText()).startsWith("1.2");
    int cases = BY_FAMILY.entrySet().stream().filter(e -> !e.getKey().equals("header"))
        .mapToInt(e -> e.getValue().size()).sum();
    assertThat(cases).isEqualTo(header.path("expected").path("cases").asInt()).isGreaterThanOrEqualTo(2000);
    assertThat(BY_FAMILY.get("melody")).hasSizeGreaterThanOrEqualTo(500);
    assertThat(BY_FAMILY.get("onset")).hasSizeGreaterThanOrEqualTo(500);
    assertThat(BY_FAMILY.get("single_label")).hasSizeGreaterThanOrEqualTo(300);
    assertThat(BY_FAMILY.get("multi_label")).hasSizeGreaterThanOrEqualTo(300);
    List<String> names = BY_FAMILY.values().stream().flatMap(List::stream).map(c -> c.path("name").asText()).toList();
    assertThat(names).contains("issue-1-pitch-tolerance-strictly-below-50-cents", "issue-2-resampled-in-cents",
        "issue-3-short-estimate-padded-unvoiced", "issue-4-no-voiced-reference-recall-1",
        "issue-5-series-starting-after-zero", "issue-6-allclose-times-not-resampled",
        "issue-onset-52ms-is-a-miss-at-172.27fps", "issue-onset-exactly-50ms-at-100fps-miss",
        "issue-onset-exactly-50ms-at-1000fps-miss", "issue-7-top-k-ties-follow-scikit-learn",
        "issue-8-s1-decides-on-the-float64-mean", "issue-9-macro-f1-over-all-classes-and-observed-labels");
  }

  @Test
  void melodyEqualsMirEval() {
    Tally t = tally("melody");
    for (JsonNode c : BY_FAMILY.get("melody")) {
      JsonNode in = c.path("input");
      MelodyMetrics.Scores s = MelodyMetrics.evaluate(doubles(in.path("ref_time")), doubles(in.path("ref_freq")),
          doubles(in.path("est_time")), doubles(in.path("est_freq")));
      JsonNode e = c.path("expected");
      t.value(c, "voicing_recall", e.path("voicing_recall").asDouble(), s.voicingRecall());
      t.value(c, "voicing_false_alarm", e.path("voicing_false_alarm").asDouble(), s.voicingFalseAlarm());
      t.value(c, "raw_pitch_accuracy", e.path("raw_pitch_accuracy").asDouble(), s.rawPitchAccuracy());
      t.value(c, "raw_chroma_accuracy", e.path("raw_chroma_accuracy").asDouble(), s.rawChromaAccuracy());
      t.value(c, "overall_accuracy", e.path("overall_accuracy").asDouble(), s.overallAccuracy());
      t.cases++;
    }
    t.check("melody");
  }

  @Test
  void onsetsEqualMirEval() {
    Tally t = tally("onset");
    for (JsonNode c : BY_FAMILY.get("onset")) {
      JsonNode in = c.path("input");
      double[] ref = doubles(in.path("reference"));
      double[] est = doubles(in.path("estimated"));
      if (in.has("frame_rate")) { // the frames → seconds conversion Timbre's jobs use gives the same times
        double rate = in.path("frame_rate").asDouble();
        t.same(c, "reference seconds", list(ref), list(OnsetCounts.seconds(ints(in.path("reference_frames")), 0,
            rate)));
        t.same(c, "estimated seconds", list(est), list(OnsetCounts.seconds(ints(in.path("estimated_frames")), 0,
            rate)));
      }
      OnsetCounts m = OnsetCounts.match(ref, est, OnsetCounts.WINDOW_SECONDS);
      JsonNode e = c.path("expected");
      t.value(c, "f_measure", e.path("f_measure").asDouble(), m.f1());
      t.value(c, "precision", e.path("precision").asDouble(), m.precision());
      t.value(c, "recall", e.path("recall").asDouble(), m.recall());
      t.cases++;
    }
    t.check("onset");
  }

  @Test
  void singleLabelEqualsScikitLearn() {
    Tally t = tally("single_label");
    for (JsonNode c : BY_FAMILY.get("single_label")) {
      JsonNode in = c.path("input");
      int k = in.path("classes").asInt();
      int[] truth = ints(in.path("truth"));
      float[][][] segments = segments(in.path("segments"));
      double[][] means = new double[truth.length][];
      int[] predicted = new int[truth.length];
      for (int i = 0; i < truth.length; i++) {
        means[i] = ClipAggregation.mean(segments[i]);
        predicted[i] = ClipAggregation.argmax(means[i]);
      }
      JsonNode e = c.path("expected");
      t.same(c, "predicted", list(ints(e.path("predicted"))), list(predicted));
      long[][] confusion = ClassificationMetrics.confusion(truth, predicted, k);
      ClassificationMetrics.PerClass pc = ClassificationMetrics.perClass(confusion);
      t.value(c, "accuracy", e.path("accuracy").asDouble(), ClassificationMetrics.accuracy(confusion));
      t.value(c, "macro_f1", e.path("macro_f1").asDouble(), ClassificationMetrics.macroF1(pc));
      t.value(c, "macro_f1_observed_labels", e.path("macro_f1_observed_labels").asDouble(),
          ClassificationMetrics.macroF1ObservedLabels(confusion));
      t.value(c, "weighted_f1", e.path("weighted_f1").asDouble(), ClassificationMetrics.weightedF1(pc));
      for (int cls = 0; cls < k; cls++) {
        t.value(c, "precision[" + cls + "]", e.path("precision").get(cls).asDouble(), pc.precision()[cls]);
        t.value(c, "recall[" + cls + "]", e.path("recall").get(cls).asDouble(), pc.recall()[cls]);
        t.value(c, "f1[" + cls + "]", e.path("f1").get(cls).asDouble(), pc.f1()[cls]);
        t.value(c, "support[" + cls + "]", e.path("support").get(cls).asDouble(), pc.support()[cls]);
      }
      for (int topK = 1; topK <= 3; topK++) {
        t.value(c, "top_" + topK + "_accuracy", e.path("top_" + topK + "_accuracy").asDouble(),
            ClassificationMetrics.topK(truth, means, topK));
      }
      // The same figures as the evaluate job assembles them.
      ObjectNode report = ClassificationReport.compute(clips(oneHot(truth, k), segments), labels(k), 0.5, 2);
      JsonNode single = report.path("single_label");
      for (String metric : List.of("accuracy", "macro_f1", "macro_f1_observed_labels", "weighted_f1",
          "top_2_accuracy")) {
        t.value(c, "report " + metric, e.path(metric).asDouble(), single.path(metric).asDouble(Double.NaN));
      }
      t.cases++;
    }
    t.check("single_label");
  }

  @Test
  void multiLabelEqualsScikitLearn() {
    Tally t = tally("multi_label");
    for (JsonNode c : BY_FAMILY.get("multi_label")) {
      JsonNode in = c.path("input");
      double theta = in.path("theta").asDouble();
      boolean[][] truth = booleans(in.path("truth"));
      float[][][] segments = segments(in.path("segments"));
      int n = truth.length;
      int k = truth[0].length;
      boolean[][] s1 = new boolean[n][];
      boolean[][] s2 = new boolean[n][];
      double[][] means = new double[n][];
      for (int i = 0; i < n; i++) {
        s1[i] = ClipAggregation.s1(segments[i], theta);
        s2[i] = ClipAggregation.s2(segments[i], theta);
        means[i] = ClipAggregation.mean(segments[i]);
      }
      JsonNode e = c.path("expected");
      t.same(c, "s1 decisions", listOf(booleans(e.path("s1"))), listOf(s1));
      t.same(c, "s2 decisions", listOf(booleans(e.path("s2"))), listOf(s2));
      t.value(c, "s1_micro_f1", e.path("s1_micro_f1").asDouble(), ClassificationMetrics.microF1(truth, s1));
      t.value(c, "s1_macro_f1", e.path("s1_macro_f1").asDouble(),
          ClassificationMetrics.macroF1(ClassificationMetrics.multiLabel(truth, s1)));
      t.value(c, "s2_micro_f1", e.path("s2_micro_f1").asDouble(), ClassificationMetrics.microF1(truth, s2));
      t.value(c, "s2_macro_f1", e.path("s2_macro_f1").asDouble(),
          ClassificationMetrics.macroF1(ClassificationMetrics.multiLabel(truth, s2)));
      t.value(c, "lrap", e.path("lrap").asDouble(), ClassificationMetrics.lrap(truth, means));
      ObjectNode report = ClassificationReport.compute(clips(truth, segments), labels(k), theta, 1);
      JsonNode multi = report.path("multi_label");
      t.value(c, "report s1 micro_f1", e.path("s1_micro_f1").asDouble(), multi.path("s1").path("micro_f1")
          .asDouble(Double.NaN));
      t.value(c, "report s2 macro_f1", e.path("s2_macro_f1").asDouble(), multi.path("s2").path("macro_f1")
          .asDouble(Double.NaN));
      t.value(c, "report lrap", e.path("lrap").asDouble(), multi.path("lrap").asDouble(Double.NaN));
      for (int cls = 0; cls < k; cls++) {
        JsonNode expected = e.path("roc_auc").get(cls);
        JsonNode reported = multi.path("roc_auc").path(labels(k).get(cls));
        if (expected.isNull()) { // undefined for scikit-learn (one class only): an error in the report, not a number
          t.same(c, "roc_auc[" + cls + "] undefined", true, reported.isNull()
              && report.path("errors").has("roc_auc." + labels(k).get(cls)));
        } else {
          t.value(c, "roc_auc[" + cls + "]", expected.asDouble(), reported.asDouble(Double.NaN));
        }
      }
      t.cases++;
    }
    t.check("multi_label");
  }

  private static Tally tally(String family) {
    return TALLIES.computeIfAbsent(family, f -> new Tally());
  }

  private static List<String> labels(int k) {
    return IntStream.range(0, k).mapToObj(i -> "c" + i).toList();
  }

  private static boolean[][] oneHot(int[] truth, int k) {
    boolean[][] out = new boolean[truth.length][k];
    for (int i = 0; i < truth.length; i++) {
      out[i][truth[i]] = true;
    }
    return out;
  }

  private static List<ClassificationReport.Clip> clips(boolean[][] truth, float[][][] segments) {
    List<ClassificationReport.Clip> out = new ArrayList<>();
    for (int i = 0; i < truth.length; i++) {
      out.add(new ClassificationReport.Clip(String.format(Locale.ROOT, "clip-%04d", i), truth[i], segments[i]));
    }
    return out;
  }

  private static double[] doubles(JsonNode a) {
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asDouble();
    }
    return out;
  }

  private static int[] ints(JsonNode a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asInt();
    }
    return out;
  }

  private static boolean[][] booleans(JsonNode a) {
    boolean[][] out = new boolean[a.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = new boolean[a.get(i).size()];
      for (int j = 0; j < out[i].length; j++) {
        out[i][j] = a.get(i).get(j).asBoolean();
      }
    }
    return out;
  }

  /** Clips × segments × classes; the values are float32 outputs written as the doubles they are. */
  private static float[][][] segments(JsonNode a) {
    float[][][] out = new float[a.size()][][];
    for (int i = 0; i < out.length; i++) {
      JsonNode clip = a.get(i);
      out[i] = new float[clip.size()][];
      for (int s = 0; s < clip.size(); s++) {
        double[] d = doubles(clip.get(s));
        out[i][s] = new float[d.length];
        for (int j = 0; j < d.length; j++) {
          out[i][s][j] = (float) d[j];
          assertThat((double) out[i][s][j]).as("a float32 value").isEqualTo(d[j]);
        }
      }
    }
    return out;
  }

  private static List<Double> list(double[] a) {
    return java.util.Arrays.stream(a).boxed().toList();
  }

  private static List<Integer> list(int[] a) {
    return java.util.Arrays.stream(a).boxed().toList();
  }

  private static List<String> listOf(boolean[][] a) {
    return java.util.Arrays.stream(a).map(java.util.Arrays::toString).toList();
  }
}
