package io.timbre.datasets;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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
  private final String title;
  private final int sampleRate;
  private final GroupSplitter splitter;

  /**
   * @param title the dataset's own name, for messages ("IDMT-SMT-Drums")
   * @param sampleRate the rate the dataset's audio is published at (what the header probe expects)
   */
  protected GroupSplitReader(String name, String title, int sampleRate, double validationFraction,
      double testFraction, long seed) {
    this.name = name;
    this.title = title;
    this.sampleRate = sampleRate;
    this.splitter = new GroupSplitter(seed, validationFraction, testFraction);
  }

  @Override
  public final String name() {
    return name;
  }

  /**
   * Lists the dataset below {@code root} in its own layout: a clip per usable recording into {@code clips} (null
   * entries are dropped), a record per file it cannot use into {@code quarantine}. A layout that is not there at all is a
   * {@link DatasetException}.
   */
  protected abstract void list(DatasetRoot root, AudioProbe probe, List<ClipRef> clips,
      List<QuarantineRecord> quarantine) throws IOException;

  /** The skeleton every reader shares: list, then split by group, tag durations and report unlisted entries. */
  @Override
  public final DatasetListing read(DatasetRoot root) {
    List<ClipRef> clips = new ArrayList<>();
    List<QuarantineRecord> quarantine = new ArrayList<>();
    AudioProbe probe = new AudioProbe(root, name, sampleRate);
    try {
      list(root, probe, clips, quarantine);
    } catch (IOException e) {
      throw new DatasetException("Cannot list " + title + " under " + root + ": " + e.getMessage(), e);
    }
    clips.removeIf(Objects::isNull);
    return finish(root, probe, clips, quarantine);
  }

  /**
   * Splits {@code clips} by group, tags their probed durations, adds unlisted entries to {@code quarantine} and
   * returns the listing.
   */
  private DatasetListing finish(DatasetRoot root, AudioProbe probe, List<ClipRef> clips,
      List<QuarantineRecord> quarantine) {
    List<ClipRef> split = splitter.split(probe.withDurations(clips));
    root.reportUnlisted(name, quarantine);
    return new DatasetListing(name, root.toString(), split, quarantine);
  }
}
