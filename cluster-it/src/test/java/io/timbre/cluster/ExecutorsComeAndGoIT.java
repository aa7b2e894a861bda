package io.timbre.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What spot instances and dynamic allocation do to a running job: an executor JVM killed with SIGKILL in the middle
 * of training and in the middle of an ingest, and an executor that joins after the training examples were encoded.
 * Each job must finish; training within 2 accuracy points of an undisturbed run, the ingest with every segment once.
 */
class ExecutorsComeAndGoIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int EPOCHS = 4;
  static final String TIME_SOURCE = "DL4J time source org.deeplearning4j.spark.time.SystemClockTimeSource";

  @TempDir static Path tmp;
  static SparkHome spark;
  static Path logs;
  static Path data;
  static Path table;
  static Path runs;
  static JsonNode undisturbed;

  @BeforeAll
  static void ingestAndTrainUndisturbed() throws Exception {
    spark = SparkHome.fromBuild();
    logs = tmp.resolve("logs");
    data = tmp.resolve("data");
    runs = tmp.resolve("runs");
    try (StandaloneCluster cluster = StandaloneCluster.start(spark, tmp.resolve("undisturbed"), 2, 1, "4g")) {
      TimbreSubmit submit = new TimbreSubmit(spark, cluster.masterUrl(), tmp.resolve("events-undisturbed"));
      StandalonePipelineIT.ok(submit.run(logs, "make-sample-data", "make-sample-data", "--dataset", "irmas", "--out",
          data.toString(), "--clips-per-class", "12", "--seed", "3"));
      StandalonePipelineIT.ok(submit.run(logs, "ingest", "ingest", "--dataset", "irmas", "--input", data.toString(),
          "--output", tmp.resolve("tables").toString(), "--partitions", "8"));
      try (Stream<Path> t = Files.list(tmp.resolve("tables/irmas"))) {
        table = t.filter(Files::isDirectory).findFirst().orElseThrow();
      }
      StandalonePipelineIT.ok(train(submit, "undisturbed"));
    }
    undisturbed = lastEpoch("undisturbed");
  }

  static SparkHome.Submitted train(TimbreSubmit submit, String runId) throws Exception {
    return submit.run(logs, "train-" + runId, trainArgs(runId));
  }

  static String[] trainArgs(String runId) {
    return new String[] {"train", "--table", table.toString(), "--model", spark.repo.resolve(
        "conf/experiments/irmas-cnn.conf").toString(), "--out", runs.toString(), "--run-id", runId, "--epochs",
        Integer.toString(EPOCHS)};
  }

  static JsonNode lastEpoch(String runId) throws IOException {
    JsonNode curves = JSON.readTree(runs.resolve("irmas-cnn/" + runId + "/curves.json").toFile());
    return curves.get(curves.size() - 1);
  }

  static void await(BooleanSupplier ok, Process job, String what, int seconds) throws InterruptedException {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (!ok.getAsBoolean()) {
      SparkHome.check(job.isAlive(), "The job ended before " + what);
      SparkHome.check(System.nanoTime() < end, "Waited " + seconds + " s for " + what);
      Thread.sleep(200);
    }
  }

  static boolean logContains(Path log, String text) {
    try {
      return Files.exists(log) && Files.readString(log).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  static int finish(Process job, Path log) throws InterruptedException {
    if (!job.waitFor(900, TimeUnit.SECONDS)) {
      job.descendants().forEach(ProcessHandle::destroyForcibly);
      job.destroyForcibly();
      throw new IllegalStateException("The job ran over 900 s:\n" + SparkHome.tail(log));
    }
    return job.exitValue();
  }

  /** Same epochs and accuracy within 2 points of the undisturbed run. */
  static void assertLikeUndisturbed(String runId) throws IOException {
    JsonNode last = lastEpoch(runId);
    assertThat(last.path("epoch").asInt()).isEqualTo(EPOCHS);
    double accuracy = last.path("validation").path("clip_accuracy").asDouble();
    double reference = undisturbed.path("validation").path("clip_accuracy").asDouble();
    System.out.printf("%s: %d epochs, %d workers, validation clip accuracy %.4f (undisturbed %.4f), "
        + "train loss %.4f (undisturbed %.4f)%n", runId, last.path("epoch").asInt(), last.path("workers").asInt(),
        accuracy, reference, last.path("train_loss").asDouble(), undisturbed.path("train_loss").asDouble());
    assertThat(accuracy).as("validation clip accuracy vs the undisturbed run").isCloseTo(reference,
        org.assertj.core.data.Offset.offset(0.02));
    assertThat(runs.resolve("irmas-cnn/" + runId + "/model.json")).isNotEmptyFile();
  }

  @Test
  void anExecutorKilledMidTrainingIsReplacedAndTrainingFinishes() throws Exception {
    try (StandaloneCluster cluster = StandaloneCluster.start(spark, tmp.resolve("kill-train"), 2, 1, "4g")) {
      TimbreSubmit submit = new TimbreSubmit(spark, cluster.masterUrl(), tmp.resolve("events-kill-train"));
      Process job = submit.start(logs, "train-killed", trainArgs("killed"));
      Path log = logs.resolve("train-killed.log");
      // The examples are encoded and cached; the first epoch's fitting has begun.
      await(() -> logContains(log, "Training irmas-cnn run killed"), job, "training to start", 300);
      Thread.sleep(2000);
      List<ProcessHandle> executors = cluster.executors();
      assertThat(executors).hasSize(2);
      ProcessHandle victim = executors.get(0);
      assertThat(victim.destroyForcibly()).isTrue();
      assertThat(finish(job, log)).as("exit code; log:%n%s", SparkHome.tail(log)).isZero();

      EventLog events = EventLog.newest(submit.eventLogs());
      assertThat(events.executorsRemoved()).hasSize(1);
      assertThat(events.executorsAdded()).as("two executors and the replacement").hasSize(3);
      String replacement = events.executorsAdded().get(2);
      assertThat(events.executorsThatRan("fit")).contains(replacement);
      assertLikeUndisturbed("killed");
    }
  }

  /**
   * Training starts on one executor; a second worker joins once the examples are encoded, and the master gives the
   * application an executor there that never ran an encoding task. Locality wait 0: the scheduler uses it at once
   * instead of waiting for the cached blocks' executor (the test is about the new JVM, not about locality).
   */
  @Test
  void anExecutorThatJoinsAfterEncodingTrainsToo() throws Exception {
    try (StandaloneCluster cluster = StandaloneCluster.start(spark, tmp.resolve("late"), 1, 1, "4g")) {
      TimbreSubmit submit = new TimbreSubmit(spark, cluster.masterUrl(), tmp.resolve("events-late"))
          .conf("spark.locality.wait", "0s");
      Process job = submit.start(logs, "train-late", trainArgs("late"));
      Path log = logs.resolve("train-late.log");
      await(() -> logContains(log, "Training irmas-cnn run late"), job, "training to start", 300);
      cluster.addWorker();
      assertThat(finish(job, log)).as("exit code; log:%n%s", SparkHome.tail(log)).isZero();

      EventLog events = EventLog.newest(submit.eventLogs());
      assertThat(events.executorsAdded()).hasSize(2);
      String late = events.executorsAdded().get(1);
      assertThat(events.executorsThatRan("encoding examples")).doesNotContain(late);
      assertThat(events.executorsThatRan("fit")).as("executors that fitted").contains(late);
      // Every executor JVM pinned DL4J's clock when it started (TimbrePlugin), the late one included.
      List<Path> executorLogs = cluster.workerLogs().stream().filter(p -> p.endsWith("stderr")).toList();
      assertThat(executorLogs).hasSize(2);
      for (Path p : executorLogs) {
        assertThat(Files.readString(p)).as("%s", p).contains(TIME_SOURCE);
      }
      assertLikeUndisturbed("late");
    }
  }

  @Test
  void anExecutorKilledMidIngestLeavesACompleteTableWithoutDuplicates() throws Exception {
    Path conf = Files.writeString(tmp.resolve("log-every-clip.conf"), "timbre.ingest.log-every = 1\n");
    Path tables = tmp.resolve("tables-killed");
    try (StandaloneCluster cluster = StandaloneCluster.start(spark, tmp.resolve("kill-ingest"), 2, 1, "4g")) {
      TimbreSubmit submit = new TimbreSubmit(spark, cluster.masterUrl(), tmp.resolve("events-kill-ingest"));
      Process job = submit.start(logs, "ingest-killed", "ingest", "--dataset", "irmas", "--input", data.toString(),
          "--output", tables.toString(), "--partitions", "8", "--conf", conf.toString());
      Path log = logs.resolve("ingest-killed.log");
      await(() -> featurising(cluster), job, "an executor to featurise", 300);
      List<ProcessHandle> executors = cluster.executors();
      assertThat(executors).hasSize(2);
      assertThat(executors.get(1).destroyForcibly()).isTrue();
      assertThat(finish(job, log)).as("exit code; log:%n%s", SparkHome.tail(log)).isZero();
      assertThat(EventLog.newest(submit.eventLogs()).executorsRemoved()).hasSize(1);
    }
    Path killed;
    try (Stream<Path> t = Files.list(tables.resolve("irmas"))) {
      killed = t.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    SparkSession local = SparkSession.builder().master("local[2]").appName("ExecutorsComeAndGoIT")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
    try {
      Dataset<Row> expected = published(local, table, "segments");
      Dataset<Row> actual = published(local, killed, "segments");
      long rows = actual.count();
      assertThat(rows).isEqualTo(expected.count());
      assertThat(actual.select("clip_id", "segment_index").distinct().count()).as("distinct segments")
          .isEqualTo(rows);
      assertThat(actual.select("clip_id", "segment_index", "features").except(
          expected.select("clip_id", "segment_index", "features")).count()).as("segments unlike the reference")
          .isZero();
      assertThat(published(local, killed, "clips").count())
          .isEqualTo(published(local, table, "clips")
          .count());
    } finally {
      local.stop();
    }
  }

  /** Whether some executor has logged a featurised clip. */
  static boolean featurising(StandaloneCluster cluster) {
    try {
      for (Path p : cluster.workerLogs()) {
        if (p.endsWith("stderr") && Files.readString(p).contains("featurised 2 clips in this task")) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /** A part of a table's published version, read as a user without Timbre would: through {@code _current.json}. */
  static Dataset<Row> published(SparkSession spark, Path table, String part) throws java.io.IOException {
    com.fasterxml.jackson.databind.JsonNode pointer = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        table.resolve("_current.json").toFile());
    List<String> dirs = new java.util.ArrayList<>();
    pointer.path("parts").path(part).forEach(d -> dirs.add(table.resolve(d.asText()).toString()));
    assertThat(dirs).as("%s of %s", part, table).isNotEmpty();
    return spark.read().parquet(dirs.toArray(String[]::new));
  }
}
