package io.timbre.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Supplier;

/**
 * Every classification figure for a set of clips, computed from per-clip segment probabilities. Each metric is
 * computed on its own: one that cannot be computed (ROC AUC of a class without positives, say) is recorded under
 * {@code errors} and the others are still reported (deequ's rule).
 */
public final class ClassificationReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One clip: its true multi-hot labels and its segments' output probabilities. */
  public record Clip(String id, boolean[] truth, float[][] segments) {}

  private ClassificationReport() {}

  /**
   * @param theta threshold of the multi-label rules S1/S2
   * @param topK k of the top-k accuracy
   */
  public static ObjectNode compute(List<Clip> clips, List<String> labels, double theta, int topK) {
    ObjectNode out = JSON.createObjectNode();
    ObjectNode errors = out.putObject("errors");
    int n = clips.size();
    out.put("clips", n);
    double[][] mean = new double[n][];
    double[][] s2 = new double[n][];
    boolean[][] truth = new boolean[n][];
    boolean singleLabel = true;
    for (int i = 0; i < n; i++) {
      Clip c = clips.get(i);
      mean[i] = ClipAggregation.mean(c.segments());
      s2[i] = ClipAggregation.s2Scores(c.segments());
      truth[i] = c.truth();
      int count = 0;
      for (boolean b : c.truth()) {
        count += b ? 1 : 0;
      }
      singleLabel &= count == 1;
    }
    out.put("single_label_truth", singleLabel);

    if (singleLabel) {
      singleLabel(out.putObject("single_label"), errors, truth, mean, labels, topK);
    }
    ObjectNode multi = multiLabel(out.putObject("multi_label"), errors, truth, mean, s2, labels, theta);
    thetaSweep(multi.putArray("theta_sweep"), truth, mean, s2);
    return out;
  }

  /** Argmax of the mean probabilities against the one true label: accuracy, F1s, top-k, confusion, per class. */
  private static void singleLabel(ObjectNode single, ObjectNode errors, boolean[][] truth, double[][] mean,
      List<String> labels, int topK) {
    int n = truth.length;
    int k = labels.size();
    single.put("definition", ClassificationMetrics.SINGLE_LABEL_DEFINITION);
    int[] t = new int[n];
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < k; c++) {
        if (truth[i][c]) {
          t[i] = c;
        }
      }
      p[i] = ClipAggregation.argmax(mean[i]);
    }
    long[][] confusion = ClassificationMetrics.confusion(t, p, k);
    ClassificationMetrics.PerClass pc = ClassificationMetrics.perClass(confusion);
    metric(single, errors, "accuracy", () -> ClassificationMetrics.accuracy(confusion));
    metric(single, errors, "macro_f1", () -> ClassificationMetrics.macroF1(pc));
    metric(single, errors, "macro_f1_observed_labels",
        () -> ClassificationMetrics.macroF1ObservedLabels(confusion));
    metric(single, errors, "weighted_f1", () -> ClassificationMetrics.weightedF1(pc));
    metric(single, errors, "top_" + topK + "_accuracy", () -> ClassificationMetrics.topK(t, mean, topK));
    single.set("confusion", JSON.valueToTree(confusion));
    single.set("per_class", perClass(pc, labels, null));
  }

  /** Thresholded labels by the S1 (mean) and S2 rules: micro/macro F1 and per class each, LRAP, ROC AUC per label. */
  private static ObjectNode multiLabel(ObjectNode multi, ObjectNode errors, boolean[][] truth, double[][] mean,
      double[][] s2, List<String> labels, double theta) {
    int n = truth.length;
    int k = labels.size();
    multi.put("definition", ClassificationMetrics.MULTI_LABEL_DEFINITION);
    multi.put("theta", theta);
    boolean[][] byS1 = new boolean[n][];
    boolean[][] byS2 = new boolean[n][];
    for (int i = 0; i < n; i++) {
      byS1[i] = ClipAggregation.threshold(mean[i], theta);
      byS2[i] = ClipAggregation.threshold(s2[i], theta);
    }
    for (String rule : new String[] {"s1", "s2"}) {
      boolean[][] pred = rule.equals("s1") ? byS1 : byS2;
      ObjectNode r = multi.putObject(rule);
      ClassificationMetrics.PerClass pc = ClassificationMetrics.multiLabel(truth, pred);
      metric(r, errors, "micro_f1", () -> ClassificationMetrics.microF1(truth, pred));
      metric(r, errors, "macro_f1", () -> ClassificationMetrics.macroF1(pc));
      r.set("per_class", perClass(pc, labels, null));
    }
    metric(multi, errors, "lrap", () -> ClassificationMetrics.lrap(truth, mean));
    ObjectNode auc = multi.putObject("roc_auc");
    for (int c = 0; c < k; c++) {
      boolean[] tc = new boolean[n];
      double[] sc = new double[n];
      for (int i = 0; i < n; i++) {
        tc[i] = truth[i][c];
        sc[i] = mean[i][c];
      }
      metric(auc, errors, labels.get(c), () -> ClassificationMetrics.rocAuc(tc, sc), "roc_auc." + labels.get(c));
    }
    return multi;
  }

  /** Micro/macro F1 of both rules at thresholds 0.05 … 0.95, to choose theta on a validation split. */
  private static void thetaSweep(ArrayNode sweep, boolean[][] truth, double[][] mean, double[][] s2) {
    int n = truth.length;
    for (int step = 1; step < 20; step++) {
      double th = step * 0.05;
      boolean[][] a = new boolean[n][];
      boolean[][] b = new boolean[n][];
      for (int i = 0; i < n; i++) {
        a[i] = ClipAggregation.threshold(mean[i], th);
        b[i] = ClipAggregation.threshold(s2[i], th);
      }
      sweep.addObject().put("theta", Math.round(th * 100) / 100.0)
          .put("s1_micro_f1", ClassificationMetrics.microF1(truth, a))
          .put("s1_macro_f1", ClassificationMetrics.macroF1(ClassificationMetrics.multiLabel(truth, a)))
          .put("s2_micro_f1", ClassificationMetrics.microF1(truth, b))
          .put("s2_macro_f1", ClassificationMetrics.macroF1(ClassificationMetrics.multiLabel(truth, b)));
    }
  }

  private static ArrayNode perClass(ClassificationMetrics.PerClass pc, List<String> labels, double[] auc) {
    ArrayNode a = JSON.createArrayNode();
    for (int c = 0; c < labels.size(); c++) {
      a.addObject().put("label", labels.get(c)).put("precision", pc.precision()[c]).put("recall", pc.recall()[c])
          .put("f1", pc.f1()[c]).put("support", pc.support()[c]);
    }
    return a;
  }

  private static void metric(ObjectNode into, ObjectNode errors, String name, Supplier<Double> f) {
    metric(into, errors, name, f, name);
  }

  private static void metric(ObjectNode into, ObjectNode errors, String name, Supplier<Double> f, String path) {
    try {
      into.put(name, f.get());
    } catch (RuntimeException e) {
      into.putNull(name);
      errors.put(path, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }
}
