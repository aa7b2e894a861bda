package io.timbre.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.timbre.train.Experiment;
import io.timbre.train.RunResult;
import io.timbre.train.TrainRequest;
import io.timbre.train.Trainer;
import io.timbre.train.TrainingData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Train a small model, then evaluate it on the single-label validation split and the multi-label IRMAS test split. */
class EvaluatorTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = io.timbre.spark.Sessions.create("eval-test", "local[2]", Map.of("spark.sql.shuffle.partitions", "2"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void evaluatesSingleAndMultiLabelSplits(@TempDir Path tmp) throws Exception {
    String table = TrainingData.table(spark, "irmas", 6, TrainingData.SPEC);
    Experiment ex = Experiment.parse(ConfigFactory.parseString("""
        name = eval-cnn
        model { architecture = cnn, conv_channels = [8, 16], dense_units = 0, learning_rate = 0.005 }
        train { epochs = 3, batch_size_per_worker = 16, averaging_frequency = 2, workers = 2 }
        """), "test");
    RunResult run = Trainer.run(spark, new TrainRequest(table, ex, tmp.resolve("runs").toString(), "r", false));

    Evaluator.Result val = Evaluator.run(spark, new Evaluator.Request(run.runDir(), table, "validation",
        tmp.resolve("metrics").toString(), Double.NaN, 3));
    assertThat(val.dir()).endsWith("/eval-cnn/r");
    JsonNode m = new ObjectMapper().readTree(Path.of(val.dir(), "metrics.json").toFile());
    assertThat(m.path("split").asText()).isEqualTo("validation");
    assertThat(m.path("model").path("run_id").asText()).isEqualTo("r");
    JsonNode single = m.path("metrics").path("single_label");
    assertThat(m.path("metrics").path("single_label_truth").asBoolean()).isTrue();
    assertThat(single.path("definition").asText()).startsWith("scikit-learn 1.2 accuracy_score");
    assertThat(single.path("macro_f1_observed_labels").isNumber()).isTrue();
    assertThat(m.path("metrics").path("multi_label").path("definition").asText()).startsWith("scikit-learn 1.2");
    // The evaluation's accuracy is the training run's own clip accuracy on the same split (same rule: mean, argmax).
    assertThat(single.path("accuracy").asDouble()).isCloseTo(run.bestMetrics().get("clip_accuracy"), within(1e-9));
    // Training's validation macro F1 uses the same (scikit-learn) definitions: finite, and equal.
    assertThat(run.bestMetrics().get("macro_f1")).isFinite()
        .isCloseTo(single.path("macro_f1").asDouble(), within(1e-9));
    List<Row> preds = spark.read().parquet(val.dir() + "/predictions.parquet").collectAsList();
    assertThat(preds).hasSize(m.path("metrics").path("clips").asInt());
    long right = preds.stream().filter(r -> r.<String>getList(r.fieldIndex("truth")).get(0)
        .equals(r.getAs("predicted_argmax"))).count();
    assertThat(right / (double) preds.size()).isCloseTo(single.path("accuracy").asDouble(), within(1e-9));
    assertThat(spark.read().parquet(val.dir() + "/per_class.parquet").count()).isEqualTo(11);

    Evaluator.Result test = Evaluator.run(spark, new Evaluator.Request(run.runDir(), table, "test",
        tmp.resolve("metrics-test").toString(), 0.3, 3));
    JsonNode t = new ObjectMapper().readTree(Path.of(test.dir(), "metrics.json").toFile()).path("metrics");
    assertThat(t.path("single_label_truth").asBoolean()).isFalse(); // IRMAS test excerpts are multi-label
    assertThat(t.has("single_label")).isFalse();
    assertThat(t.path("multi_label").path("s1").path("micro_f1").asDouble()).isBetween(0.0, 1.0);
    assertThat(t.path("multi_label").path("lrap").asDouble()).isBetween(0.0, 1.0);
    assertThat(t.path("multi_label").path("theta_sweep")).hasSize(19);
    assertThat(t.path("multi_label").path("theta").asDouble()).isEqualTo(0.3);
  }

  @Test
  void errorsNameTheRunAndTheSplit(@TempDir Path tmp) throws Exception {
    Files.createDirectories(tmp.resolve("runs/x/unfinished"));
    String table = TrainingData.table(spark, "irmas", 6, TrainingData.SPEC);
    assertThatThrownBy(() -> Evaluator.run(spark, new Evaluator.Request(tmp.resolve("runs/x/unfinished").toString(),
        table, "test", tmp.toString(), Double.NaN, 3))).hasMessageContaining("no model.json")
        .hasMessageContaining("unfinished");
  }
}
