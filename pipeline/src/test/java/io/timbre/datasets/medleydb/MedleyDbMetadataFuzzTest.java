package io.timbre.datasets.medleydb;

import static io.timbre.testing.FuzzContract.require;
import static io.timbre.testing.FuzzContract.requireDeclared;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Coverage-guided fuzzing (Jazzer) of MedleyDB's {@code _METADATA.yaml} through {@link TrackMetadata}: anything but a
 * mapping with an artist is refused with an IOException (YAML anchors and aliases included); what parses has an
 * artist, a stem folder inside the track folder and instrument names that are not blank.
 */
class MedleyDbMetadataFuzzTest {
  @FuzzTest(maxDuration = "12h")
  void parsesTrackMetadataOrRefusesIt(byte[] data) {
    TrackMetadata m;
    try {
      m = TrackMetadata.parse(new String(data, StandardCharsets.UTF_8), "Artist_Track");
    } catch (IOException e) {
      requireDeclared(e, null, List.of(IOException.class));
      return;
    }
    require(!m.artist().isBlank(), "blank artist");
    require(!m.stemDir().isBlank() && !m.stemDir().contains("/"), "stem folder " + m.stemDir());
    for (TrackMetadata.Stem s : m.stems()) {
      require(s.key() != null && s.filename() != null && s.component() != null, "stem with a null field " + s);
    }
  }
}
