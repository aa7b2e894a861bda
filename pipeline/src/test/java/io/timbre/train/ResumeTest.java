package io.timbre.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill-and-resume: a driver JVM is killed (SIGKILL) after its second checkpoint, the run is resumed in another JVM,
 * and it must finish with the right epoch count and the same model as an uninterrupted run with the same seed.
 */
class ResumeTest {
  static final String EXPERIMENT = """
      name = resume
      model { architecture = cnn, conv_channels = [8, 16], dense_units = 32, dropout = 0.2, learning_rate = 0.005 }
      train { epochs = 6, batch_size_per_worker = 16, averaging_frequency = 3, workers = 2, seed = 3,
              checkpoint_every = 1, keep_checkpoints = 2, early_stopping { patience = 100 } }
      """;
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = io.timbre.spark.Sessions.create("resume-test", "local[2]", Map.of("spark.sql.shuffle.partitions", "2"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static Experiment experiment() {
    return Experiment.parse(ConfigFactory.parseString(EXPERIMENT).resolve(), "test");
  }

  @Test
  void killedDriverResumesToTheSameModel(@TempDir Path tmp) throws Exception {
    String table = TrainingData.table(spark, "irmas", 6, TrainingData.SPEC);
    Path runs = tmp.resolve("runs");
    Path conf = tmp.resolve("experiment.conf");
    Files.writeString(conf, EXPERIMENT);

    // 1. A driver in its own JVM, killed without warning once epoch 2's checkpoint is there.
    Path ckpt = runs.resolve("resume/killed/checkpoints/epoch-000002.ckpt");
    Process p = driver(table, conf, runs, "killed");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!Files.exists(ckpt) && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(ckpt).as("checkpoint of epoch 2 (driver alive: %s)", p.isAlive()).exists();
    p.destroyForcibly().waitFor(1, TimeUnit.MINUTES);
    assertThat(runs.resolve("resume/killed/model.json")).doesNotExist();

    // 2. A corrupt newer checkpoint (as a crashed non-atomic writer would leave) is skipped with a warning.
    Path corrupt = runs.resolve("resume/killed/checkpoints/epoch-000099.ckpt");
    Files.write(corrupt, new byte[] {'P', 'K', 3, 4, 0, 0, 1});

    // 3. Resume in this JVM; it continues after the newest valid checkpoint (epoch 2 or, if the kill came late, 3).
    RunResult resumed = Trainer.run(spark, new TrainRequest(table, experiment(), runs.toString(), null, true));
    assertThat(resumed.runId()).isEqualTo("killed");
    assertThat(resumed.epochsRun()).isEqualTo(6);
    JsonNode model = new ObjectMapper().readTree(runs.resolve("resume/killed/model.json").toFile());
    assertThat(model.path("epochs_run").asInt()).isEqualTo(6);
    assertThat(model.path("resumed_at_epochs").get(0).asInt()).isBetween(2, 5);
    JsonNode curves = new ObjectMapper().readTree(runs.resolve("resume/killed/curves.json").toFile());
    List<Integer> epochs = new ArrayList<>();
    curves.forEach(c -> epochs.add(c.path("epoch").asInt()));
    assertThat(epochs).containsExactly(1, 2, 3, 4, 5, 6);

    // 4. An uninterrupted run with the same seed ends with the same parameters and metrics.
    RunResult straight = Trainer.run(spark, new TrainRequest(table, experiment(), runs.toString(), "straight",
        false));
    assertThat(resumed.bestEpoch()).isEqualTo(straight.bestEpoch());
    assertThat(resumed.bestMetrics().get("clip_accuracy")).isEqualTo(straight.bestMetrics().get("clip_accuracy"));
    MultiLayerNetwork a = ModelSerializer.restoreMultiLayerNetwork(runs.resolve("resume/killed/model.zip").toFile());
    MultiLayerNetwork b = ModelSerializer.restoreMultiLayerNetwork(runs.resolve("resume/straight/model.zip")
        .toFile());
    double maxDiff = a.params().sub(b.params()).amaxNumber().doubleValue();
    assertThat(maxDiff).as("max |Δparam| resumed vs uninterrupted").isLessThanOrEqualTo(1e-5);

    // 5. A finished run cannot be resumed or overwritten.
    assertThatThrownBy(() -> Trainer.run(spark, new TrainRequest(table, experiment(), runs.toString(), "killed",
        true))).hasMessageContaining("already complete");
    assertThatThrownBy(() -> Trainer.run(spark, new TrainRequest(table, experiment(), runs.toString(), "straight",
        false))).hasMessageContaining("already complete");
  }

  @Test
  void resumeRefusesAChangedExperiment(@TempDir Path tmp) throws Exception {
    String table = TrainingData.table(spark, "irmas", 6, TrainingData.SPEC);
    Experiment one = experiment().with(Map.of("train.epochs", 1), "");
    Trainer.run(spark, new TrainRequest(table, one, tmp.toString(), "r1", false));
    Files.delete(tmp.resolve("resume/r1/model.json"));
    Experiment other = experiment().with(Map.of("model.learning_rate", 0.1), "");
    assertThatThrownBy(() -> Trainer.run(spark, new TrainRequest(table, other, tmp.toString(), "r1", true)))
        .hasMessageContaining("settings differ");
  }

  static Process driver(String table, Path conf, Path runs, String runId) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-") || a.startsWith("-Xmx") || a.startsWith("-Dlog4j")) {
        cmd.add(a);
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(TrainMain.class.getName());
    cmd.add(table);
    cmd.add(conf.toString());
    cmd.add(runs.toString());
    cmd.add(runId);
    File log = runs.getParent().resolve("driver.log").toFile();
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
  }
}
