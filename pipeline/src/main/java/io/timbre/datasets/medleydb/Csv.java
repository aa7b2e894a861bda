package io.timbre.datasets.medleydb;

import io.timbre.datasets.TimeSeries;
import java.util.ArrayList;
import java.util.List;

/** MedleyDB's annotation CSVs: numbers only, any line ending (INTERVALS files use CR alone), optional header. */
final class Csv {
  private static final java.util.regex.Pattern LINE_BREAK = java.util.regex.Pattern.compile("\r\n|\r|\n");

  private Csv() {}

  /**
   * Parses {@code time,v1,…,vK} rows into a series.
   *
   * @param columnPrefix names the value columns prefix1…prefixK (or just "f0" for one column); ignored with a header
   * @param header whether the first line names the columns ({@code time,S01,…} in activation files)
   * @throws IllegalArgumentException naming the line for anything unparseable or out of order
   */
  static TimeSeries series(String name, String text, String columnPrefix, boolean header) {
    String[] lines = LINE_BREAK.split(text);
    List<String> names = new ArrayList<>();
    int first = 0;
    if (header) {
      if (lines.length == 0 || lines[0].isBlank()) {
        throw new IllegalArgumentException("empty file, expected a header line");
      }
      String[] h = lines[0].split(",");
      for (int i = 1; i < h.length; i++) {
        names.add(h[i].strip());
      }
      first = 1;
    }
    List<double[]> rows = new ArrayList<>();
    int width = -1;
    for (int i = first; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] cells = line.split(",", -1); // keep empty cells: "0.1," is a missing value, not one column
      if (cells.length < 2) {
        throw new IllegalArgumentException("line " + (i + 1) + " has " + cells.length + " column, expected a time and "
            + "at least one value");
      }
      if (width < 0) {
        width = cells.length;
      } else if (cells.length != width) {
        throw new IllegalArgumentException("line " + (i + 1) + " has " + cells.length + " columns, earlier lines "
            + width);
      }
      double[] row = new double[cells.length];
      for (int c = 0; c < cells.length; c++) {
        try {
          row[c] = Double.parseDouble(cells[c].strip());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("line " + (i + 1) + " column " + (c + 1) + " is not a number: '"
              + cells[c].strip() + "'");
        }
        if (!Double.isFinite(row[c])) {
          throw new IllegalArgumentException("line " + (i + 1) + " column " + (c + 1) + " is not finite");
        }
      }
      if (!rows.isEmpty() && row[0] <= rows.get(rows.size() - 1)[0]) {
        throw new IllegalArgumentException("line " + (i + 1) + ": time " + row[0] + " does not increase");
      }
      rows.add(row);
    }
    if (rows.isEmpty() || width < 2) {
      throw new IllegalArgumentException("no data rows with a time and at least one value");
    }
    int k = width - 1;
    if (!header) {
      for (int c = 1; c <= k; c++) {
        names.add(k == 1 && !"f0_rank".equals(columnPrefix) ? columnPrefix : columnPrefix + c);
      }
    } else if (names.size() != k) {
      throw new IllegalArgumentException("header names " + names.size() + " columns, rows have " + k);
    }
    double[] times = new double[rows.size()];
    double[][] cols = new double[k][rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      times[i] = rows.get(i)[0];
      for (int c = 0; c < k; c++) {
        cols[c][i] = rows.get(i)[c + 1];
      }
    }
    return new TimeSeries(name, times, names, cols);
  }
}
