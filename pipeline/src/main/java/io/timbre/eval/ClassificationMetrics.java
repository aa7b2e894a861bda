package io.timbre.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Classification metrics as scikit-learn 1.2 defines them (zero_division = 0), as pure functions over arrays.
 *
 * <ul>
 *   <li>single-label: {@link #confusion}, accuracy, per-class precision/recall/F1/support, macro F1 over all K
 *       classes ({@code f1_score(labels=range(K), average="macro")}) and over the classes present in truth or
 *       prediction (scikit-learn's default labels), weighted F1, top-k accuracy ({@code top_k_accuracy_score} with
 *       {@code labels=range(K)}, ties as it breaks them);</li>
 *   <li>multi-label on binarised labels: micro F1 (pooled counts), macro F1 (mean of per-class F1),
 *       label-ranking average precision ({@code label_ranking_average_precision_score}) and per-class ROC AUC
 *       ({@code roc_auc_score}, ties counted half).</li>
 * </ul>
 */
public final class ClassificationMetrics {
  private ClassificationMetrics() {}

  /** Per-class precision, recall, F1 and support. */
  public record PerClass(double[] precision, double[] recall, double[] f1, long[] support) {}

  /** confusion[t][p] = clips of true class t predicted as p. */
  public static long[][] confusion(int[] truth, int[] predicted, int classes) {
    long[][] c = new long[classes][classes];
    for (int i = 0; i < truth.length; i++) {
      c[truth[i]][predicted[i]]++;
    }
    return c;
  }

  public static double accuracy(long[][] confusion) {
    long right = 0;
    long all = 0;
    for (int t = 0; t < confusion.length; t++) {
      for (int p = 0; p < confusion.length; p++) {
        all += confusion[t][p];
        right += t == p ? confusion[t][p] : 0;
      }
    }
    return all == 0 ? 0 : right / (double) all;
  }

  public static PerClass perClass(long[][] confusion) {
    int k = confusion.length;
    long[] tp = new long[k];
    long[] fp = new long[k];
    long[] fn = new long[k];
    for (int t = 0; t < k; t++) {
      for (int p = 0; p < k; p++) {
        if (t == p) {
          tp[t] += confusion[t][p];
        } else {
          fp[p] += confusion[t][p];
          fn[t] += confusion[t][p];
        }
      }
    }
    return fromCounts(tp, fp, fn);
  }

  /** Per-class metrics from true/false positive and false negative counts. */
  public static PerClass fromCounts(long[] tp, long[] fp, long[] fn) {
    int k = tp.length;
    double[] precision = new double[k];
    double[] recall = new double[k];
    double[] f1 = new double[k];
    long[] support = new long[k];
    for (int c = 0; c < k; c++) {
      precision[c] = ratio(tp[c], tp[c] + fp[c]);
      recall[c] = ratio(tp[c], tp[c] + fn[c]);
      f1[c] = ratio(2 * tp[c], 2 * tp[c] + fp[c] + fn[c]);
      support[c] = tp[c] + fn[c];
    }
    return new PerClass(precision, recall, f1, support);
  }

  /** The reference definitions these figures follow, as recorded in metrics.json. */
  public static final String SINGLE_LABEL_DEFINITION = "scikit-learn 1.2 accuracy_score, precision_recall_fscore_support"
      + "(zero_division=0), f1_score(average='macro'|'weighted', labels=range(K)); macro_f1_observed_labels: "
      + "f1_score(average='macro') with its default labels (present in truth or prediction); "
      + "top_k_accuracy_score(labels=range(K))";
  public static final String MULTI_LABEL_DEFINITION = "scikit-learn 1.2 f1_score(average='micro'|'macro', "
      + "zero_division=0) on binarised labels, label_ranking_average_precision_score, roc_auc_score per class";

  /** Mean F1 over all K classes: {@code f1_score(labels=range(K), average="macro")}. */
  public static double macroF1(PerClass m) {
    return Arrays.stream(m.f1()).average().orElse(0);
  }

  /**
   * Mean F1 over the classes that occur in the truth or in the predictions: scikit-learn's default
   * {@code f1_score(average="macro")} (its labels are {@code unique_labels(y_true, y_pred)}).
   */
  public static double macroF1ObservedLabels(long[][] confusion) {
    PerClass m = perClass(confusion);
    double sum = 0;
    int observed = 0;
    for (int c = 0; c < confusion.length; c++) {
      long predicted = 0;
      for (long[] row : confusion) {
        predicted += row[c];
      }
      if (m.support()[c] > 0 || predicted > 0) {
        sum += m.f1()[c];
        observed++;
      }
    }
    return observed == 0 ? 0 : sum / observed;
  }

  public static double weightedF1(PerClass m) {
    long total = Arrays.stream(m.support()).sum();
    double s = 0;
    for (int c = 0; c < m.f1().length; c++) {
      s += m.f1()[c] * m.support()[c];
    }
    return total == 0 ? 0 : s / total;
  }

  /**
   * Share of examples whose true class is among the k best, ranked as {@code top_k_accuracy_score} ranks them
   * ({@code np.argsort(scores, kind="mergesort")[:, ::-1]}): higher score first, and among equal scores the higher
   * class index first. The true class t is in the top k when fewer than k classes score more than t, or score the
   * same with a higher index. With k = 1 this is the accuracy of {@link ClipAggregation#argmax}.
   */
  public static double topK(int[] truth, double[][] scores, int k) {
    if (truth.length == 0) {
      return 0;
    }
    long hit = 0;
    for (int i = 0; i < truth.length; i++) {
      double[] s = scores[i];
      int t = truth[i];
      int ahead = 0;
      for (int c = 0; c < s.length; c++) {
        if (s[c] > s[t] || (s[c] == s[t] && c > t)) {
          ahead++;
        }
      }
      hit += ahead < k ? 1 : 0;
    }
    return hit / (double) truth.length;
  }

  /** Per-class counts of binarised multi-label predictions: [tp, fp, fn] per class. */
  public static PerClass multiLabel(boolean[][] truth, boolean[][] predicted) {
    int k = truth.length == 0 ? 0 : truth[0].length;
    long[] tp = new long[k];
    long[] fp = new long[k];
    long[] fn = new long[k];
    for (int i = 0; i < truth.length; i++) {
      for (int c = 0; c < k; c++) {
        if (truth[i][c] && predicted[i][c]) {
          tp[c]++;
        } else if (predicted[i][c]) {
          fp[c]++;
        } else if (truth[i][c]) {
          fn[c]++;
        }
      }
    }
    return fromCounts(tp, fp, fn);
  }

  /** Micro F1: 2·ΣTP / (2·ΣTP + ΣFP + ΣFN) over all classes. */
  public static double microF1(boolean[][] truth, boolean[][] predicted) {
    long tp = 0;
    long fpfn = 0;
    for (int i = 0; i < truth.length; i++) {
      for (int c = 0; c < truth[i].length; c++) {
        if (truth[i][c] && predicted[i][c]) {
          tp++;
        } else if (truth[i][c] || predicted[i][c]) {
          fpfn++;
        }
      }
    }
    return ratio(2 * tp, 2 * tp + fpfn);
  }

  /**
   * Label-ranking average precision: for each example and each of its true labels, the share of true labels among
   * the labels scored at least as high, averaged (examples without true labels count 1, as scikit-learn does).
   */
  public static double lrap(boolean[][] truth, double[][] scores) {
    if (truth.length == 0) {
      return 0;
    }
    double total = 0;
    for (int i = 0; i < truth.length; i++) {
      int k = truth[i].length;
      int relevant = 0;
      for (boolean b : truth[i]) {
        relevant += b ? 1 : 0;
      }
      if (relevant == 0 || relevant == k) {
        total += 1;
        continue;
      }
      double sum = 0;
      for (int j = 0; j < k; j++) {
        if (!truth[i][j]) {
          continue;
        }
        int rank = 0;
        int relevantAbove = 0;
        for (int l = 0; l < k; l++) {
          if (scores[i][l] >= scores[i][j]) {
            rank++;
            relevantAbove += truth[i][l] ? 1 : 0;
          }
        }
        sum += relevantAbove / (double) rank;
      }
      total += sum / relevant;
    }
    return total / truth.length;
  }

  /**
   * ROC AUC of one class's scores: the probability that a random positive outscores a random negative (ties
   * count half), equal to the trapezoidal area under the ROC curve.
   *
   * @throws IllegalArgumentException when the class has no positives or no negatives (AUC is undefined)
   */
  public static double rocAuc(boolean[] truth, double[] scores) {
    List<Integer> order = new ArrayList<>();
    long pos = 0;
    for (int i = 0; i < truth.length; i++) {
      order.add(i);
      pos += truth[i] ? 1 : 0;
    }
    long neg = truth.length - pos;
    if (pos == 0 || neg == 0) {
      throw new IllegalArgumentException("ROC AUC is undefined with " + pos + " positives and " + neg
          + " negatives");
    }
    order.sort(Comparator.comparingDouble(i -> scores[i]));
    // Mann–Whitney U with mid-ranks for ties.
    double rankSum = 0;
    int i = 0;
    while (i < order.size()) {
      int j = i;
      while (j + 1 < order.size() && scores[order.get(j + 1)] == scores[order.get(i)]) {
        j++;
      }
      double midRank = (i + j) / 2.0 + 1;
      for (int m = i; m <= j; m++) {
        if (truth[order.get(m)]) {
          rankSum += midRank;
        }
      }
      i = j + 1;
    }
    return (rankSum - pos * (pos + 1) / 2.0) / (pos * (double) neg);
  }

  private static double ratio(long num, long den) {
    return den == 0 ? 0 : num / (double) den;
  }
}
