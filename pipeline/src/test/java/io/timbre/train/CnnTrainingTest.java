package io.timbre.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.timbre.exceptions.IncompatibleArtefactException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CnnTrainingTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = io.timbre.spark.Sessions.create("train-test", "local[2]", Map.of("spark.sql.shuffle.partitions", "2"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static Experiment experiment(String hocon) {
    return Experiment.parse(ConfigFactory.parseString(hocon).resolve(), "test");
  }

  @Test
  void cnnLearnsGeneratedIrmas(@TempDir Path runs) throws Exception {
    String table = TrainingData.table(spark, "irmas", 20, TrainingData.SPEC);
    Experiment ex = Experiment.load(new java.io.File("../conf/experiments/irmas-cnn.conf"))
        .with(Map.of("train.workers", 2), "");
    RunResult r = Trainer.run(spark, new TrainRequest(table, ex, runs.toString(), null, false));
    // Learning, not a CPU's exact figure: OpenBLAS and ND4J pick their kernels by CPU, so the same seed ends at other
    // weights on another machine (46 validation clips: 41 right on an Intel Xeon with AVX-512, 42+ on an AMD EPYC).
    // Chance is 1/11.
    assertThat(r.bestMetrics().get("clip_accuracy")).as("%s", r).isGreaterThanOrEqualTo(0.85);

    // The run's artefacts: model.zip (the best epoch), model.json provenance, curves, DL4J stats, checkpoints.
    Path run = Path.of(r.runDir());
    JsonNode model = new ObjectMapper().readTree(run.resolve("model.json").toFile());
    JsonNode prov = new ObjectMapper().readTree(Path.of(io.timbre.table.TableVersion.current(table,
        new org.apache.hadoop.conf.Configuration()).provenanceLocation()).toFile());
    assertThat(model.path("run_id").asText()).isEqualTo(r.runId());
    assertThat(model.path("table").path("spec_id").asText()).isEqualTo(prov.path("spec_id").asText());
    assertThat(model.path("table").path("input_fingerprint").asText())
        .isEqualTo(prov.path("input_fingerprint").asText()).isNotEmpty();
    assertThat(model.path("label_vocabulary")).isEqualTo(prov.path("label_vocabulary"));
    assertThat(model.path("config").path("model").path("conv_channels").toString()).isEqualTo("[32,32,64]");
    assertThat(model.path("seed").asLong()).isEqualTo(5);
    assertThat(model.path("versions").path("spark").asText()).startsWith("3.5");
    assertThat(model.path("versions").path("deeplearning4j").asText()).isEqualTo("1.0.0-M2.1");
    assertThat(model.path("normalization").path("mean")).hasSize(64);
    assertThat(model.path("best").path("epoch").asInt()).isEqualTo(r.bestEpoch());
    assertThat(model.path("best").path("metrics").path("clip_accuracy").asDouble())
        .isEqualTo(r.bestMetrics().get("clip_accuracy"));
    JsonNode curves = new ObjectMapper().readTree(run.resolve("curves.json").toFile());
    assertThat(curves).hasSize(r.epochsRun());
    assertThat(curves.get(0).path("examples_per_second").asDouble()).isPositive();
    assertThat(curves.get(0).path("validation").has("val_loss")).isTrue();
    assertThat(curves.get(0).path("dl4j_stats").size()).isPositive();
    assertThat(run.resolve("training-stats.html")).isNotEmptyFile();
    assertThat(run.resolve("checkpoints").toFile().list((d, n) -> !n.startsWith("."))).hasSize(2);

    MultiLayerNetwork best = ModelSerializer.restoreMultiLayerNetwork(run.resolve("model.zip").toFile());
    MultiLayerNetwork bestCopy = ModelSerializer.restoreMultiLayerNetwork(run.resolve("best.zip").toFile());
    assertThat(best.params().equalsWithEps(bestCopy.params(), 0)).isTrue();
    assertThat(best.getLayerWiseConfigurations().getInputPreProcessors()).isNotNull();
  }

  @Test
  void cnnLearnsGeneratedIdmtEffects(@TempDir Path runs) {
    // IDMT effect files are single 2 s notes: one whole-note segment each, so modulation effects are seen whole.
    String table = TrainingData.table(spark, "idmt-effects", 8, io.timbre.features.FeatureSpec.builder().nMels(64)
        .segmentSeconds(2.0).build());
    Experiment ex = Experiment.load(new java.io.File("../conf/experiments/idmt-effects-cnn.conf"))
        .with(Map.of("train.workers", 2), "");
    RunResult r = Trainer.run(spark, new TrainRequest(table, ex, runs.toString(), null, false));
    // Learning, not a CPU's exact figure: OpenBLAS and ND4J pick their kernels by CPU, so the same seed ends at other
    // weights on another machine (46 validation clips: 41 right on an Intel Xeon with AVX-512, 42+ on an AMD EPYC).
    // Chance is 1/11.
    assertThat(r.bestMetrics().get("clip_accuracy")).as("%s", r).isGreaterThanOrEqualTo(0.85);
  }

  @Test
  void experimentErrorsNameTheKeyAndFile() {
    assertThatThrownBy(() -> experiment("model { convchannels = [8] }"))
        .hasMessageContaining("unknown key 'model.convchannels'").hasMessageContaining("test");
    assertThatThrownBy(() -> experiment("model { dropout = 1.5 }")).hasMessageContaining("model.dropout");
    assertThatThrownBy(() -> experiment("model { architecture = transformer }"))
        .hasMessageContaining("model.architecture").hasMessageContaining("transformer");
    assertThatThrownBy(() -> experiment("model { architecture = cnn, task = onset }"))
        .hasMessageContaining("frame-level");
    assertThatThrownBy(() -> experiment("train { early_stopping { metric = onset_f1 } }"))
        .hasMessageContaining("train.early_stopping.metric");
    assertThatThrownBy(() -> experiment("trian { epochs = 3 }")).hasMessageContaining("unknown key 'trian'");
    assertThatThrownBy(() -> experiment("train { epochs = many }")).hasMessageContaining("train.epochs");
  }

  @Test
  void missingTableIsATypedError(@TempDir Path tmp) {
    Experiment ex = experiment("name = x");
    assertThatThrownBy(() -> Trainer.run(spark, new TrainRequest(tmp.toString(), ex, tmp.toString(), null, false)))
        .isInstanceOf(IncompatibleArtefactException.class).hasMessageContaining("_provenance.json");
  }
}
