package io.timbre.datasets.irmas;

import static io.timbre.testing.FuzzContract.require;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Coverage-guided fuzzing (Jazzer) of IRMAS test-set label files ({@code <name>.txt}, one instrument code per line):
 * the parser never throws; it accepts only known, distinct codes, or says what is wrong and adds nothing.
 */
class IrmasLabelsFuzzTest {
  @FuzzTest(maxDuration = "12h")
  void parsesLabelFilesOrSaysWhatIsWrong(byte[] data) {
    List<String> out = new ArrayList<>();
    String error = IrmasReader.parseLabels(new String(data, StandardCharsets.UTF_8), out);
    if (error != null) {
      require(out.isEmpty() && !error.isBlank(), "a refusal that added labels: " + out);
      return;
    }
    require(!out.isEmpty() && IrmasReader.INSTRUMENTS.containsAll(out) && new HashSet<>(out).size() == out.size(),
        "labels " + out);
  }
}
