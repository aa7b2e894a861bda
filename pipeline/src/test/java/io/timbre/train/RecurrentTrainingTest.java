package io.timbre.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.timbre.features.FeatureSpec;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Frame-level tasks with recurrent networks: drum onsets (bilstm) and melody pitch classes (crnn). */
class RecurrentTrainingTest {
  static final FeatureSpec SPEC = FeatureSpec.builder().nMels(40).segmentSeconds(2.0).build();
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = io.timbre.spark.Sessions.create("rnn-test", "local[2]", Map.of("spark.sql.shuffle.partitions", "2"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static Experiment experiment(String hocon) {
    return Experiment.parse(ConfigFactory.parseString(hocon).resolve(), "test");
  }

  @Test
  void bilstmLearnsDrumOnsets(@TempDir Path runs) {
    String table = TrainingData.table(spark, "idmt-drums", 6, SPEC);
    Experiment ex = experiment("""
        name = drums-onsets
        model { architecture = bilstm, task = onset, recurrent_units = 32, dropout = 0.1, learning_rate = 0.01,
                max_sequence_steps = 50 }
        train { epochs = 15, batch_size_per_worker = 8, averaging_frequency = 2, workers = 2, seed = 2,
                early_stopping { patience = 6 } }
        """);
    RunResult r = Trainer.run(spark, new TrainRequest(table, ex, runs.toString(), null, false));
    // The evaluation job scores the same split per instrument; its overall F equals the run's own.
    io.timbre.eval.Evaluator.Result ev = io.timbre.eval.Evaluator.run(spark, new io.timbre.eval.Evaluator.Request(
        r.runDir(), table, "validation", runs.resolve("metrics").toString(), Double.NaN, 3));
    var onset = ev.metrics().body().path("onset");
    assertThat(onset.path("f_measure").asDouble()).isCloseTo(r.bestMetrics().get("onset_f1"),
        org.assertj.core.api.Assertions.within(1e-9));
    assertThat(onset.path("definition").asText()).isEqualTo("mir_eval 0.7 onset.f_measure, window 0.05 s");
    assertThat(onset.path("per_instrument").has("HH")).isTrue();
    assertThat(onset.path("per_instrument").has("KD")).isTrue();
    assertThat(onset.path("per_instrument").has("SD")).isTrue();
    var events = spark.read().parquet(ev.dir() + "/predictions.parquet").collectAsList();
    assertThat(events).isNotEmpty();
    assertThat(events).allSatisfy(row -> assertThat(row.getString(1)).isIn("HH", "KD", "SD"));
    long reference = events.stream().mapToLong(row -> row.getList(2).size()).sum();
    assertThat(reference).isEqualTo(onset.path("per_instrument").path("HH").path("reference_onsets").asLong()
        + onset.path("per_instrument").path("KD").path("reference_onsets").asLong()
        + onset.path("per_instrument").path("SD").path("reference_onsets").asLong());
    // Chance: a detector firing at random frames at the true onset rate scores roughly the share of frames within
    // ±50 ms of an onset, well under 0.3 for these patterns.
    assertThat(r.bestMetrics().get("onset_f1")).isGreaterThanOrEqualTo(0.6);
  }

  @Test
  void crnnLearnsMelodyPitchClasses(@TempDir Path runs) {
    // Semitone classes need finer frequency resolution than 40 bands: 128 mels, 2 s segments, 16 tracks.
    String table = TrainingData.table(spark, "medleydb", 16, FeatureSpec.builder().nMels(128).segmentSeconds(2.0)
        .build());
    Experiment ex = Experiment.load(new java.io.File("../conf/experiments/medleydb-melody-crnn.conf"))
        .with(Map.of("train.workers", 2), "");
    RunResult r = Trainer.run(spark, new TrainRequest(table, ex, runs.toString(), null, false));
    // Chance for raw pitch accuracy over 60 semitone classes is about 1/60.
    assertThat(r.bestMetrics().get("raw_pitch_accuracy")).as("%s", r).isGreaterThanOrEqualTo(0.5);
    assertThat(r.bestMetrics().get("overall_accuracy")).as("%s", r).isGreaterThan(0.4);
    // mir_eval's metrics on each validation track's own 10 ms timebase, in cents.
    io.timbre.eval.Evaluator.Result ev = io.timbre.eval.Evaluator.run(spark, new io.timbre.eval.Evaluator.Request(
        r.runDir(), table, "validation", runs.resolve("metrics").toString(), Double.NaN, 3));
    var melody = ev.metrics().body().path("melody");
    assertThat(melody.path("tracks").asInt()).isPositive();
    assertThat(melody.path("definition").asText()).isEqualTo("mir_eval 0.7 melody.evaluate, hop 0.01, "
        + "cent_tolerance 50");
    assertThat(melody.path("per_track")).hasSize(melody.path("tracks").asInt());
    assertThat(spark.read().parquet(ev.dir() + "/predictions.parquet").count()).isEqualTo(
        melody.path("tracks").asLong());
    assertThat(melody.path("mean").path("raw_pitch_accuracy").asDouble()).isGreaterThan(0.4);
    assertThat(melody.path("mean").path("raw_chroma_accuracy").asDouble())
        .isGreaterThanOrEqualTo(melody.path("mean").path("raw_pitch_accuracy").asDouble());
  }
}
