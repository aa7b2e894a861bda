package io.timbre.datasets.idmt;

import static io.timbre.testing.FuzzContract.requireDeclared;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.timbre.datasets.Xml;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import org.w3c.dom.Element;

/**
 * Coverage-guided fuzzing (Jazzer) of IDMT-SMT-Drums' Sonic Visualiser layers ({@code #HH/#KD/#SD.svl}): a DOCTYPE is
 * allowed there, so this also covers entity and DTD declarations. Bad input must be refused with an IOException or
 * IllegalArgumentException naming the file; parsed onsets must be finite and non-negative.
 */
class SvlFuzzTest {
  private static final String SOURCE = "fuzz#KD.svl";

  @FuzzTest(maxDuration = "12h")
  void parsesSvlLayersOrRefusesThemNamingTheFile(byte[] data) {
    Element root;
    try {
      root = Xml.parse(new ByteArrayInputStream(data), SOURCE, true).getDocumentElement();
    } catch (IOException e) {
      requireDeclared(e, SOURCE, List.of(IOException.class));
      return;
    }
    try {
      IdmtDrumsReader.svlOnsets(root, "KD", SOURCE).forEach(IdmtXmlFuzzTest::checkEvent);
    } catch (IllegalArgumentException e) {
      requireDeclared(e, SOURCE, List.of(IllegalArgumentException.class));
    }
  }
}
