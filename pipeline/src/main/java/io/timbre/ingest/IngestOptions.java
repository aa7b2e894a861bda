package io.timbre.ingest;

import static io.timbre.util.Checks.check;

import io.timbre.features.FeatureKind;
import io.timbre.features.FeatureSpec;
import io.timbre.generation.FrameRepresentation;
import io.timbre.separation.SourceGrouping;
import io.timbre.table.FeatureTable;
import java.time.Duration;
import java.util.Map;

/**
 * Everything one ingest run needs (immutable). Built by the {@code ingest} command from its options and config file.
 *
 * @param dataset dataset name ({@link io.timbre.datasets.catalog.Datasets#NAMES})
 * @param input dataset root (local path or Hadoop URI)
 * @param output tables root; the table goes to {@code <output>/<dataset>/<spec id>}
 * @param spec the feature spec
 * @param incremental add only clips whose content hash is new, keep the rest of the table
 * @param validation share of groups held out for validation
 * @param test share of groups held out for test where there is no official split
 * @param seed split seed
 * @param partitions Spark partitions for the featurising stage (0 = 4 × default parallelism, capped at clips)
 * @param logEvery a progress line every this many clips per task
 * @param hadoop Hadoop settings (fs.s3a.endpoint, …) for reading the dataset and writing the table
 * @param breakStaleLease take over the table's lease when its heartbeat is stale (its run is dead)
 * @param leaseStaleAfter a lease whose heartbeat is older than this belongs to a dead run (heartbeats come every
 *     quarter of it)
 * @param sources null for a feature table; else the separation sources, which make this a separation table (frame
 *     targets = each source's magnitude spectrum, from the clips' stems; the spec must be a magnitude STFT)
 * @param frames null for a feature table; else the frame representation of a generation table (features = the clip's
 *     STFT frames in that representation, target = the next frame; the spec must be of kind stft)
 */
public record IngestOptions(String dataset, String input, String output, FeatureSpec spec, boolean incremental,
    double validation, double test, long seed, int partitions, int logEvery, Map<String, String> hadoop,
    boolean breakStaleLease, Duration leaseStaleAfter, SourceGrouping sources, FrameRepresentation frames) {
  /** The default stale limit: long enough that a GC pause or a slow S3 PUT of a heartbeat never looks like death. */
  public static final Duration DEFAULT_LEASE_STALE_AFTER = Duration.ofMinutes(10);

  /** Options of a feature table (no separation sources). */
  public IngestOptions(String dataset, String input, String output, FeatureSpec spec, boolean incremental,
      double validation, double test, long seed, int partitions, int logEvery, Map<String, String> hadoop,
      boolean breakStaleLease, Duration leaseStaleAfter) {
    this(dataset, input, output, spec, incremental, validation, test, seed, partitions, logEvery, hadoop,
        breakStaleLease, leaseStaleAfter, null, null);
  }

  /** Options with the default stale limit. */
  public IngestOptions(String dataset, String input, String output, FeatureSpec spec, boolean incremental,
      double validation, double test, long seed, int partitions, int logEvery, Map<String, String> hadoop,
      boolean breakStaleLease) {
    this(dataset, input, output, spec, incremental, validation, test, seed, partitions, logEvery, hadoop,
        breakStaleLease, DEFAULT_LEASE_STALE_AFTER);
  }

  /** Options without breaking a stale lease. */
  public IngestOptions(String dataset, String input, String output, FeatureSpec spec, boolean incremental,
      double validation, double test, long seed, int partitions, int logEvery, Map<String, String> hadoop) {
    this(dataset, input, output, spec, incremental, validation, test, seed, partitions, logEvery, hadoop, false);
  }

  public IngestOptions {
    check(validation >= 0 && test >= 0 && validation + test < 1, "Cannot ingest: validation (%s) and test (%s) must "
        + "be shares >= 0 with validation + test < 1", validation, test);
    check(partitions >= 0, "Cannot ingest: partitions must be >= 0 (0 = automatic): %s", partitions);
    check(logEvery > 0, "Cannot ingest: log-every must be positive: %s", logEvery);
    check(leaseStaleAfter != null && leaseStaleAfter.toMillis() >= 1000, "Cannot ingest: the lease stale limit must be "
        + "at least 1 s: %s", leaseStaleAfter);
    hadoop = Map.copyOf(hadoop);
    check(sources == null || (spec.kind() == FeatureKind.STFT && spec.power() == 1.0),
        "Cannot ingest a separation table: the spec must be a magnitude STFT (kind = stft, power = 1), so the "
            + "features are the mixture magnitude the mask applies to; got kind %s, power %s", spec.kind().id(),
        spec.power());
    check(frames == null || sources == null, "Cannot ingest: a table is either a separation table (--sources) or a "
        + "generation table (--frames), not both");
    check(frames == null || spec.kind() == FeatureKind.STFT, "Cannot ingest a generation table: the spec must be "
        + "of kind stft (its n_fft, hop and window make the frames); got kind %s", spec.kind().id());
  }

  /** The same options for a separation table with these sources. */
  public IngestOptions withSources(SourceGrouping s) {
    return new IngestOptions(dataset, input, output, spec, incremental, validation, test, seed, partitions, logEvery,
        hadoop, breakStaleLease, leaseStaleAfter, s, frames);
  }

  /** The same options for a generation table of frames in representation {@code f}. */
  public IngestOptions withFrames(FrameRepresentation f) {
    return new IngestOptions(dataset, input, output, spec, incremental, validation, test, seed, partitions, logEvery,
        hadoop, breakStaleLease, leaseStaleAfter, sources, f);
  }

  /**
   * Where the table goes: {@code <output>/<dataset>/<spec id>}, and for a separation table
   * {@code <spec id>-sources-<grouping id>}, so two groupings of one dataset are two tables; a generation table
   * {@code <spec id>-frames-<representation>}.
   */
  public String table() {
    String name = sources != null ? spec.id() + "-sources-" + sources.id()
        : frames != null ? spec.id() + "-frames-" + frames.key() : spec.id();
    return FeatureTable.location(output, dataset, name);
  }
}
