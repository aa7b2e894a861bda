package io.timbre.bench;

import io.timbre.backend.LayerHelpers;
import io.timbre.features.FeatureSpec;
import io.timbre.ingest.IngestJob;
import io.timbre.ingest.IngestOptions;
import io.timbre.ingest.IngestSummary;
import io.timbre.model.EpochRecord;
import io.timbre.model.ExampleEncoder;
import io.timbre.model.NetworkFactory;
import io.timbre.model.Normalizer;
import io.timbre.sampledata.IrmasGenerator;
import io.timbre.table.TableInfo;
import io.timbre.train.Experiment;
import io.timbre.train.RunResult;
import io.timbre.train.TrainRequest;
import io.timbre.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Parameter-averaging throughput and accuracy: the same experiment on the same table, in one JVM on
 * {@code local[2]}, with 1 worker and with 2 workers (same epoch budget and seed), plus a baseline of plain DL4J
 * {@code MultiLayerNetwork.fit} on one thread without Spark. Reports training examples/s (fit time only), the
 * best clip-level validation accuracy, and seconds per averaging round.
 */
public final class TrainBenchmark {
  private final PrintStream log;

  public TrainBenchmark(PrintStream log) {
    this.log = log;
  }

  /** Generates IRMAS-layout data and ingests it (64 mel bands, 1 s segments). */
  public String table(SparkSession spark, Path work, int clipsPerClass) throws IOException {
    Path in = work.resolve("irmas-" + clipsPerClass);
    if (!Files.isDirectory(in)) {
      new IrmasGenerator().generate(in, 11, clipsPerClass);
    }
    FeatureSpec spec = FeatureSpec.builder().nMels(64).segmentSeconds(1.0).build();
    IngestSummary s = IngestJob.run(spark, new IngestOptions("irmas", in.toString(), work.resolve("tables")
        .toString(), spec, false, 0.2, 0.2, 3, 0, 1000, Map.of()));
    return s.table();
  }

  /** One configuration's outcome. */
  public record Result(String name, double examplesPerSecond, double accuracy, double secondsPerRound,
      double wallSeconds) {}

  public List<Result> run(SparkSession spark, String table, Experiment ex, Path runs) {
    List<Result> out = new ArrayList<>();
    out.add(baseline(spark, table, ex));
    RunResult two = null;
    for (int workers : new int[] {1, 2}) {
      RunResult r = train(spark, table, ex, runs, workers, true);
      out.add(result(workers + " worker" + (workers > 1 ? "s" : "") + " (Spark, parameter averaging)", r,
          "clip_accuracy"));
      two = r;
    }
    // The old configuration, side by side: DL4J's built-in layer code instead of the oneDNN helpers.
    out.add(result("2 workers, DL4J defaults (no layer helpers)", train(spark, table, ex, runs, 2, false),
        "clip_accuracy"));
    print(out, "accuracy");
    Result one = out.get(1);
    Result both = out.get(2);
    Result old = out.get(3);
    log.printf("2 workers vs 1: throughput %.2fx, accuracy %+.1f points (targets: >= 1.5x, within 2 points)%n",
        both.examplesPerSecond() / one.examplesPerSecond(), 100 * (both.accuracy() - one.accuracy()));
    log.printf("layer helpers vs DL4J defaults (2 workers): throughput %.2fx, accuracy %+.1f points%n",
        both.examplesPerSecond() / old.examplesPerSecond(), 100 * (both.accuracy() - old.accuracy()));
    evaluation(spark, table, two);
    return out;
  }

  /**
   * The BiLSTM onset model on generated IDMT-SMT-Drums, with the shipped experiment and with the experiment as it
   * was (batch 8 per worker, learning rate 0.01), 2 workers, same epochs and seed: examples/s and best onset F.
   */
  public List<Result> onsets(SparkSession spark, Path work, Experiment shipped, int kits) throws IOException {
    Path in = work.resolve("idmt-drums-" + kits);
    if (!Files.isDirectory(in)) {
      io.timbre.sampledata.SampleData.generate("idmt-drums", in, 11, kits);
    }
    FeatureSpec spec = FeatureSpec.builder().nMels(128).segmentSeconds(2.0).build();
    String table = IngestJob.run(spark, new IngestOptions("idmt-drums", in.toString(), work.resolve("tables")
        .toString(), spec, false, 0.2, 0.2, 3, 0, 1000, Map.of())).table();
    Experiment before = shipped.with(Map.of("train.batch_size_per_worker", 8, "model.learning_rate", 0.01), "");
    Path runs = work.resolve("runs-onsets");
    List<Result> out = List.of(
        result("bilstm, shipped experiment", train(spark, table, shipped, runs, 2, true, "-shipped"), "onset_f1"),
        result("bilstm, batch 8 / lr 0.01 (before)", train(spark, table, before, runs, 2, true, "-before"),
            "onset_f1"));
    print(out, "onset F");
    log.printf("bilstm shipped vs before: throughput %.2fx, onset F %+.3f%n",
        out.get(0).examplesPerSecond() / out.get(1).examplesPerSecond(), out.get(0).accuracy() - out.get(1)
            .accuracy());
    return out;
  }

