package io.timbre.train;

import java.util.Map;

/**
 * Early stopping on one validation metric: an epoch improves on the best so far when the metric moves by more than
 * {@code minDelta} in its better direction; the run stops after {@code patience} epochs without improvement.
 */
public record EarlyStopping(String metric, boolean higherIsBetter, double minDelta, int patience) {
  /** What an epoch's metrics decide: the best epoch after it, the epochs since, and whether to stop. */
  public record Decision(TrainingState.Best best, int epochsWithoutImprovement, boolean improved, boolean stop) {}

  public static EarlyStopping of(TrainSpec ts) {
    return new EarlyStopping(ts.metric(), ts.higherIsBetter(), ts.minDelta(), ts.patience());
  }

  /**
   * @param metrics the epoch's validation metrics, which must include {@link #metric()}
   */
  public Decision decide(TrainingState state, int epoch, Map<String, Double> metrics) {
    Double value = metrics.get(metric);
    if (value == null) {
      throw new IllegalArgumentException("Cannot stop early on '" + metric + "': validation reports only "
          + metrics.keySet());
    }
    TrainingState.Best best = state.best();
    boolean improved = best == null || (higherIsBetter ? value > best.metric() + minDelta
        : value < best.metric() - minDelta);
    int without = improved ? 0 : state.epochsWithoutImprovement() + 1;
    return new Decision(improved ? new TrainingState.Best(epoch, value, metrics) : best, without, improved,
        without >= patience);
  }
}
