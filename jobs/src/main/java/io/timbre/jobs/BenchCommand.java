package io.timbre.jobs;

import io.timbre.bench.CpuAffinity;
import io.timbre.bench.FeatureBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code timbre bench features}: the feature-throughput benchmark (a command, never a timed test). */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks. 'features': single-thread decode and log-mel(128)+MFCC(40) throughput in "
        + "audio-seconds per CPU-second on a generated 10-minute mono file. 'ingest': end-to-end ingest of >= 1 h of "
        + "generated 44.1 kHz stereo audio per Spark master. 'ingest-long': one N-minute WAV in this JVM's heap "
        + "(TIMBRE_HEAP=1g ./timbre bench ingest-long). 'train': parameter averaging with 1 and 2 workers on "
        + "local[2] vs plain DL4J, with and without DL4J's oneDNN layer helpers, and the BiLSTM onset model: "
        + "examples/s, accuracy, seconds per averaging round, evaluation segments/s; first, as 'train-step': one "
        + "core's training step per model, DL4J defaults vs Timbre's, GFLOP/s and where the time goes.")
final class BenchCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "features|ingest|ingest-long|train|train-step", description = "What to benchmark.")
  String what;

  @Option(names = "--seconds", defaultValue = "600", description = "Audio length (default ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--rates", defaultValue = "22050,44100", split = ",",
      description = "Sample rates to measure (default ${DEFAULT-VALUE}).")
  int[] rates;

  @Option(names = "--rounds", defaultValue = "5", description = "Measured rounds after warm-up (default "
      + "${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--hours", defaultValue = "2.0", description = "ingest: audio to generate (default "
      + "${DEFAULT-VALUE}).")
  double hours;

  @Option(names = "--clip-seconds", defaultValue = "30", description = "ingest: clip length (default "
      + "${DEFAULT-VALUE}).")
  double clipSeconds;

  @Option(names = "--masters", defaultValue = "local[1],local[2]", split = ",", description = "ingest: Spark "
      + "masters to compare (default ${DEFAULT-VALUE}).")
  java.util.List<String> masters;

  @Option(names = "--experiment", defaultValue = "conf/experiments/irmas-cnn.conf", description = "train: the "
      + "experiment to run with 1 and 2 workers (default ${DEFAULT-VALUE}).")
  Path experiment;

  @Option(names = "--clips-per-class", defaultValue = "20", description = "train: generated IRMAS clips per class "
      + "(default ${DEFAULT-VALUE}).")
  int clipsPerClass;

  @Option(names = "--step-seconds", defaultValue = "5", description = "train-step: seconds of training steps per "
      + "configuration and round (default ${DEFAULT-VALUE}).")
  double stepSeconds;

  @Option(names = "--model", split = ",", description = "train-step: only these models (irmas-cnn, "
      + "han-sized cnn, bilstm onsets).")
  java.util.List<String> stepModels;

  @Option(names = "--batch", description = "train-step: batch size for every model instead of its experiment's.")
  Integer stepBatch;

  @Option(names = "--steps", negatable = true, defaultValue = "true", fallbackValue = "true", description = "train: "
      + "first one core's training step per model, as 'train-step' (default on).")
  boolean steps;

  @Option(names = "--classifier", negatable = true, defaultValue = "true", fallbackValue = "true", description =
      "train: the experiment (irmas-cnn) on generated IRMAS: workers and layer helpers compared (default on).")
  boolean classifier;

  @Option(names = "--onsets", negatable = true, defaultValue = "true", fallbackValue = "true", description = "train: "
      + "also the BiLSTM onset model on generated IDMT-SMT-Drums, shipped experiment vs its former batch and "
      + "learning rate (default on).")
  boolean onsets;

  @Option(names = "--kits", defaultValue = "6", description = "train: generated IDMT-SMT-Drums size for the onset "
      + "model (default ${DEFAULT-VALUE}).")
  int kits;

  @Option(names = "--epochs", description = "train: override the experiment's epochs.")
  Integer epochs;

  @Option(names = "--repeat", defaultValue = "3", description = "ingest: measured runs per master, interleaved; "
      + "medians are reported (default ${DEFAULT-VALUE}).")
  int repeat;

  @Option(names = "--warmups", defaultValue = "2", description = "ingest: unmeasured runs first (default "
      + "${DEFAULT-VALUE}).")
  int warmups;

  @Option(names = "--pin", negatable = true, defaultValue = "true", fallbackValue = "true", description = "ingest: "
      + "confine the whole JVM to as many CPUs as the master has task slots for each measured run, as an executor "
      + "with that many cores has (Linux taskset; default on). --no-pin lets local[1] use the other cores for JIT, "
      + "GC and driver.")
  boolean pin;

  @Option(names = "--minutes", defaultValue = "60", description = "ingest-long: file length (default "
      + "${DEFAULT-VALUE}).")
  int minutes;

  @Option(names = "--work", description = "ingest: folder for the generated data and tables (kept; default a "
      + "temporary folder, deleted).")
  Path work;

  @Override
  public Integer call() throws Exception {
    if (what.equals("ingest") || what.equals("ingest-long")) {
      return ingest();
    }
    if (what.equals("train")) {
      return train();
    }
    if (what.equals("train-step")) {
      trainSteps();
      return 0;
    }
    if (!"features".equals(what)) {
      throw new IllegalArgumentException("unknown benchmark '" + what + "' (features, ingest, ingest-long, train, "
          + "train-step)");
    }
    Path dir = Files.createTempDirectory("timbre-bench");
    try {
      new FeatureBenchmark(seconds, rounds, System.out).runAll(rates, dir);
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
    System.out.println("rates: " + Arrays.toString(rates));
    return 0;
  }

  private int train() throws Exception {
    if (steps) {
      trainSteps();
    }
    boolean temporary = work == null;
    Path dir = temporary ? Files.createTempDirectory("timbre-bench-train") : work;
    try (org.apache.spark.sql.SparkSession spark = io.timbre.spark.Sessions.create("timbre bench train", "local[2]",
        java.util.Map.of("spark.sql.shuffle.partitions", "2"))) {
      io.timbre.bench.TrainBenchmark b = new io.timbre.bench.TrainBenchmark(System.out);
      String table = classifier ? b.table(spark, dir, clipsPerClass) : null;
      io.timbre.train.Experiment ex = io.timbre.train.Experiment.load(experiment.toFile());
      if (epochs != null) {
        ex = ex.with(java.util.Map.of("train.epochs", epochs), "");
      }
      System.out.printf("machine: %d cores, %s; OMP_NUM_THREADS=%s%n", Runtime.getRuntime().availableProcessors(),
          System.getProperty("os.arch"), System.getenv("OMP_NUM_THREADS"));
      if (classifier) {
        b.run(spark, table, ex, dir.resolve("runs"));
      }
      if (onsets) {
        io.timbre.train.Experiment bilstm = io.timbre.train.Experiment.load(experiment.toAbsolutePath().getParent()
            .resolve("idmt-drums-onsets-bilstm.conf").toFile());
        b.onsets(spark, dir, epochs == null ? bilstm : bilstm.with(java.util.Map.of("train.epochs", epochs), ""),
            kits);
      }
    } finally {
      if (temporary) {
        try (var walk = Files.walk(dir)) {
          walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
    return 0;
  }

  /** One core's training step per model, DL4J's defaults vs Timbre's (the first part of 'train'). */
  private void trainSteps() throws Exception {
    var models = io.timbre.bench.TrainStepBenchmark.defaultModels(experiment.toAbsolutePath().getParent()).stream()
        .filter(m -> stepModels == null || stepModels.contains(m.name()))
        .map(m -> stepBatch == null ? m : m.withBatch(stepBatch)).toList();
    new io.timbre.bench.TrainStepBenchmark(System.out, stepSeconds, rounds).run(models);
  }

  private int ingest() throws Exception {
    boolean temporary = work == null;
    Path dir = temporary ? Files.createTempDirectory("timbre-bench-ingest") : work;
    try {
      io.timbre.bench.IngestBenchmark b = new io.timbre.bench.IngestBenchmark(System.out);
      io.timbre.features.FeatureSpec spec = IngestCommand.defaultSpec();
      if (what.equals("ingest-long")) {
        Path data = b.longFile(dir, minutes);
        System.out.printf("one %d-minute 44.1 kHz stereo WAV, max heap %d MB%n", minutes,
            Runtime.getRuntime().maxMemory() >> 20);
        b.run(masters.get(0), data, dir.resolve("tables-long"), spec);
      } else {
        boolean canPin = pin && CpuAffinity.available();
        if (pin && !canPin) {
          System.out.println("taskset is not available: runs are not confined to their cores (as with --no-pin)");
        }
        b.pinned(canPin).runAll(masters, b.dataset(dir, hours, clipSeconds), dir, spec, warmups, Math.max(1, repeat));
      }
    } finally {
      if (temporary) {
        try (var walk = Files.walk(dir)) {
          walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
    return 0;
  }
}