  private RunResult train(SparkSession spark, String table, Experiment ex, Path runs, int workers, boolean helpers) {
    return train(spark, table, ex, runs, workers, helpers, "");
  }

  private RunResult train(SparkSession spark, String table, Experiment ex, Path runs, int workers, boolean helpers,
      String label) {
    Experiment e = ex.with(Map.of("train.workers", workers, "train.early_stopping.patience", 1000), "");
    LayerHelpers.set(helpers);
    try {
      return Trainer.run(spark, new TrainRequest(table, e, runs.toString(), ex.name() + "-" + workers + "w-"
          + (helpers ? "helpers" : "builtin") + label, false));
    } finally {
      LayerHelpers.set(true);
    }
  }

  private static Result result(String name, RunResult r, String metric) {
    return new Result(name, r.examplesPerSecond(), r.bestMetrics().get(metric),
        secondsPerRound(Path.of(r.runDir()).resolve("curves.json")), r.wallSeconds());
  }

  private void print(List<Result> out, String metric) {
    log.println();
    log.printf("%-44s %12s %10s %12s %8s%n", "configuration", "examples/s", metric, "s/avg round", "wall s");
    for (Result r : out) {
      log.printf("%-44s %12.0f %10.4f %12s %8.1f%n", r.name(), r.examplesPerSecond(), r.accuracy(),
          Double.isNaN(r.secondsPerRound()) ? "-" : String.format("%.3f", r.secondsPerRound()), r.wallSeconds());
    }
  }

  /** Evaluation of the 2-worker run on its validation split: segments scored per second, end to end. */
  private void evaluation(SparkSession spark, String table, RunResult run) {
    long segments = io.timbre.table.FeatureTable.read(spark, table, "segments").where("split = 'validation'")
        .count();
    long t0 = System.nanoTime();
    io.timbre.eval.Evaluator.run(spark, new io.timbre.eval.Evaluator.Request(run.runDir(), table, "validation",
        Path.of(run.runDir()).resolveSibling("metrics").toString(), Double.NaN, 3));
    double seconds = (System.nanoTime() - t0) / 1e9;
    log.printf("evaluate (validation split, local[2]): %d segments in %.1f s = %.0f segments/s end to end (load, "
        + "score, metrics, report)%n", segments, seconds, segments / seconds);
  }

  /** Mean seconds per averaging round after epoch 1 (which includes JIT warm-up), from the run's curves. */
  private static double secondsPerRound(Path curves) {
    double[] rounds = EpochRecord.readCurves(new org.apache.hadoop.fs.Path(curves.toUri()),
        new org.apache.hadoop.conf.Configuration()).stream().filter(c -> c.epoch() > 1)
        .mapToDouble(EpochRecord::secondsPerAveragingRound).toArray();
    return rounds.length == 0 ? Double.NaN : java.util.Arrays.stream(rounds).average().orElseThrow();
  }

  /** Plain DL4J on the driver thread: the same network, examples and epochs, no Spark and no averaging. */
  private Result baseline(SparkSession spark, String table, Experiment ex) {
    TableInfo info = TableInfo.read(table, spark.sparkContext().hadoopConfiguration());
    var rows = io.timbre.table.FeatureTable.read(spark, table, "segments");
    var train = rows.where(rows.col("split").equalTo("train"));
    Row first = train.select("n_frames", "n_bins").takeAsList(1).get(0);
    int bins = first.getInt(1);
    Normalizer norm = Normalizer.fit(train.javaRDD(), bins);
    ExampleEncoder enc = new ExampleEncoder(ex.model(), norm, first.getInt(0), info);
    List<DataSet> examples = new ArrayList<>();
    for (Row r : train.collectAsList()) {
      examples.addAll(enc.training(r));
    }
    MultiLayerNetwork net = NetworkFactory.create(ex.model(), enc.chunkLength(), bins, enc.outputs(),
        ex.train().seed());
    int batch = ex.train().batchSizePerWorker();
    net.fit(new ListDataSetIterator<>(examples, batch)); // warm-up epoch, not timed
    long t0 = System.nanoTime();
    int epochs = Math.max(1, ex.train().epochs() - 1);
    for (int e = 0; e < epochs; e++) {
      java.util.Collections.shuffle(examples, new java.util.Random(e));
      net.fit(new ListDataSetIterator<>(examples, batch));
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new Result("1 thread, plain DL4J (no Spark)", examples.size() * (double) epochs / seconds, Double.NaN,
        Double.NaN, seconds);
  }
}
