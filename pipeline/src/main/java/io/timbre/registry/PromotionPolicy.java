package io.timbre.registry;

import io.timbre.eval.Metric;
import io.timbre.eval.MetricsDocument;
import io.timbre.model.Task;
import io.timbre.util.JsonDocument;

/**
 * When a challenger replaces the champion: its value of {@code metric} (a dotted path under {@code metrics} in
 * {@code metrics.json}, e.g. {@code single_label.macro_f1}) must beat the champion's by more than {@code margin}.
 * Names and their direction come from {@link Metric}: a validation name such as {@code clip_accuracy} is taken as the
 * evaluation path of the same metric.
 *
 * @param metric dotted path under {@code metrics}; empty = the task's headline metric
 * @param margin the least improvement that counts, in the metric's own units (0.01 = one accuracy point)
 */
public record PromotionPolicy(String metric, double margin) {
  public PromotionPolicy {
    metric = metric == null ? "" : metric.strip();
    if (!(margin >= 0) || Double.isInfinite(margin)) {
      throw new IllegalArgumentException("promote margin must be a finite number >= 0, got " + margin);
    }
  }

  /** The headline metric of a task's evaluation. */
  public static String defaultMetric(Task task) {
    return Metric.headline(task).path().orElseThrow();
  }

  /** The metric for a task: the configured one, or the task's headline metric. */
  public String metricFor(Task task) {
    if (metric.isEmpty()) {
      return defaultMetric(task);
    }
    // A validation name (clip_accuracy, onset_f1) stands for the evaluation's path of the same metric.
    return Metric.find(metric, task).map(m -> Metric.evaluationPath(metric, task)).orElse(metric);
  }

  /**
   * The metric for one evaluation ({@code metrics.json}): the configured one, or the headline of what was
   * evaluated. A clip classifier's evaluation holds single-label or multi-label metrics by the split's truth, not by
   * the model: a single-label model scored on IRMAS's multi-label test excerpts has only {@code multi_label}.
   */
  public String metricFor(Task task, MetricsDocument evaluation) {
    if (!metric.isEmpty() || task.frameLevel()) {
      return metricFor(task);
    }
    JsonDocument m = evaluation.metrics();
    if (m.has("single_label")) {
      return defaultMetric(Task.SINGLE_LABEL);
    }
    return m.has("multi_label") ? defaultMetric(Task.MULTI_LABEL) : defaultMetric(task);
  }

  public static boolean higherIsBetter(String metric) {
    return Metric.higherIsBetter(metric);
  }
}
