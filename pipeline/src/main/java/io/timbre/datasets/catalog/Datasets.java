package io.timbre.datasets.catalog;

import io.timbre.datasets.DatasetReader;
import io.timbre.datasets.idmt.IdmtBassReader;
import io.timbre.datasets.idmt.IdmtBassSingleTrackReader;
import io.timbre.datasets.idmt.IdmtDrumsReader;
import io.timbre.datasets.idmt.IdmtEffectsReader;
import io.timbre.datasets.idmt.IdmtGuitarReader;
import io.timbre.datasets.irmas.IrmasReader;
import io.timbre.datasets.medleydb.Errata;
import io.timbre.datasets.medleydb.MedleyDbReader;
import java.util.List;

/** The supported datasets by name: the one place jobs turn {@code --dataset} into a reader. */
public final class Datasets {
  /** Every supported dataset name. */
  public static final List<String> NAMES = List.of(IrmasReader.NAME, IdmtEffectsReader.NAME, IdmtDrumsReader.NAME,
      IdmtGuitarReader.NAME, IdmtBassReader.NAME, IdmtBassSingleTrackReader.NAME, MedleyDbReader.NAME);

  private Datasets() {}

  /**
   * A reader for {@code name}.
   *
   * @param validation share of groups held out for validation (IRMAS: of its official training part)
   * @param test share of groups held out for testing where the dataset has no official test split (ignored by IRMAS)
   * @param seed split seed
   */
  public static DatasetReader reader(String name, double validation, double test, long seed) {
    return switch (name) {
      case IrmasReader.NAME -> new IrmasReader(validation, seed);
      case IdmtEffectsReader.NAME -> new IdmtEffectsReader(validation, test, seed);
      case IdmtDrumsReader.NAME -> new IdmtDrumsReader(validation, test, seed);
      case IdmtGuitarReader.NAME -> new IdmtGuitarReader(validation, test, seed);
      case IdmtBassReader.NAME -> new IdmtBassReader(validation, test, seed);
      case IdmtBassSingleTrackReader.NAME -> new IdmtBassSingleTrackReader(validation, test, seed);
      case MedleyDbReader.NAME -> new MedleyDbReader(Errata.bundled(), validation, test, seed);
      default -> throw new IllegalArgumentException("Unknown dataset '" + name + "' (" + String.join(", ", NAMES)
          + ")");
    };
  }
}
