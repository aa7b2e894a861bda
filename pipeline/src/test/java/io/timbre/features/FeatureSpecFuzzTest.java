package io.timbre.features;

import static io.timbre.testing.FuzzContract.require;
import static io.timbre.testing.FuzzContract.requireDeclared;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Coverage-guided fuzzing (Jazzer) of feature-spec files (JSON or HOCON, librosa's parameter names): anything wrong is
 * an IllegalArgumentException saying so, includes are refused; a spec that parses writes itself back to JSON that
 * parses to an equal spec with the same id, so a table's spec id always names what it holds.
 */
class FeatureSpecFuzzTest {
  @FuzzTest(maxDuration = "12h")
  void parsesSpecsOrRefusesThemAndRoundTripsWhatItAccepts(byte[] data) {
    FeatureSpec spec;
    try {
      spec = FeatureSpec.parse(new String(data, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      requireDeclared(e, "Cannot", List.of(IllegalArgumentException.class));
      return;
    }
    FeatureSpec again = FeatureSpec.parse(spec.toJson());
    require(again.equals(spec) && again.id().equals(spec.id()), "round trip of " + spec.toJson());
  }
}
