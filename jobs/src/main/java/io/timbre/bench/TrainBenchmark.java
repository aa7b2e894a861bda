package io.timbre.bench;

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
    for (int workers : new int[] {1, 2}) {
      Experiment e = ex.with(Map.of("train.workers", workers, "train.early_stopping.patience", 1000), "");
      RunResult r = Trainer.run(spark, new TrainRequest(table, e, runs.toString(), "workers-" + workers, false));
      double perRound = secondsPerRound(Path.of(r.runDir()).resolve("curves.json"));
      out.add(new Result(workers + " worker" + (workers > 1 ? "s" : "") + " (Spark, parameter averaging)",
          r.examplesPerSecond(), r.bestMetrics().get("clip_accuracy"), perRound, r.wallSeconds()));
    }
    log.println();
    log.printf("%-42s %12s %10s %12s %8s%n", "configuration", "examples/s", "accuracy", "s/avg round", "wall s");
    for (Result r : out) {
      log.printf("%-42s %12.0f %10.4f %12s %8.1f%n", r.name(), r.examplesPerSecond(), r.accuracy(),
          Double.isNaN(r.secondsPerRound()) ? "-" : String.format("%.3f", r.secondsPerRound()), r.wallSeconds());
    }
    Result one = out.get(1);
    Result two = out.get(2);
    log.printf("2 workers vs 1: throughput %.2fx, accuracy %+.1f points (targets: >= 1.5x, within 2 points)%n",
        two.examplesPerSecond() / one.examplesPerSecond(), 100 * (two.accuracy() - one.accuracy()));
    return out;
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
