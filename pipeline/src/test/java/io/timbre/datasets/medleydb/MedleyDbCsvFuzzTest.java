package io.timbre.datasets.medleydb;

import static io.timbre.testing.FuzzContract.require;
import static io.timbre.testing.FuzzContract.requireDeclared;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.timbre.datasets.TimeSeries;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Coverage-guided fuzzing (Jazzer) of MedleyDB's annotation CSVs (melody {@code _MELODY1/2/3.csv}, activation
 * {@code _ACTIVATION_CONF.lab} with its header): bad input is refused with an IllegalArgumentException naming the line;
 * what parses has strictly increasing finite times and finite values, every column as long as the times.
 */
class MedleyDbCsvFuzzTest {
  @FuzzTest(maxDuration = "12h")
  void parsesAnnotationCsvOrRefusesItNamingTheLine(byte[] data) {
    if (data.length == 0) {
      return;
    }
    int mode = data[0] & 3; // melody1, melody3 (f0_rank), activation (header)
    String text = new String(data, 1, data.length - 1, StandardCharsets.UTF_8);
    TimeSeries s;
    try {
      s = mode == 2 ? Csv.series("activation", text, null, true)
          : Csv.series(mode == 1 ? "melody3" : "melody1", text, mode == 1 ? "f0_rank" : "f0", false);
    } catch (IllegalArgumentException e) {
      requireDeclared(e, null, List.of(IllegalArgumentException.class));
      return;
    }
    double[] t = s.times();
    require(t.length > 0, "no rows");
    for (int i = 0; i < t.length; i++) {
      require(Double.isFinite(t[i]) && (i == 0 || t[i] > t[i - 1]), "time " + t[i] + " at row " + i);
    }
    for (double[] c : s.columns()) {
      require(c.length == t.length, "column length");
      for (double v : c) {
        require(Double.isFinite(v), "value " + v);
      }
    }
  }
}
