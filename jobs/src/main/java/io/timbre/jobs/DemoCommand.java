package io.timbre.jobs;

import com.typesafe.config.ConfigFactory;
import io.timbre.eval.Evaluator;
import io.timbre.features.FeatureSpec;
import io.timbre.ingest.IngestJob;
import io.timbre.ingest.IngestOptions;
import io.timbre.ingest.IngestSummary;
import io.timbre.predict.PredictRequest;
import io.timbre.predict.PredictSummary;
import io.timbre.predict.Predictor;
import io.timbre.registry.Decision;
import io.timbre.registry.Promoter;
import io.timbre.registry.PromotionPolicy;
import io.timbre.sampledata.SampleData;
import io.timbre.spark.Sessions;
import io.timbre.store.EmbeddedS3Server;
import io.timbre.train.Experiment;
import io.timbre.train.RunResult;
import io.timbre.train.TrainRequest;
import io.timbre.train.Trainer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code timbre demo}: the whole product on a laptop in one command — generate an IRMAS-layout dataset, ingest it,
 * train the CNN by parameter averaging over {@code local[2]}, evaluate it, promote it, and label new clips with the
 * promoted model — with the same library calls the individual jobs make. With {@code --s3} every stage reads and
 * writes {@code s3a://} on an S3-API server started on 127.0.0.1 for the run; its bucket is mirrored to the output
 * folder before the server stops.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "End to end on embedded defaults: sample IRMAS data -> ingest -> train (CNN, parameter averaging "
        + "over local[2]) -> evaluate -> promote -> predict on new clips; prints where everything is.")
final class DemoCommand implements Callable<Integer> {
  static final String EXPERIMENT = "timbre-conf/experiments/irmas-cnn.conf";
  static final String SPEC = "timbre-conf/specs/logmel-64-1s.conf";
  private static final String MARKER = ".timbre-demo";
  private static final String BUCKET = "timbre-demo";

  @Spec CommandSpec cli;

  @Option(names = "--out", defaultValue = "demo-out", paramLabel = "DIR",
      description = "Local output folder (default ${DEFAULT-VALUE}; a previous demo's output there is replaced).")
  Path out;

  @Option(names = "--input", paramLabel = "ROOT", description = "An IRMAS dataset root to use instead of generated "
      + "data (local or s3a://; then no new clips are generated for predict).")
  String input;

  @Option(names = "--clips-per-class", defaultValue = "30", paramLabel = "N",
      description = "Generated training clips per instrument (default ${DEFAULT-VALUE}).")
  int clipsPerClass;

  @Option(names = "--new-clips-per-class", defaultValue = "5", paramLabel = "N",
      description = "Generated unseen clips per instrument for predict (default ${DEFAULT-VALUE}).")
  int newClipsPerClass;

  @Option(names = "--epochs", paramLabel = "N", description = "Override the experiment's epochs.")
  Integer epochs;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the generated data (default "
      + "${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--master", defaultValue = "local[2]", description = "Spark master (default ${DEFAULT-VALUE}).")
  String master;

  @Option(names = "--s3", description = "Run every stage against an S3-API server started on 127.0.0.1.")
  boolean s3;

  private PrintWriter w;
  private long t0;
  private int step;

