package io.timbre.jobs;

import io.timbre.config.ConfigFile;
import io.timbre.config.JobConfig;
import io.timbre.datasets.catalog.Datasets;
import io.timbre.features.FeatureSpec;
import io.timbre.generation.FrameRepresentation;
import io.timbre.ingest.IngestJob;
import io.timbre.ingest.IngestOptions;
import io.timbre.ingest.IngestSummary;
import io.timbre.separation.SourceGrouping;
import io.timbre.spark.Sessions;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code timbre ingest}: a dataset in its own layout → a versioned Parquet feature table. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = "Read a dataset in its own layout (local or s3a://), decode, resample and featurise every clip "
        + "on Spark, and write <output>/<dataset>/<spec id>/{segments,clips,quarantine,_provenance.json}.")
final class IngestCommand implements Callable<Integer> {
  static final Set<String> CONFIG_KEYS = Set.of("validation", "test", "seed", "partitions", "log-every",
      "lease-stale-seconds");

  @Spec CommandSpec cli;

  @Option(names = "--dataset", required = true, paramLabel = "NAME", description = "Dataset name.")
  String dataset;

  @Option(names = "--input", required = true, paramLabel = "ROOT", description = "Dataset root (path or URI).")
  String input;

  @Option(names = "--output", required = true, paramLabel = "TABLES", description = "Tables root (path or URI).")
  String output;

  @Option(names = "--spec", paramLabel = "FILE|URI", description = "Feature spec (default: conf/specs/logmel-1s.conf's "
      + "values: librosa log-mel, 1 s segments): a local file, a Hadoop URI, or a file shipped with --files.")
  String specFile;

  @Option(names = "--sources", paramLabel = "FILE|URI", description = "Write a separation table: frame targets are "
      + "the magnitude spectra of these sources, made of the clips' stems (conf/sources/*.conf; the spec must be a "
      + "magnitude STFT such as conf/specs/stft-1024-16k.conf).")
  String sourcesFile;

  @Option(names = "--frames", paramLabel = "REPRESENTATION", description = "Write a generation table: features are "
      + "the clips' STFT frames as real_imag (GRUV) or magnitude_phase_advance (Glover's phase-vocoder frames), the "
      + "target of each is the next frame (the spec must be of kind stft, e.g. conf/specs/stft-256-8k.conf).")
  String frames;

  @Option(names = "--incremental", description = "Add only clips whose content is not in the table yet.")
  boolean incremental;

  @Option(names = "--break-stale-lease", description = "Take over the table's lease when its heartbeat is older than "
      + "the stale limit: its ingest is dead (another run that is alive is never overridden).")
  boolean breakStaleLease;

  @Option(names = "--lease-stale-seconds", paramLabel = "S", description = "Stale limit of a table lease's heartbeat "
      + "(overrides ingest.lease-stale-seconds; default 600).")
  Long leaseStaleSeconds;

  @Option(names = "--partitions", paramLabel = "N", description = "Featurising partitions (overrides the config).")
  Integer partitions;

  @Mixin SparkOptions sparkOptions;

  @Override
  public Integer call() throws Exception {
    if (!Datasets.NAMES.contains(dataset)) {
      throw new IllegalArgumentException("unknown dataset '" + dataset + "' (" + String.join(", ", Datasets.NAMES)
          + ")");
    }
    JobConfig config = sparkOptions.config();
    JobConfig.Section s = config.section("ingest", CONFIG_KEYS);
    FeatureSpec spec = specFile == null ? defaultSpec()
        : FeatureSpec.parse(ConfigFile.read(specFile, sparkOptions.hadoopConfiguration(), "feature spec").text());
    // The ingest job applies the Hadoop settings itself (driver and tasks): they stay out of Spark's properties.
    Map<String, String> hadoopSettings = sparkOptions.hadoopSettings();
    IngestOptions o = new IngestOptions(dataset, input, output, spec, incremental,
        s.getDouble("validation", 0.15), s.getDouble("test", 0.15), s.getLong("seed", 0),
        partitions != null ? partitions : s.getInt("partitions", 0), s.getInt("log-every", 50), hadoopSettings,
        breakStaleLease, java.time.Duration.ofSeconds(leaseStaleSeconds != null ? leaseStaleSeconds
            : s.getLong("lease-stale-seconds", IngestOptions.DEFAULT_LEASE_STALE_AFTER.toSeconds())));
    if (sourcesFile != null) {
      o = o.withSources(SourceGrouping.parse(ConfigFile.read(sourcesFile, sparkOptions.hadoopConfiguration(),
          "separation sources").text(), sourcesFile));
    }
    if (frames != null) {
      o = o.withFrames(FrameRepresentation.parse(frames));
    }
    try (SparkSession spark = Sessions.create("timbre ingest " + dataset, sparkOptions.master, config.settings("spark"))) {
      IngestSummary summary = IngestJob.run(spark, o);
      var w = cli.commandLine().getOut();
      w.println(summary);
      w.printf("spec %s (%s), table %s%n", spec.shortId(), spec.kind().id(), summary.table());
      w.flush();
    }
    return 0;
  }

  /** librosa's log-mel defaults with 1 s segments. */
  static FeatureSpec defaultSpec() {
    return FeatureSpec.builder().segmentSeconds(1.0).build();
  }
}
