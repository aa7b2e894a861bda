package io.timbre.datasets;


/**
 * Reads one dataset in its own on-disk layout into clips and quarantine records.
 *
 * <p>Contract: never throws for a bad file (each one becomes a {@link QuarantineRecord} with path, stage and reason);
 * throws {@link DatasetException} only when the root as a whole is unusable; lists deterministically.
 */
public interface DatasetReader {
  /** The dataset's name as used on the command line and in table paths (irmas, idmt-effects, …). */
  String name();

  /** Lists every clip and every problem under {@code root}. */
  DatasetListing read(DatasetRoot root);
}
