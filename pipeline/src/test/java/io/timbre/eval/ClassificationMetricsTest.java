package io.timbre.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Hand-worked cases and scikit-learn's documented examples. */
class ClassificationMetricsTest {
  @Test
  void f1MatchesScikitLearnsDocumentedExample() {
    // sklearn.metrics.f1_score docs: y_true = [0, 1, 2, 0, 1, 2], y_pred = [0, 2, 1, 0, 0, 1]
    // → macro 0.2666…, micro 0.3333…, weighted 0.2666…, per class [0.8, 0, 0].
    long[][] c = ClassificationMetrics.confusion(new int[] {0, 1, 2, 0, 1, 2}, new int[] {0, 2, 1, 0, 0, 1}, 3);
    var m = ClassificationMetrics.perClass(c);
    assertThat(m.f1()).containsExactly(new double[] {0.8, 0, 0}, within(1e-12));
    assertThat(ClassificationMetrics.macroF1(m)).isCloseTo(0.26666666666666666, within(1e-12));
    assertThat(ClassificationMetrics.weightedF1(m)).isCloseTo(0.26666666666666666, within(1e-12));
    assertThat(ClassificationMetrics.accuracy(c)).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(m.support()).containsExactly(2, 2, 2);
    assertThat(m.precision()[0]).isCloseTo(2 / 3.0, within(1e-12));
  }

  @Test
  void topKCountsTheTrueClassAmongTheBestK() {
    double[][] s = {{0.5, 0.3, 0.2}, {0.5, 0.3, 0.2}, {0.1, 0.2, 0.7}};
    int[] truth = {0, 1, 0};
    assertThat(ClassificationMetrics.topK(truth, s, 1)).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(ClassificationMetrics.topK(truth, s, 2)).isCloseTo(2 / 3.0, within(1e-12));
    assertThat(ClassificationMetrics.topK(truth, s, 3)).isEqualTo(1.0);
  }

  @Test
  void lrapMatchesScikitLearnsDocumentedExample() {
    // label_ranking_average_precision_score([[1, 0, 0], [0, 0, 1]], [[0.75, 0.5, 1], [1, 0.2, 0.1]]) = 0.416…
    boolean[][] t = {{true, false, false}, {false, false, true}};
    double[][] s = {{0.75, 0.5, 1}, {1, 0.2, 0.1}};
    assertThat(ClassificationMetrics.lrap(t, s)).isCloseTo(0.41666666666666663, within(1e-12));
  }

  @Test
  void rocAucMatchesScikitLearnAndRefusesOneClassInput() {
    // roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.75 (the docs' example)
    assertThat(ClassificationMetrics.rocAuc(new boolean[] {false, false, true, true},
        new double[] {0.1, 0.4, 0.35, 0.8})).isEqualTo(0.75);
    // Ties count half: one positive and one negative with equal scores → 0.5.
    assertThat(ClassificationMetrics.rocAuc(new boolean[] {true, false}, new double[] {0.3, 0.3})).isEqualTo(0.5);
    assertThatThrownBy(() -> ClassificationMetrics.rocAuc(new boolean[] {false, false}, new double[] {0.1, 0.2}))
        .hasMessageContaining("0 positives");
  }

  @Test
  void multiLabelMicroAndMacroF1OnBinarisedLabels() {
    // Two clips, three labels. Clip 1: truth {0, 1}, predicted {0}; clip 2: truth {2}, predicted {1, 2}.
    boolean[][] t = {{true, true, false}, {false, false, true}};
    boolean[][] p = {{true, false, false}, {false, true, true}};
    // TP 2 (0@1, 2@2), FP 1 (1@2), FN 1 (1@1): micro F1 = 4 / (4 + 2) = 2/3.
    assertThat(ClassificationMetrics.microF1(t, p)).isCloseTo(2 / 3.0, within(1e-12));
    var m = ClassificationMetrics.multiLabel(t, p);
    assertThat(m.f1()).containsExactly(new double[] {1, 0, 1}, within(1e-12));
    assertThat(ClassificationMetrics.macroF1(m)).isCloseTo(2 / 3.0, within(1e-12));
  }

  @Test
  void hanEtAlS1AndS2() {
    float[][] seg = {{0.6f, 0.3f, 0.1f}, {0.2f, 0.5f, 0.3f}};
    // S1: means [0.4, 0.4, 0.2]; θ = 0.35 → {0, 1}.
    assertThat(ClipAggregation.s1(seg, 0.35)).containsExactly(true, true, false);
    // S2: sums [0.8, 0.8, 0.4] / 0.8 = [1, 1, 0.5]; θ = 0.6 → {0, 1}; θ = 0.5 → all.
    assertThat(ClipAggregation.s2(seg, 0.6)).containsExactly(true, true, false);
    assertThat(ClipAggregation.s2(seg, 0.5)).containsExactly(true, true, true);
    assertThat(ClipAggregation.argmax(ClipAggregation.mean(new float[][] {{0.1f, 0.9f}}))).isEqualTo(1);
  }
}
