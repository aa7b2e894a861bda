package io.timbre.sampledata;

import io.timbre.datasets.catalog.Datasets;
import java.io.IOException;
import java.nio.file.Path;

/** Sample-data generation by dataset name, for {@code ./timbre make-sample-data} and the tests. */
public final class SampleData {
  private SampleData() {}

  /**
   * Writes a small dataset in {@code name}'s real layout under {@code out}.
   *
   * @param perClass irmas: training clips per instrument; idmt-effects: clean notes per subset (× 33 variants);
   *     idmt-drums: mixes per kit; idmt-guitar: isolated notes per guitar setting; idmt-bass: notes per technique;
   *     idmt-bass-single-track and medleydb: tracks
   */
  public static SampleManifest generate(String name, Path out, long seed, int perClass) throws IOException {
    return switch (name) {
      case "irmas" -> new IrmasGenerator().generate(out, seed, perClass);
      case "idmt-effects" -> new IdmtEffectsGenerator().generate(out, seed, perClass);
      case "idmt-drums" -> new IdmtDrumsGenerator().generate(out, seed, perClass);
      case "idmt-guitar" -> new IdmtStringsGenerator().guitar(out, seed, perClass);
      case "idmt-bass" -> new IdmtStringsGenerator().bass(out, seed, perClass);
      case "idmt-bass-single-track" -> new IdmtStringsGenerator().bassSingleTrack(out, seed, perClass);
      case "medleydb" -> new MedleyDbGenerator().generate(out, seed, Math.max(2, perClass));
      default -> throw new IllegalArgumentException("Unknown dataset '" + name + "' (" + String.join(", ",
          Datasets.NAMES) + ")");
    };
  }
}
