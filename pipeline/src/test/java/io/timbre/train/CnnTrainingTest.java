package io.timbre.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
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
  void cnnLearnsGeneratedIrmas(@TempDir Path runs) {
    String table = TrainingData.table(spark, "irmas", 16, TrainingData.SPEC);
    Experiment ex = experiment("""
        name = irmas-cnn
        model { architecture = cnn, task = single_label, conv_channels = [16, 32, 32], dense_units = 64,
                dropout = 0.3, learning_rate = 0.003 }
        train { epochs = 12, batch_size_per_worker = 16, averaging_frequency = 2, workers = 2, seed = 5,
                early_stopping { patience = 4 } }
        """);
    RunResult r = Trainer.run(spark, new TrainRequest(table, ex, runs.toString(), null, false));
    System.out.println(r);
    assertThat(r.bestMetrics().get("clip_accuracy")).isGreaterThanOrEqualTo(0.9);
  }
}