  @Override
  public Integer call() throws Exception {
    w = cli.commandLine().getOut();
    t0 = System.nanoTime();
    prepareOut();
    EmbeddedS3Server server = null;
    if (s3) {
      if (!EmbeddedS3Server.available()) {
        throw new IllegalArgumentException("--s3 needs S3Proxy on the classpath (it is with ./timbre, not in the "
            + "cluster jar; on a cluster point the jobs at real S3 instead)");
      }
      server = EmbeddedS3Server.start(BUCKET);
      progress("embedded S3 server on " + server.endpoint() + ", bucket s3a://" + BUCKET);
    }
    try {
      return run(server);
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  private int run(EmbeddedS3Server server) throws Exception {
    Map<String, String> hadoop = new LinkedHashMap<>();
    Map<String, String> sparkSettings = new LinkedHashMap<>();
    sparkSettings.put("spark.sql.shuffle.partitions", "4");
    if (server != null) {
      hadoop.putAll(server.hadoopSettings());
      // The S3A magic committer: a failed write leaves no partial table visible.
      sparkSettings.putAll(io.timbre.store.S3ACommitters.magicSparkSettings());
    }
    hadoop.forEach((k, v) -> sparkSettings.put("spark.hadoop." + k, v));
    String root = server != null ? "s3a://" + BUCKET : out.toAbsolutePath().toString();
    FeatureSpec spec = FeatureSpec.parse(resource(SPEC));
    Experiment ex = experiment();

    try (SparkSession spark = Sessions.create("timbre demo", master, sparkSettings)) {
      Configuration conf = spark.sparkContext().hadoopConfiguration();
      String dataset = input;
      Path newClips = null;
      if (dataset == null) {
        progress("[1/6] generating an IRMAS-layout dataset (" + clipsPerClass + " clips per instrument, seed " + seed
            + ")");
        Path data = out.resolve("data/irmas");
        SampleData.generate("irmas", data, seed, clipsPerClass);
        newClips = out.resolve("data/new-clips");
        SampleData.generate("irmas", newClips, seed + 1000, newClipsPerClass);
        dataset = upload(data, root, "datasets/irmas", conf);
      } else {
        progress("[1/6] using the IRMAS dataset at " + dataset);
      }

      progress("[2/6] ingest: decode, resample, log-mel (spec " + spec.shortId() + ")");
      IngestSummary ingest = IngestJob.run(spark, new IngestOptions("irmas", dataset, root + "/tables", spec,
          false, 0.2, 0.2, 0, 0, 100, hadoop));
      progress("      " + ingest);
      String table = ingest.table();

      progress("[3/6] train: " + ex.name() + " (" + ex.model().architecture().key() + ") by parameter averaging "
          + "over " + master + ", " + ex.train().epochs() + " epochs at most");
      RunResult run = Trainer.run(spark, new TrainRequest(table, ex, root + "/runs", null, false));
      progress(String.format(Locale.ROOT, "      run %s: best epoch %d of %d, %s, %.0f examples/s", run.runId(),
          run.bestEpoch(), run.epochsRun(), run.bestMetrics(), run.examplesPerSecond()));

      progress("[4/6] evaluate on the validation split (held-out recordings)");
      Evaluator.Result eval = Evaluator.run(spark, new Evaluator.Request(run.runDir(), table, "validation",
          root + "/metrics", Double.NaN, 3));
      double accuracy = eval.metrics().value("single_label.accuracy");
      double macroF1 = eval.metrics().value("single_label.macro_f1");
      progress(String.format(Locale.ROOT, "      clip accuracy %.3f, macro F1 %.3f on %d clips", accuracy, macroF1,
          (long) eval.metrics().value("clips")));

      progress("[5/6] promote: champion/challenger on " + PromotionPolicy.defaultMetric(ex.model().task()));
      Decision d = Promoter.promote(new Promoter.Request(ex.name(), run.runId(), root + "/metrics", root,
          root + "/runs", new PromotionPolicy("", 0.005)), conf);
      progress("      " + (d.promoted() ? "promoted " + run.runId() : "kept champion " + d.championRunId()) + ": "
          + d.reason());

      String alias = root + "/aliases/" + ex.name();
      String predictions = root + "/predictions";
      double predictAccuracy = predictUnseen(spark, newClips, root, alias, predictions, conf);

      if (server != null) {
        mirrorBucket(root, conf);
      }
      String shown = server != null ? out.resolve("s3/" + BUCKET).toAbsolutePath().toString() : root;
      printSummary(new Locations(root, shown, table, run.runDir(), alias, eval.dir(),
          newClips != null ? predictions : null), accuracy, macroF1, predictAccuracy);
    }
    return 0;
  }

  /** Where the demo wrote each artefact ({@code root} as the jobs saw it, {@code shown} as the user can open it). */
  private record Locations(String root, String shown, String table, String run, String alias, String evaluation,
      String predictions) {}

  private void printSummary(Locations where, double accuracy, double macroF1, double predictAccuracy) {
    String root = where.root();
    String shown = where.shown();
    String evalDir = where.evaluation().replace(root, shown);
    double minutes = (System.nanoTime() - t0) / 6e10;
    w.println();
    w.printf(Locale.ROOT, "Timbre demo finished in %.1f min (%s)%n", minutes, master);
    w.printf(Locale.ROOT, "  table        %s%n", where.table().replace(root, shown));
    w.printf(Locale.ROOT, "  model        %s/model.zip%n", where.run().replace(root, shown));
    w.printf(Locale.ROOT, "  champion     %s/champion.json%n", where.alias().replace(root, shown));
    w.printf(Locale.ROOT, "  metrics      %s/metrics.json%n", evalDir);
    w.printf(Locale.ROOT, "  report       %s/report.html%n", evalDir);
    if (where.predictions() != null) {
      w.printf(Locale.ROOT, "  predictions  %s/predictions%n", where.predictions().replace(root, shown));
    }
    w.printf(Locale.ROOT, "  validation clip accuracy %.3f (macro F1 %.3f)%s%n", accuracy, macroF1,
        Double.isNaN(predictAccuracy) ? "" : String.format(Locale.ROOT, "; unseen-clip accuracy %.3f",
            predictAccuracy));
    w.flush();
  }

  /**
   * Step 6: labels the generated unseen clips with the champion through its alias; returns the share labelled as
   * their folder (NaN when the demo runs on a given dataset, which brings no unseen clips).
   */
  private double predictUnseen(SparkSession spark, Path newClips, String root, String alias, String predictions,
      Configuration conf) throws IOException {
    if (newClips == null) {
      progress("[6/6] predict: skipped (no generated clips with --input; run `timbre predict --model " + alias
          + " --input <audio>`)");
      return Double.NaN;
    }
    progress("[6/6] predict: unseen clips with the champion (" + alias + ")");
    String incoming = upload(newClips.resolve("IRMAS-TrainingData"), root, "incoming", conf);
    PredictSummary predicted = Predictor.run(spark, new PredictRequest(alias, incoming, predictions, 3, 0));
    double accuracy = folderAccuracy(spark, predictions + "/predictions");
    progress(String.format(Locale.ROOT, "      %s; accuracy against the clips' folders %.3f", predicted, accuracy));
    return accuracy;
  }

  /** Copies the embedded server's bucket under the output folder: the server keeps nothing once it stops. */
  private void mirrorBucket(String root, Configuration conf) throws IOException {
    Path mirror = out.resolve("s3/" + BUCKET);
    FileSystem s3fs = new org.apache.hadoop.fs.Path(root).getFileSystem(conf);
    FileUtil.copy(s3fs, new org.apache.hadoop.fs.Path(root + "/"), FileSystem.getLocal(conf),
        new org.apache.hadoop.fs.Path(mirror.toAbsolutePath().toString()), false, conf);
    progress("mirrored s3a://" + BUCKET + " to " + mirror + " (the embedded server keeps nothing)");
  }

  /** The experiment the demo trains: conf/experiments/irmas-cnn.conf (bundled), on two workers. */
  private Experiment experiment() throws IOException {
    Experiment ex = Experiment.parse(ConfigFactory.parseString(resource(EXPERIMENT)).resolve(),
        "classpath:" + EXPERIMENT);
    Map<String, Object> overrides = new LinkedHashMap<>();
    overrides.put("train.workers", 0);
    if (epochs != null) {
      overrides.put("train.epochs", epochs);
    }
    return ex.with(overrides, "");
  }

  /** Share of predictions whose label is the clip's folder (IRMAS training layout: {@code <label>/<file>.wav}). */
  static double folderAccuracy(SparkSession spark, String predictions) {
    List<Row> rows = spark.read().parquet(predictions).select("clip_id", "predicted").collectAsList();
    long right = rows.stream().filter(r -> r.getString(0).startsWith(r.getString(1) + "/")).count();
    return rows.isEmpty() ? Double.NaN : right / (double) rows.size();
  }

  /** A local folder, or its copy under the S3 root (the path the jobs then read). */
  private static String upload(Path local, String root, String key, Configuration conf) throws IOException {
    if (!root.startsWith("s3a://")) {
      return local.toAbsolutePath().toString();
    }
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(root + "/" + key);
    FileUtil.copy(FileSystem.getLocal(conf), new org.apache.hadoop.fs.Path(local.toAbsolutePath().toString()),
        target.getFileSystem(conf), target, false, conf);
    return target.toString();
  }

  /** Replaces a previous demo's output; refuses to touch a folder that is not one. */
  private void prepareOut() throws IOException {
    if (Files.exists(out)) {
      boolean empty;
      try (Stream<Path> s = Files.list(out)) {
        empty = s.findAny().isEmpty();
      }
      if (!empty && !Files.exists(out.resolve(MARKER))) {
        throw new IllegalArgumentException("--out " + out + " is not empty and not a previous demo's output; "
            + "refusing to delete it");
      }
      try (Stream<Path> s = Files.walk(out)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(out);
    Files.writeString(out.resolve(MARKER), "output of `timbre demo`; the next demo run replaces this folder\n");
  }

  private void progress(String line) {
    w.printf(Locale.ROOT, "%6.1fs  %s%n", (System.nanoTime() - t0) / 1e9, line);
    w.flush();
  }

  static String resource(String name) throws IOException {
    try (InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("bundled " + name + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
