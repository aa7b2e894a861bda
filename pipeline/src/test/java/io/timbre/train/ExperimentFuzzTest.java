package io.timbre.train;

import static io.timbre.testing.FuzzContract.require;
import static io.timbre.testing.FuzzContract.requireDeclared;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Coverage-guided fuzzing (Jazzer) of experiment files ({@code conf/experiments/*.conf}: name, model, train, search,
 * spark, hadoop): anything wrong is an IllegalArgumentException naming the file, includes are refused, and an
 * experiment that parses reads back from its own recorded JSON to the same experiment.
 */
class ExperimentFuzzTest {
  private static final String ORIGIN = "fuzz.conf";

  @FuzzTest(maxDuration = "12h")
  void parsesExperimentsOrRefusesThemNamingTheFile(byte[] data) {
    Experiment e;
    try {
      e = Experiment.parseText(new String(data, StandardCharsets.UTF_8), ORIGIN);
    } catch (IllegalArgumentException ex) {
      requireDeclared(ex, ORIGIN, List.of(IllegalArgumentException.class));
      return;
    }
    Experiment again = Experiment.parseText(e.configJson(), ORIGIN);
    require(again.model().equals(e.model()) && again.train().equals(e.train()) && again.name().equals(e.name()),
        "round trip of " + e.configJson());
  }
}
