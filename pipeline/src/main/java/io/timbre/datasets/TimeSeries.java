package io.timbre.datasets;

import java.io.Serializable;
import java.util.List;

/**
 * A sampled annotation: melody f0 (one column per ranked melody for MELODY3), per-stem activation confidence.
 *
 * @param name what it is (melody1, melody2, melody3, activation)
 * @param times frame times in seconds
 * @param columnNames one name per column (f0, f0_rank1…, S01…)
 * @param columns columns[c][i] is column c at times[i]; melody f0 uses 0 Hz for unvoiced, as MedleyDB does
 */
public record TimeSeries(String name, double[] times, List<String> columnNames, double[][] columns)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public TimeSeries {
    columnNames = List.copyOf(columnNames);
    if (columns.length != columnNames.size()) {
      throw new IllegalArgumentException("Cannot build series " + name + ": " + columns.length + " columns, "
          + columnNames.size() + " names");
    }
    for (double[] c : columns) {
      if (c.length != times.length) {
        throw new IllegalArgumentException("Cannot build series " + name + ": column of " + c.length
            + " values for " + times.length + " times");
      }
    }
  }

  public int length() {
    return times.length;
  }
}
