package io.timbre.datasets.idmt;

import static io.timbre.testing.FuzzContract.require;
import static io.timbre.testing.FuzzContract.requireDeclared;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.timbre.datasets.NoteEvent;
import io.timbre.datasets.Xml;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import org.w3c.dom.Element;

/**
 * Coverage-guided fuzzing (Jazzer) of the IDMT-SMT annotation XML: the hardened XML parse, the
 * {@code instrumentRecording} schema of Guitar/Bass and the drum transcription of IDMT-SMT-Drums. Bad input must be
 * refused with an IOException or IllegalArgumentException naming the file; what parses must hold finite, non-negative
 * times. Runs in the build's {@code fuzz} execution (see WavReaderFuzzTest for the commands of longer campaigns).
 */
class IdmtXmlFuzzTest {
  private static final String SOURCE = "fuzz#MIX.xml";
  private static final int[] TUNING = {40, 45, 50, 55, 59, 64};

  @FuzzTest(maxDuration = "12h")
  void parsesAnnotationXmlOrRefusesItNamingTheFile(byte[] data) {
    Element root;
    try {
      root = Xml.parse(new ByteArrayInputStream(data), SOURCE).getDocumentElement();
    } catch (IOException e) {
      requireDeclared(e, SOURCE, List.of(IOException.class));
      return;
    }
    try {
      InstrumentRecordingXml.Recording r = InstrumentRecordingXml.parse(root, SOURCE, TUNING);
      r.events().forEach(IdmtXmlFuzzTest::checkEvent);
    } catch (IllegalArgumentException e) {
      requireDeclared(e, SOURCE, List.of(IllegalArgumentException.class));
    }
    try {
      IdmtDrumsReader.xmlEvents(root, SOURCE).forEach(IdmtXmlFuzzTest::checkEvent);
    } catch (IllegalArgumentException e) {
      requireDeclared(e, SOURCE, List.of(IllegalArgumentException.class));
    }
  }

  static void checkEvent(NoteEvent e) {
    require(Double.isFinite(e.onsetSec()) && e.onsetSec() >= 0, "onset " + e.onsetSec());
    require(Double.isNaN(e.offsetSec()) || Double.isFinite(e.offsetSec()), "offset " + e.offsetSec());
    require(Double.isNaN(e.pitch()) || Double.isFinite(e.pitch()), "pitch " + e.pitch());
  }
}
