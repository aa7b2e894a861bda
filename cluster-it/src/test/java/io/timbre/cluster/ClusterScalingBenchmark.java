package io.timbre.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest and training throughput with 1, 2 and 3 executors of one core on the standalone cluster, next to local mode
 * with 1 and 2 task slots, in one run on the same generated data. A benchmark, not a test: it runs only when asked
 * ({@code -Dtimbre.bench=cluster-scaling}, README "Run on a cluster") and asserts nothing about time.
 *
 * <p>Pinning, as {@code ./timbre bench ingest} pins: each worker (and so its executor) is confined to one CPU, round
 * robin, and a local-mode JVM to as many CPUs as it has slots. The client-mode driver of a cluster run is not
 * confined: on a cluster it has a node of its own. Ingest throughput is audio-seconds per second of the job's own
 * wall time (its "Ingest done … in X s" line: listing, featurising and writing, not JVM start); training throughput
 * is training examples per second of fitting in the last epoch (curves.json), after the first epoch's warm-up.
 */
class ClusterScalingBenchmark {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Pattern INGEST_DONE = Pattern.compile(
      "Ingest done: (\\d+) clips ok.* ([0-9.]+) h of audio in ([0-9.]+) s");

  @TempDir Path tmp;

  record Row(String setup, int slots, double ingestSeconds, double audioHours, double examplesPerSecond,
      double trainLoss) {
    double ingestRealTime() {
      return audioHours * 3600 / ingestSeconds;
    }
  }

  @Test
  void ingestAndTrainingThroughputBySetup() throws Exception {
    Assumptions.assumeTrue("cluster-scaling".equals(System.getProperty("timbre.bench")),
        "a benchmark: run with -Dtimbre.bench=cluster-scaling");
    SparkHome spark = SparkHome.fromBuild();
    int clipsPerClass = Integer.getInteger("timbre.bench.clips-per-class", 40);
    int epochs = Integer.getInteger("timbre.bench.epochs", 2);
    Path logs = tmp.resolve("logs");
    Path data = tmp.resolve("data");
    SparkHome.Submitted made = new TimbreSubmit(spark, "local[1]", tmp.resolve("events")).run(logs,
        "make-sample-data", "make-sample-data", "--dataset", "irmas", "--out", data.toString(), "--clips-per-class",
        Integer.toString(clipsPerClass), "--seed", "11");
    SparkHome.check(made.exitCode() == 0, "make-sample-data failed: " + made.output());

    List<Row> rows = new ArrayList<>();
    for (int slots : new int[] {1, 2}) {
      TimbreSubmit local = new TimbreSubmit(spark, "local[" + slots + "]", tmp.resolve("events"))
          .pin(slots);
      rows.add(measure("local[" + slots + "]", slots, local, logs, data, epochs));
    }
    for (int executors : new int[] {1, 2, 3}) {
      try (StandaloneCluster cluster = StandaloneCluster.start(spark, tmp.resolve("cluster-" + executors), 0, 1,
          "4g").pinWorkers()) {
        for (int i = 0; i < executors; i++) {
          cluster.addWorker();
        }
        TimbreSubmit submit = new TimbreSubmit(spark, cluster.masterUrl(), tmp.resolve("events"))
            .conf("spark.cores.max", Integer.toString(executors));
        rows.add(measure(executors + " executor" + (executors > 1 ? "s" : ""), executors, submit, logs, data,
            epochs));
      }
    }
    String table = format(rows, clipsPerClass, epochs);
    System.out.println(table);
    Path report = Path.of(System.getProperty("timbre.bench.out", "target/cluster-scaling.md"));
    Files.createDirectories(report.toAbsolutePath().getParent());
    Files.writeString(report, table);
  }

  Row measure(String setup, int slots, TimbreSubmit submit, Path logs, Path data, int epochs) throws Exception {
    String id = setup.replaceAll("[^A-Za-z0-9]+", "-");
    Path tables = tmp.resolve("tables-" + id);
    SparkHome.Submitted ingest = submit.run(logs, "ingest-" + id, "ingest", "--dataset", "irmas", "--input",
        data.toString(), "--output", tables.toString());
    SparkHome.check(ingest.exitCode() == 0, setup + ": ingest failed: " + SparkHome.tail(ingest.log()));
    Matcher m = INGEST_DONE.matcher(ingest.output());
    SparkHome.check(m.find(), setup + ": no 'Ingest done' line");
    Path table;
    try (Stream<Path> t = Files.list(tables.resolve("irmas"))) {
      table = t.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    Path runs = tmp.resolve("runs-" + id);
    SparkHome.Submitted train = submit.run(logs, "train-" + id, "train", "--table", table.toString(), "--model",
        submit.repo().resolve("conf/experiments/irmas-cnn.conf").toString(), "--out", runs.toString(), "--run-id",
        "bench", "--epochs", Integer.toString(epochs));
    SparkHome.check(train.exitCode() == 0, setup + ": train failed: " + SparkHome.tail(train.log()));
    JsonNode curves = JSON.readTree(runs.resolve("irmas-cnn/bench/curves.json").toFile());
    JsonNode last = curves.get(curves.size() - 1);
    return new Row(setup, slots, Double.parseDouble(m.group(3)), Double.parseDouble(m.group(2)),
        last.path("examples_per_second").asDouble(), last.path("train_loss").asDouble());
  }

  static String format(List<Row> rows, int clipsPerClass, int epochs) {
    Row base = rows.get(0);
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "Cluster scaling: IRMAS-layout sample data, %d clips per class, log-mel 128 x"
        + " 1 s; irmas-cnn, %d epochs (examples/s of the last); %d CPUs, %s%n%n", clipsPerClass, epochs,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version")));
    b.append("| setup | task slots | ingest × real time | vs local[1] | training examples/s | vs local[1] | "
        + "last train loss |\n|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      b.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.2f× | %.1f | %.2f× | %.4f |%n", r.setup(), r.slots(),
          r.ingestRealTime(), r.ingestRealTime() / base.ingestRealTime(), r.examplesPerSecond(),
          r.examplesPerSecond() / base.examplesPerSecond(), r.trainLoss()));
    }
    return b.toString();
  }
}
