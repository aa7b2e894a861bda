package io.timbre.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, as a newcomer runs it ({@code ./timbre demo}, defaults untouched), then what an operator
 * does next with its output: a weaker challenger is refused, a challenger evaluated on another split cannot be
 * compared, and {@code predict} follows the alias. Then the same demo against the embedded S3 server.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    return Timbre.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  @Order(1)
  void demoRunsEndToEndAndLearns() throws Exception {
    Path demo = tmp.resolve("demo-out");
    assertThat(run("demo", "--out", demo.toString())).as("%s%n%s", out, err).isZero();
    String o = out.toString();
    assertThat(o).contains("[1/6]", "[2/6]", "[3/6]", "[4/6]", "[5/6]", "[6/6]", "Timbre demo finished");
    Matcher acc = Pattern.compile("validation clip accuracy ([0-9.]+) .*unseen-clip accuracy ([0-9.]+)").matcher(o);
    assertThat(acc.find()).as(o).isTrue();
    assertThat(Double.parseDouble(acc.group(1))).as("validation accuracy").isGreaterThanOrEqualTo(0.9);
    assertThat(Double.parseDouble(acc.group(2))).as("predict accuracy on unseen clips").isGreaterThanOrEqualTo(0.9);

    JsonNode champion = JSON.readTree(demo.resolve("aliases/irmas-cnn/champion.json").toFile());
    String runId = champion.path("run_id").asText();
    Path metrics = demo.resolve("metrics/irmas-cnn/" + runId);
    assertThat(metrics.resolve("report.html")).isNotEmptyFile();
    JsonNode m = JSON.readTree(metrics.resolve("metrics.json").toFile());
    assertThat(m.path("metrics").path("single_label").path("accuracy").asDouble()).isGreaterThanOrEqualTo(0.9);
    assertThat(demo.resolve("predictions/_provenance.json")).isNotEmptyFile();
    assertThat(JSON.readTree(demo.resolve("predictions/_provenance.json").toFile()).path("model").path("run_id")
        .asText()).isEqualTo(runId);

    // A second demo into the same folder replaces it; a folder that is not a demo's is never deleted.
    Path foreign = tmp.resolve("precious");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve("thesis.txt"), "do not delete");
    assertThat(run("demo", "--out", foreign.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("not a previous demo's output");
    assertThat(foreign.resolve("thesis.txt")).exists();
  }

  @Test
  @Order(2)
  void aWorseChallengerIsRefusedAndOtherSplitsAreNotCompared() throws Exception {
    Path demo = tmp.resolve("demo-out");
    Path championFile = demo.resolve("aliases/irmas-cnn/champion.json");
    byte[] before = Files.readAllBytes(championFile);
    String table;
    try (Stream<Path> s = Files.list(demo.resolve("tables/irmas"))) {
      table = s.filter(Files::isDirectory).findFirst().orElseThrow().toString();
    }
    Path experiment = tmp.resolve("weak.conf");
    // The same experiment name (task), one epoch: a challenger that cannot beat the champion.
    Files.writeString(experiment, "include file(\"" + Path.of("../conf/experiments/irmas-cnn.conf").toAbsolutePath()
        .normalize() + "\")\ntrain { epochs = 1, early_stopping { patience = 1 } }\n");
    assertThat(run("train", "--table", table, "--model", experiment.toString(), "--out",
        demo.resolve("runs").toString(), "--run-id", "weak", "--master", "local[2]")).as("%s", err).isZero();
    assertThat(run("evaluate", "--run", demo.resolve("runs/irmas-cnn/weak").toString(), "--table", table,
        "--split", "validation", "--out", demo.resolve("metrics").toString(), "--master", "local[2]"))
        .as("%s", err).isZero();
    assertThat(run("promote", "--task", "irmas-cnn", "--run", "weak", "--metrics", demo.resolve("metrics").toString(),
        "--root", demo.toString(), "--margin", "0.005")).as("%s", err).isZero();
    assertThat(out.toString()).startsWith("kept champion");
    assertThat(Files.readAllBytes(championFile)).isEqualTo(before);

    // Evaluated on another split: the runs are not comparable, and nothing moves.
    assertThat(run("evaluate", "--run", demo.resolve("runs/irmas-cnn/weak").toString(), "--table", table,
        "--split", "test", "--out", demo.resolve("metrics").toString(), "--master", "local[2]"))
        .as("%s", err).isZero();
    assertThat(run("promote", "--task", "irmas-cnn", "--run", "weak", "--metrics", demo.resolve("metrics").toString(),
        "--root", demo.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("Refusing to compare", "splits differ");
    assertThat(Files.readAllBytes(championFile)).isEqualTo(before);

    // predict follows the alias to the champion.
    assertThat(run("predict", "--model", demo.resolve("aliases/irmas-cnn").toString(), "--input",
        demo.resolve("data/new-clips/IRMAS-TrainingData/cel").toString(), "--out", tmp.resolve("cel").toString(),
        "--master", "local[2]")).as("%s", err).isZero();
    assertThat(out.toString()).contains("clips scored, 0 quarantined", JSON.readTree(before).path("run_id").asText());
  }

  /** The notebooks, executed as Jupyter runs them, against the demo's output (two runs of irmas-cnn by now). */
  @Test
  @Order(3)
  void notebooksRunAgainstTheDemoOutput() throws Exception {
    Path nbDir = Path.of("..", "notebooks").toAbsolutePath().normalize();
    List<Path> notebooks;
    try (Stream<Path> s = Files.list(nbDir)) {
      notebooks = s.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
    }
    assertThat(notebooks).hasSizeGreaterThanOrEqualTo(2);
    for (Path nb : notebooks) {
      // Committed without outputs.
      for (JsonNode cell : JSON.readTree(nb.toFile()).path("cells")) {
        assertThat(cell.path("outputs").size()).as("%s has outputs", nb.getFileName()).isZero();
      }
    }
    boolean jupyter = new ProcessBuilder("sh", "-c", "command -v jupyter-nbconvert").start().waitFor() == 0;
    if (!jupyter) {
      assertThat(System.getenv("CI")).as("CI must have Debian's Jupyter (.ci/run installs it)").isNotEqualTo("true");
      org.junit.jupiter.api.Assumptions.abort("jupyter-nbconvert is not installed (apt-get install jupyter-nbconvert "
          + "python3-ipykernel python3-matplotlib python3-snappy python3-zstandard)");
    }
    Path executed = tmp.resolve("executed-notebooks");
    for (Path nb : notebooks) {
      ProcessBuilder pb = new ProcessBuilder("jupyter-nbconvert", "--to", "notebook", "--execute",
          "--ExecutePreprocessor.timeout=600", "--output-dir", executed.toString(), nb.toString())
          .directory(nbDir.toFile()).redirectErrorStream(true);
      pb.environment().put("TIMBRE_OUTPUTS", tmp.resolve("demo-out").toString());
      Process p = pb.start();
      String log = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as("%s:%n%s", nb.getFileName(), log).isZero();
      JsonNode done = JSON.readTree(executed.resolve(nb.getFileName()).toFile());
      int images = 0;
      for (JsonNode cell : done.path("cells")) {
        for (JsonNode o : cell.path("outputs")) {
          assertThat(o.path("output_type").asText()).as("%s", o).isNotEqualTo("error");
          images += o.path("data").has("image/png") ? 1 : 0;
        }
      }
      assertThat(images).as("%s plots", nb.getFileName()).isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  @Order(4)
  void demoRunsAgainstTheEmbeddedS3Server() throws Exception {
    Path demo = tmp.resolve("demo-s3");
    assertThat(run("demo", "--s3", "--out", demo.toString(), "--clips-per-class", "3", "--new-clips-per-class", "1",
        "--epochs", "2")).as("%s%n%s", out, err).isZero();
    assertThat(out.toString()).contains("embedded S3 server on http://127.0.0.1:", "s3a://timbre-demo");
    Path mirror = demo.resolve("s3/timbre-demo");
    JsonNode champion = JSON.readTree(mirror.resolve("aliases/irmas-cnn/champion.json").toFile());
    assertThat(champion.path("run_dir").asText()).startsWith("s3a://timbre-demo/runs/irmas-cnn/");
    assertThat(mirror.resolve("metrics/irmas-cnn/" + champion.path("run_id").asText() + "/report.html"))
        .isNotEmptyFile();
    assertThat(mirror.resolve("predictions/_provenance.json")).isNotEmptyFile();
    // The S3A magic committer left no pending uploads' markers behind in the tables.
    try (Stream<Path> s = Files.walk(mirror.resolve("tables"))) {
      assertThat(s.map(Path::toString)).noneMatch(p -> p.contains("__magic"));
    }
  }
}
