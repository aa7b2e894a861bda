package io.timbre.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.timbre.sampledata.SampleData;
import io.timbre.train.Experiment;
import io.timbre.train.RunResult;
import io.timbre.train.TrainRequest;
import io.timbre.train.Trainer;
import io.timbre.train.TrainingData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batch inference with a model trained here: the model's own spec, quarantine, determinism, list and alias input. */
class PredictorTest {
  private static SparkSession spark;
  private static String runDir;
  private static String specId;

  @BeforeAll
  static void train(@TempDir Path runs) {
    spark = io.timbre.spark.Sessions.create("predict-test", "local[2]", Map.of("spark.sql.shuffle.partitions", "2"));
    String table = TrainingData.table(spark, "irmas", 20, TrainingData.SPEC);
    Experiment ex = Experiment.parse(ConfigFactory.parseString("""
        name = predict-cnn
        model { architecture = cnn, conv_channels = [8, 16], dense_units = 0, learning_rate = 0.01 }
        train { epochs = 3, batch_size_per_worker = 16, workers = 2 }
        """), "test");
    RunResult r = Trainer.run(spark, new TrainRequest(table, ex, runs.toString(), "p1", false));
    runDir = r.runDir();
    specId = TrainingData.SPEC.id();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void scoresNewAudioWithTheModelsOwnSpecAndQuarantinesBadFiles(@TempDir Path tmp) throws Exception {
    Path in = tmp.resolve("in");
    SampleData.generate("irmas", tmp.resolve("gen"), 77, 1);
    Files.move(tmp.resolve("gen/IRMAS-TrainingData"), in);
    long good;
    try (Stream<Path> s = Files.walk(in)) {
      good = s.filter(p -> p.toString().endsWith(".wav")).count();
    }
    Path aGood;
    try (Stream<Path> s = Files.walk(in)) {
      aGood = s.filter(p -> p.toString().endsWith(".wav")).sorted().findFirst().orElseThrow();
    }
    Files.createDirectories(in.resolve("bad"));
    Files.write(in.resolve("bad/truncated.wav"), Arrays.copyOf(Files.readAllBytes(aGood), 100));
    Files.write(in.resolve("bad/empty.wav"), new byte[0]);
    Files.writeString(in.resolve("bad/not-audio.wav"), "this is a text file\n");
    Files.writeString(in.resolve("notes.txt"), "not audio, not read\n");
    Files.copy(aGood, in.resolve(".hidden.wav"));

    PredictSummary s = Predictor.run(spark, new PredictRequest(runDir, in.toString(), tmp.resolve("out").toString(),
        3, 0));
    assertThat(s.clipsScored()).isEqualTo(good);
    assertThat(s.quarantined()).isEqualTo(3);
    assertThat(s.skippedNonAudio()).isEqualTo(1);

    List<Row> rows = spark.read().parquet(tmp.resolve("out/predictions").toString()).collectAsList();
    assertThat(rows).hasSize((int) good);
    List<String> ids = rows.stream().map(r -> r.<String>getAs("clip_id")).toList();
    assertThat(ids).isSorted().doesNotHaveDuplicates().noneMatch(id -> id.startsWith("bad/") || id.startsWith("."));
    JsonNode model = new ObjectMapper().readTree(Path.of(runDir, "model.json").toFile());
    for (Row r : rows) {
      List<String> top = r.getList(r.fieldIndex("top_labels"));
      List<Double> topScores = r.getList(r.fieldIndex("top_scores"));
      List<Double> scores = r.getList(r.fieldIndex("scores"));
      assertThat(top).hasSize(3).doesNotHaveDuplicates();
      assertThat(topScores.get(0)).isGreaterThanOrEqualTo(topScores.get(1));
      assertThat(topScores.get(1)).isGreaterThanOrEqualTo(topScores.get(2));
      assertThat(scores).hasSize(model.path("labels").size());
      assertThat(scores.stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, org.assertj.core.data.Offset
          .offset(1e-3));
      assertThat(r.<String>getAs("predicted")).isEqualTo(top.get(0));
      assertThat(r.<String>getAs("spec_id")).isEqualTo(specId);
      assertThat(r.<Integer>getAs("n_segments")).isEqualTo(3); // 3 s IRMAS excerpts, 1 s segments
    }
    List<Row> q = spark.read().parquet(tmp.resolve("out/quarantine").toString()).collectAsList();
    assertThat(q.stream().map(r -> Path.of(r.<String>getAs("path").replace("file:", "")).getFileName().toString()))
        .containsExactlyInAnyOrder("truncated.wav", "empty.wav", "not-audio.wav");
    assertThat(q).allMatch(r -> r.<String>getAs("stage").equals("DECODE") && !r.<String>getAs("message").isEmpty());

    JsonNode p = new ObjectMapper().readTree(tmp.resolve("out/_provenance.json").toFile());
    assertThat(p.path("model").path("run_id").asText()).isEqualTo("p1");
    assertThat(p.path("spec_id").asText()).isEqualTo(specId);
    assertThat(p.path("spec").path("n_mels").asInt()).isEqualTo(64);
    assertThat(p.path("counts").path("quarantined").asInt()).isEqualTo(3);

    // Same inputs, same model: the same table, row for row.
    Predictor.run(spark, new PredictRequest(runDir, in.toString(), tmp.resolve("again").toString(), 3, 3));
    assertThat(spark.read().parquet(tmp.resolve("again/predictions").toString()).drop("path").collectAsList())
        .isEqualTo(spark.read().parquet(tmp.resolve("out/predictions").toString()).drop("path").collectAsList());
  }

  @Test
  void listFilesAndAliasesNameTheInputAndTheModel(@TempDir Path tmp) throws Exception {
    SampleData.generate("irmas", tmp.resolve("gen"), 78, 1);
    Path cel;
    try (Stream<Path> s = Files.list(tmp.resolve("gen/IRMAS-TrainingData/cel"))) {
      cel = s.sorted().findFirst().orElseThrow();
    }
    Files.writeString(tmp.resolve("gen/list.txt"), "# clips to label\nIRMAS-TrainingData/cel/" + cel.getFileName()
        + "\n\nIRMAS-TrainingData/cel/missing.wav\n");
    Path alias = tmp.resolve("aliases/predict-cnn");
    Files.createDirectories(alias);
    Files.writeString(alias.resolve("champion.json"), "{\"run_dir\": \"" + runDir + "\"}");

    PredictSummary s = Predictor.run(spark, new PredictRequest(alias.toString(), tmp.resolve("gen/list.txt")
        .toString(), tmp.resolve("out").toString(), 2, 0));
    assertThat(s.clipsScored()).isEqualTo(1);
    assertThat(s.quarantined()).isEqualTo(1);
    Row r = spark.read().parquet(tmp.resolve("out/predictions").toString()).first();
    assertThat(r.<String>getAs("clip_id")).isEqualTo("IRMAS-TrainingData/cel/" + cel.getFileName());
    assertThat(r.getList(r.fieldIndex("top_labels"))).hasSize(2);

    assertThatThrownBy(() -> Predictor.run(spark, new PredictRequest(tmp.resolve("nope").toString(),
        tmp.resolve("gen").toString(), tmp.resolve("x").toString(), 3, 0))).hasMessageContaining("Cannot resolve");
    assertThatThrownBy(() -> Predictor.run(spark, new PredictRequest(runDir, tmp.resolve("absent").toString(),
        tmp.resolve("x").toString(), 3, 0))).hasMessageContaining("no such file or folder");
  }
}
