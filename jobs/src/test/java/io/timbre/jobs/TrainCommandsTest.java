package io.timbre.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** make-sample-data → ingest → train → evaluate → tune through the command line, as a user runs them. */
class TrainCommandsTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Timbre.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void ingestThenTrainThenEvaluateThenTune(@TempDir Path tmp) throws Exception {
    assertThat(run("make-sample-data", "--dataset", "irmas", "--out", tmp.resolve("irmas").toString(),
        "--clips-per-class", "2")).as("%s", err).isZero();
    Path spec = tmp.resolve("spec.conf");
    Files.writeString(spec, "kind = logmel\nn_mels = 40\nsegment_seconds = 1.0\n");
    assertThat(run("ingest", "--dataset", "irmas", "--input", tmp.resolve("irmas").toString(), "--output",
        tmp.resolve("tables").toString(), "--spec", spec.toString(), "--master", "local[2]")).as("%s", err).isZero();
    Matcher m = Pattern.compile("table (\\S+)").matcher(out.toString());
    assertThat(m.find()).as(out.toString()).isTrue();
    String table = m.group(1);

    Path experiment = tmp.resolve("x.conf");
    Files.writeString(experiment, """
        name = cli-cnn
        model { architecture = cnn, conv_channels = [8], dense_units = 0 }
        train { epochs = 5, batch_size_per_worker = 8, averaging_frequency = 2 }
        search { trials = 2, seed = 1, params { "model.learning_rate" { log_uniform = [0.001, 0.01] } } }
        spark { "spark.sql.shuffle.partitions" = "2" }
        """);
    out.getBuffer().setLength(0);
    assertThat(run("train", "--table", table, "--model", experiment.toString(), "--out",
        tmp.resolve("runs").toString(), "--epochs", "2", "--run-id", "first", "--master", "local[2]"))
        .as("%s", err).isZero();
    assertThat(out.toString()).contains("run first: 2 epochs", "model in");
    JsonNode model = new ObjectMapper().readTree(tmp.resolve("runs/cli-cnn/first/model.json").toFile());
    assertThat(model.path("config").path("train").path("epochs").asInt()).isEqualTo(2);
    assertThat(model.path("config_origin").asText()).contains("x.conf");

    out.getBuffer().setLength(0);
    assertThat(run("evaluate", "--run", tmp.resolve("runs/cli-cnn/first").toString(), "--table", table, "--split",
        "test", "--out", tmp.resolve("metrics").toString(), "--theta", "0.4", "--master", "local[2]"))
        .as("%s", err).isZero();
    assertThat(out.toString()).contains("multi-label (theta 0.40): S1 micro F1", "metrics in");
    assertThat(tmp.resolve("metrics/cli-cnn/first/metrics.json")).isNotEmptyFile();

    out.getBuffer().setLength(0);
    assertThat(run("tune", "--table", table, "--model", experiment.toString(), "--out",
        tmp.resolve("runs").toString(), "--epochs", "1", "--master", "local[2]")).as("%s", err).isZero();
    assertThat(out.toString()).contains("rank", "leaderboard:", "-t00", "-t01");
    try (var boards = Files.walk(tmp.resolve("runs/cli-cnn/_tune"))) {
      Path board = boards.filter(p -> p.getFileName().toString().equals("leaderboard.json")).findFirst()
          .orElseThrow();
      JsonNode b = new ObjectMapper().readTree(board.toFile());
      assertThat(b.path("trials")).hasSize(2);
      assertThat(b.path("trials").get(0).path("rank").asInt()).isEqualTo(1);
    }

    // A typo in the experiment is one clear line naming the key and the file.
    Files.writeString(experiment, "name = x\nmodel { learning_rat = 0.1 }\n");
    assertThat(run("train", "--table", table, "--model", experiment.toString(), "--out",
        tmp.resolve("runs").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("unknown key 'model.learning_rat'", "x.conf");
  }
}
