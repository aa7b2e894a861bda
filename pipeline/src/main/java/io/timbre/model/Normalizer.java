package io.timbre.model;

import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;

/**
 * Per-bin standardisation (x − mean) / std, with statistics from the training split only (over the valid frames of
 * every training segment, so silence padding does not count). The statistics travel with the model in
 * {@code model.json}, so evaluation and inference standardise exactly as training did.
 */
public record Normalizer(float[] mean, float[] std) implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final double MIN_STD = 1e-5;

  /** Computes the statistics over {@code rows} of the segments table in one distributed pass. */
  public static Normalizer fit(JavaRDD<Row> trainRows, int bins) {
    // Per-partition sums, added on the driver in partition order: a tree/fold would add them in task-completion
    // order, and floating-point sums in a different order give (slightly) different statistics run to run.
    java.util.List<scala.Tuple2<Integer, double[]>> parts = trainRows.mapPartitionsWithIndex((index, rows) -> {
      double[] acc = new double[2 * bins + 1];
      while (rows.hasNext()) {
        Row row = rows.next();
        java.util.List<Float> f = row.getList(row.fieldIndex("features"));
        int frames = row.getInt(row.fieldIndex("n_valid_frames"));
        for (int t = 0; t < frames; t++) {
          for (int b = 0; b < bins; b++) {
            double x = f.get(t * bins + b);
            acc[b] += x;
            acc[bins + b] += x * x;
          }
        }
        acc[2 * bins] += frames;
      }
      return java.util.List.of(new scala.Tuple2<>(index, acc)).iterator();
    }, false).collect();
    double[] sums = new double[2 * bins + 1];
    parts.stream().sorted(java.util.Comparator.comparing(scala.Tuple2::_1)).forEach(p -> {
      for (int i = 0; i < sums.length; i++) {
        sums[i] += p._2()[i];
      }
    });
    double n = sums[2 * bins];
    if (n == 0) {
      throw new IllegalArgumentException("Cannot fit normalisation statistics: the training split has no frames");
    }
    float[] mean = new float[bins];
    float[] std = new float[bins];
    for (int b = 0; b < bins; b++) {
      double m = sums[b] / n;
      double var = Math.max(0, sums[bins + b] / n - m * m);
      mean[b] = (float) m;
      std[b] = (float) Math.max(MIN_STD, Math.sqrt(var));
    }
    return new Normalizer(mean, std);
  }

  /**
   * The same statistics with every standard deviation raised to at least {@code fraction} of the median one. A value
   * that hardly varies in the training split (a frequency bin silent throughout it) would otherwise be scaled by the
   * 1e-5 floor, and the first clip with energy there would reach the network as an outlier of 10⁵ standard
   * deviations; next-frame models, which feed their own output back, use this.
   */
  public Normalizer withRelativeFloor(double fraction) {
    float[] sorted = std.clone();
    Arrays.sort(sorted);
    double floor = fraction * sorted[sorted.length / 2];
    float[] raised = std.clone();
    for (int b = 0; b < raised.length; b++) {
      raised[b] = (float) Math.max(raised[b], floor);
    }
    return new Normalizer(mean.clone(), raised);
  }

  /** Standardises a row-major frames × bins array in place. */
  public void apply(float[] x, int bins) {
    for (int i = 0; i < x.length; i++) {
      int b = i % bins;
      x[i] = (x[i] - mean[b]) / std[b];
    }
  }

  public int bins() {
    return mean.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Normalizer n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return "Normalizer[bins=" + mean.length + "]";
  }
}
