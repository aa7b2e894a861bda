package io.timbre.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline as a user runs it on a cluster: the shaded jar through {@code spark-submit} on a standalone
 * master with two workers, each executor a JVM of its own — make-sample-data, ingest, train by parameter averaging
 * over both executors, evaluate, promote, predict; then training again in local mode under spark-submit, which must
 * give the same losses for the same seed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandalonePipelineIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int EPOCHS = 3;

  @TempDir static Path tmp;
  static SparkHome spark;
  static StandaloneCluster cluster;
  static TimbreSubmit submit;
  static Path logs;
  static Path data;
  static Path tables;
  static Path table;
  static Path runs;

  @BeforeAll
  static void startCluster() throws Exception {
    spark = SparkHome.fromBuild();
    // Two cores a worker: a driver in cluster deploy mode takes one, and each application still gets one executor of
    // one core on each worker (TimbreSubmit: spark.executor.cores = 1, spark.cores.max = 2).
    cluster = StandaloneCluster.start(spark, tmp.resolve("cluster"), 2, 2, "5g");
    submit = new TimbreSubmit(spark, cluster.masterUrl(), tmp.resolve("events"));
    logs = tmp.resolve("logs");
    data = tmp.resolve("data");
    tables = tmp.resolve("tables");
    runs = tmp.resolve("runs");
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static SparkHome.Submitted ok(SparkHome.Submitted s) {
    assertThat(s.exitCode()).as("spark-submit exit code; log %s:%n%s", s.log(), SparkHome.tail(s.log())).isZero();
    return s;
  }

  static String experiment() {
    return spark.repo.resolve("conf/experiments/irmas-cnn.conf").toString();
  }

  @Test
  @Order(1)
  void ingestRunsInBothExecutorJvms() throws Exception {
    ok(submit.run(logs, "make-sample-data", "make-sample-data", "--dataset", "irmas", "--out", data.toString(),
        "--clips-per-class", "12", "--seed", "3"));
    // Heartbeats every 100 ms: each one serialises the running tasks' accumulators while the tasks add to them. (The
    // heartbeat's reply timeout is the interval too: on a busy machine some time out, which is not what is tested.)
    SparkHome.Submitted s = ok(new TimbreSubmit(spark, cluster.masterUrl(), submit.eventLogs())
        .conf("spark.executor.heartbeatInterval", "100ms")
        .run(logs, "ingest", "ingest", "--dataset", "irmas", "--input", data.toString(), "--output",
            tables.toString(), "--partitions", "8"));
    try (Stream<Path> t = Files.list(tables.resolve("irmas"))) {
      table = t.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    assertThat(table.resolve("_current.json")).isNotEmptyFile();
    EventLog events = EventLog.newest(submit.eventLogs());
    assertThat(events.executorsThatRan("decode + resample")).as("executors that featurised").hasSize(2);

    // No heartbeat failed: the clip summaries never travel in a heartbeat while the task adds to them.
    // file:// under spark-submit is Timbre's local file system too (no forked chmod per file), in every JVM.
    String noChmod = "file:// through io.timbre.store.NioLocalFileSystem";
    for (Path log : cluster.workerLogs()) {
      String text = Files.readString(log);
      assertThat(text).as("%s", log).doesNotContain("ConcurrentModificationException");
      if (log.getFileName().toString().equals("stderr")) {
        assertThat(text).as("%s", log).contains(noChmod);
      }
    }
    assertThat(s.output()).contains("Ingest done", noChmod);
  }

  @Test
  @Order(2)
  void trainsByParameterAveragingAcrossBothExecutorsWithTheLossesOfLocalMode() throws Exception {
    SparkHome.Submitted trained = ok(submit.run(logs, "train-cluster", "train", "--table", table.toString(),
        "--model", experiment(), "--out", runs.toString(), "--run-id", "cluster", "--epochs", Integer.toString(EPOCHS),
        "--require-backend", "cpu"));
    // The backend check asked every executor JVM, not just the driver.
    assertThat(Files.readString(trained.log())).contains("ND4J backend: driver on", "ND4J backend: executor 0 on",
        "ND4J backend: executor 1 on");
    EventLog events = EventLog.newest(submit.eventLogs());
    assertThat(events.executorsThatRan("fit")).as("executors that ran fit tasks").hasSize(2);
    assertThat(events.executorsThatRan("encoding examples")).hasSize(2);

    ok(new TimbreSubmit(spark, "local[2]", submit.eventLogs()).run(logs, "train-local", "train", "--table",
        table.toString(), "--model", experiment(), "--out", runs.toString(), "--run-id", "local", "--epochs",
        Integer.toString(EPOCHS)));
    List<Double> clusterLosses = losses(runs.resolve("irmas-cnn/cluster"));
    List<Double> localLosses = losses(runs.resolve("irmas-cnn/local"));
    assertThat(clusterLosses).hasSize(EPOCHS);
    assertThat(clusterLosses).as("training losses, 2 executor JVMs vs local[2]").isEqualTo(localLosses);
  }

  /**
   * Evaluate on both splits, promote with the defaults (the last evaluation is IRMAS's multi-label test split, so the
   * headline metric is multi-label), then predict through the champion alias.
   */
  @Test
  @Order(3)
  void evaluatesPromotesAndPredictsOnTheCluster() throws Exception {
    Path metrics = tmp.resolve("metrics");
    Path run = runs.resolve("irmas-cnn/cluster");
    ok(submit.run(logs, "evaluate-validation", "evaluate", "--run", run.toString(), "--table", table.toString(),
        "--split", "validation", "--out", metrics.toString()));
    JsonNode validation = JSON.readTree(metrics.resolve("irmas-cnn/cluster/metrics.json").toFile());
    assertThat(validation.path("metrics").path("single_label").path("accuracy").asDouble()).isGreaterThan(0.5);
    ok(submit.run(logs, "evaluate-test", "evaluate", "--run", run.toString(), "--table", table.toString(),
        "--split", "test", "--out", metrics.toString()));
    SparkHome.Submitted promoted = ok(submit.run(logs, "promote", "promote", "--task", "irmas-cnn", "--run",
        "cluster", "--metrics", metrics.toString(), "--root", tmp.toString()));
    assertThat(promoted.output()).contains("promoted: cluster is now the champion of irmas-cnn");
    assertThat(JSON.readTree(tmp.resolve("aliases/irmas-cnn/champion.json").toFile()).toString())
        .contains("multi_label.s1.micro_f1");

    Path predictions = tmp.resolve("predictions");
    SparkHome.Submitted p = ok(submit.run(logs, "predict", "predict", "--model", tmp.resolve("aliases/irmas-cnn")
        .toString(), "--input", data.resolve("IRMAS-TrainingData/cel").toString(), "--out", predictions.toString()));
    assertThat(p.output()).contains("clips scored, 0 quarantined");
    assertThat(predictions.resolve("_provenance.json")).isNotEmptyFile();
  }

  /**
   * Cluster deploy mode: the driver runs on a worker, the experiment travels with {@code --files} and is named by its
   * bare file name, as on YARN. The standalone client exits 0 whatever the driver did, so the driver's own final state
   * is read from the master.
   */
  @Test
  @Order(4)
  void trainsInClusterDeployModeWithTheExperimentShippedByFiles() throws Exception {
    Path shipped = Files.createDirectories(tmp.resolve("ship")).resolve("irmas-cnn.conf");
    Files.copy(Path.of(experiment()), shipped);
    SparkHome.Submitted s = ok(new TimbreSubmit(spark, cluster.masterUrl(), submit.eventLogs())
        .option("--deploy-mode", "cluster", "--files", shipped.toString())
        .conf("spark.standalone.submit.waitAppCompletion", "true")
        .run(logs, "train-cluster-mode", "train", "--table", table.toString(), "--model", "irmas-cnn.conf", "--out",
            runs.toString(), "--run-id", "cluster-mode", "--epochs", "1"));
    JsonNode driver = lastCompletedDriver();
    assertThat(driver.path("state").asText()).as("driver %s; submit log:%n%s", driver, s.output())
        .isEqualTo("FINISHED");
    assertThat(runs.resolve("irmas-cnn/cluster-mode/model.json")).isNotEmptyFile();
  }

  static JsonNode lastCompletedDriver() throws Exception {
    JsonNode drivers = cluster.state().path("completeddrivers");
    assertThat(drivers.size()).isPositive();
    JsonNode last = drivers.get(0);
    for (JsonNode d : drivers) {
      if (d.path("starttime").asLong() > last.path("starttime").asLong()) {
        last = d;
      }
    }
    return last;
  }

  static List<Double> losses(Path run) throws IOException {
    List<Double> l = new ArrayList<>();
    for (JsonNode c : JSON.readTree(run.resolve("curves.json").toFile())) {
      l.add(c.path("train_loss").asDouble());
    }
    return l;
  }
}
