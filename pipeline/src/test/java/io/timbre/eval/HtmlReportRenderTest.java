package io.timbre.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbre.model.EpochRecord;
import io.timbre.model.ModelProvenance;
import io.timbre.model.Task;
import io.timbre.util.JsonDocument;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report opened in headless Chromium (Debian's {@code chromium}): it must render with no console messages, and
 * the screenshot must show the heat map's and the bars' colours. Skipped where Chromium is missing, except under CI
 * ({@code CI=true}), where {@code .ci/run} installs it and missing it is a failure.
 */
class HtmlReportRenderTest {
  static final String CHROMIUM = "/usr/bin/chromium";

  @Test
  void rendersInHeadlessChromiumWithHeatMapAndBars(@TempDir Path tmp) throws Exception {
    boolean have = new File(CHROMIUM).canExecute();
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      assertThat(have).as("chromium must be installed under CI (.ci/run installs it)").isTrue();
    }
    assumeTrue(have, "chromium not installed (apt-get install chromium)");

    // Four classes, mostly right: a diagonal-heavy confusion matrix and F1 bars.
    List<String> labels = List.of("cel", "cla", "flu", "voi");
    List<ClassificationReport.Clip> clips = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      int t = i % 4;
      int p = i % 10 == 9 ? (t + 1) % 4 : t;
      boolean[] truth = new boolean[4];
      truth[t] = true;
      float[] seg = {0.1f, 0.1f, 0.1f, 0.1f};
      seg[p] = 0.7f;
      clips.add(new ClassificationReport.Clip("clip" + i, truth, new float[][] {seg}));
    }
    MetricsDocument metrics = document("irmas-cnn", "r1", Task.SINGLE_LABEL,
        ClassificationReport.compute(clips, labels, 0.5, 3));
    List<EpochRecord> curves = new ArrayList<>();
    for (int e = 1; e <= 5; e++) {
      curves.add(new EpochRecord(e, 2.0 / e, Map.of("val_loss", 1.5 / e, "clip_accuracy", 1 - 0.5 / e), 1e-3, 1, 1,
          10, 1, 2, null));
    }
    String html = HtmlReport.render(metrics, curves);
    assertThat(html).doesNotContain("http://", "https://", "<script");
    Path page = tmp.resolve("report.html");
    Files.writeString(page, html, StandardCharsets.UTF_8);

    Path shot = tmp.resolve("shot.png");
    Process p = new ProcessBuilder(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + tmp.resolve("profile"), "--enable-logging=stderr", "--v=0",
        "--window-size=1200,1400", "--screenshot=" + shot, page.toUri().toString())
        .redirectErrorStream(true).redirectOutput(tmp.resolve("chromium.log").toFile()).start();
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    String log = Files.readString(tmp.resolve("chromium.log"));
    assertThat(shot).as(log).exists();
    assertThat(log.lines().filter(l -> l.contains("CONSOLE")).toList()).as("console messages").isEmpty();

    // Kept for people (and CI artefacts) to look at.
    Files.copy(shot, Path.of("target/report-screenshot.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(page, Path.of("target/report-example.html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    BufferedImage img = ImageIO.read(shot.toFile());
    assertThat(count(img, 0x1f4e99)).as("heat-map cells at full colour").isGreaterThan(500);
    assertThat(count(img, 0xe07b00)).as("F1 bar pixels").isGreaterThan(2000);
  }

  @Test
  void frameLevelReportsShowTheirHeadlinesAndTables() throws Exception {
    ObjectNode body = new ObjectMapper().createObjectNode();
    ObjectNode onset = body.putObject("onset");
    onset.put("f_measure", 0.9).put("precision", 0.95).put("recall", 0.85).put("window_seconds", 0.05);
    onset.putObject("per_instrument").putObject("KD").put("f_measure", 0.97).put("reference_onsets", 40);
    String html = HtmlReport.render(document("drums", "r<1>", Task.ONSET, body), List.of());
    assertThat(html).contains("onset F-measure", "0.9000", "Onsets per instrument", "<td>KD</td>", "r&lt;1&gt;")
        .doesNotContain("r<1>");
  }

  /** An evaluation of {@code body}, with the model provenance of a real run (the committed demo sample). */
  static MetricsDocument document(String experiment, String runId, Task task, ObjectNode body) throws Exception {
    try (InputStream in = HtmlReportRenderTest.class.getResourceAsStream("/io/timbre/documents/demo-model.json")) {
      ModelProvenance model = ModelProvenance.parse(JsonDocument.of(new ObjectMapper().readTree(in), "demo model"));
      return new MetricsDocument(runId, experiment, task, "test", "/runs/" + runId, "2026-12-01T00:00:00Z", "t",
          new MetricsDocument.EvaluatedTable("/tables/t", "spec", "fingerprint"), 0.5, 3, model, body);
    }
  }

  static int count(BufferedImage img, int rgb) {
    int n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int c = img.getRGB(x, y) & 0xffffff;
        if (Math.abs((c >> 16) - (rgb >> 16)) <= 6 && Math.abs(((c >> 8) & 0xff) - ((rgb >> 8) & 0xff)) <= 6
            && Math.abs((c & 0xff) - (rgb & 0xff)) <= 6) {
          n++;
        }
      }
    }
    return n;
  }
}
