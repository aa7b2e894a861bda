package io.timbre.datasets;

import java.util.List;

/**
 * Base of the readers of datasets without an official split: they list clips as train, and this assigns
 * train/validation/test by group with a {@link GroupSplitter}, reports entries the file system could not list, and
 * builds the listing.
 */
public abstract class GroupSplitReader implements DatasetReader {
  /** Default shares of groups held out when a caller does not choose: 15 % validation, 15 % test. */
  public static final double DEFAULT_VALIDATION = 0.15;
  public static final double DEFAULT_TEST = 0.15;

  private final String name;
  private final GroupSplitter splitter;

  protected GroupSplitReader(String name, double validationFraction, double testFraction, long seed) {
    this.name = name;
    this.splitter = new GroupSplitter(seed, validationFraction, testFraction);
  }

  @Override
  public final String name() {
    return name;
  }

  /**
   * Splits {@code clips} by group, tags their probed durations, adds unlisted entries to {@code quarantine} and
   * returns the listing.
   */
  protected final DatasetListing finish(DatasetRoot root, AudioProbe probe, List<ClipRef> clips,
      List<QuarantineRecord> quarantine) {
    List<ClipRef> split = splitter.split(probe.withDurations(clips));
    root.reportUnlisted(name, quarantine);
    return new DatasetListing(name, root.toString(), split, quarantine);
  }
}
