package io.timbre.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbre.eval.MetricsDocument;
import io.timbre.exceptions.IncompatibleArtefactException;
import io.timbre.util.JsonDocument;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromoterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PromotionPolicy POLICY = new PromotionPolicy("", 0.01);

  /** A metrics.json as `timbre evaluate` writes it, with the model provenance of a real run. */
  static ObjectNode metrics(String runId, double accuracy, String fingerprint, String split) {
    ObjectNode m = JSON.createObjectNode();
    m.put("format", MetricsDocument.FORMAT);
    m.put("run_id", runId).put("experiment", "irmas-cnn").put("task", "single_label").put("split", split);
    m.put("run_dir", "/runs/irmas-cnn/" + runId).put("created_at", "2026-12-01T00:00:00Z").put("code_version", "t");
    m.putObject("table").put("location", "/t").put("spec_id", "spec-a").put("input_fingerprint", fingerprint);
    m.putObject("config").put("theta", 0.5).put("top_k", 3);
    m.set("model", DEMO_MODEL);
    m.putObject("metrics").putObject("single_label").put("accuracy", accuracy).put("macro_f1", accuracy - 0.1);
    return m;
  }

  private static final ObjectNode DEMO_MODEL = demoModel();

  private static ObjectNode demoModel() {
    try (var in = PromoterTest.class.getResourceAsStream("/io/timbre/documents/demo-model.json")) {
      return (ObjectNode) JSON.readTree(in);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Decision decide(String task, ObjectNode challenger, ObjectNode champion, PromotionPolicy policy) {
    return Promoter.decide(task, doc(challenger), champion == null ? null : doc(champion), policy);
  }

  private static MetricsDocument doc(ObjectNode m) {
    return MetricsDocument.parse(JsonDocument.of(m, "test metrics.json"));
  }

  @Test
  void decisionsFollowTheMarginAndTheMetricsDirection() {
    assertThat(decide("irmas-cnn", metrics("a", 0.8, "f", "test"), null, POLICY).promoted()).isTrue();
    Decision better = decide("irmas-cnn", metrics("b", 0.85, "f", "test"), metrics("a", 0.8, "f", "test"),
        POLICY);
    assertThat(better.promoted()).isTrue();
    assertThat(better.metric()).isEqualTo("single_label.accuracy");
    assertThat(better.championValue()).isEqualTo(0.8);
    // Better, but not by more than the margin; equal; worse.
    assertThat(decide("t", metrics("b", 0.805, "f", "test"), metrics("a", 0.8, "f", "test"), POLICY)
        .promoted()).isFalse();
    assertThat(decide("t", metrics("b", 0.8, "f", "test"), metrics("a", 0.8, "f", "test"),
        new PromotionPolicy("", 0)).promoted()).isFalse();
    Decision worse = decide("t", metrics("b", 0.6, "f", "test"), metrics("a", 0.8, "f", "test"), POLICY);
    assertThat(worse.promoted()).isFalse();
    assertThat(worse.reason()).contains("0.6000 vs champion 0.8000", "does not exceed");
    // Another configured metric.
    assertThat(decide("t", metrics("b", 0.85, "f", "test"), metrics("a", 0.8, "f", "test"),
        new PromotionPolicy("single_label.macro_f1", 0.01)).metric()).isEqualTo("single_label.macro_f1");
    // Lower is better for false alarms.
    ObjectNode ch = metrics("b", 0.8, "f", "test");
    ObjectNode cp = metrics("a", 0.8, "f", "test");
    ch.with("metrics").putObject("melody").put("voicing_false_alarm", 0.1);
    cp.with("metrics").putObject("melody").put("voicing_false_alarm", 0.3);
    assertThat(decide("t", ch, cp, new PromotionPolicy("melody.voicing_false_alarm", 0.01)).promoted())
        .isTrue();
    assertThat(decide("t", cp, ch, new PromotionPolicy("melody.voicing_false_alarm", 0.01)).promoted())
        .isFalse();
    // The champion itself is never "promoted" again.
    assertThat(decide("t", metrics("a", 0.8, "f", "test"), metrics("a", 0.8, "f", "test"), POLICY)
        .reason()).contains("already the champion");
  }

  /** A single-label model scored on IRMAS's multi-label test excerpts: its evaluation has multi_label metrics only. */
  static ObjectNode multiLabelEvaluation(String runId, double microF1) {
    ObjectNode m = metrics(runId, 0, "f", "test");
    m.putObject("metrics").putObject("multi_label").putObject("s1").put("micro_f1", microF1);
    return m;
  }

  @Test
  void theDefaultMetricFollowsWhatWasEvaluatedNotTheModel() {
    Decision first = decide("irmas-cnn", multiLabelEvaluation("a", 0.6), null, POLICY);
    assertThat(first.promoted()).isTrue();
    assertThat(first.metric()).isEqualTo("multi_label.s1.micro_f1");
    Decision better = decide("irmas-cnn", multiLabelEvaluation("b", 0.7), multiLabelEvaluation("a", 0.6),
        POLICY);
    assertThat(better.promoted()).isTrue();
    assertThat(better.championValue()).isEqualTo(0.6);
    // A configured metric still wins.
    assertThat(decide("irmas-cnn", multiLabelEvaluation("b", 0.7), null,
        new PromotionPolicy("multi_label.s1.micro_f1", 0)).metric()).isEqualTo("multi_label.s1.micro_f1");
  }

  @Test
  void evaluationsOnDifferentTablesSpecsOrSplitsAreNeverCompared() {
    assertThatThrownBy(() -> decide("t", metrics("b", 0.9, "other", "test"), metrics("a", 0.8, "f", "test"),
        POLICY)).isInstanceOf(Promoter.IncomparableException.class).hasMessageContaining("input fingerprints");
    assertThatThrownBy(() -> decide("t", metrics("b", 0.9, "f", "validation"),
        metrics("a", 0.8, "f", "test"), POLICY)).hasMessageContaining("splits differ");
    ObjectNode otherSpec = metrics("b", 0.9, "f", "test");
    otherSpec.with("table").put("spec_id", "spec-b");
    assertThatThrownBy(() -> decide("t", otherSpec, metrics("a", 0.8, "f", "test"), POLICY))
        .hasMessageContaining("feature specs differ");
    assertThatThrownBy(() -> decide("t", metrics("b", 0.9, "f", "test"), metrics("a", 0.8, "f", "test"),
        new PromotionPolicy("single_label.nope", 0))).hasMessageContaining("no numeric metric 'single_label.nope'");
    assertThatThrownBy(() -> new PromotionPolicy("", -1)).hasMessageContaining("margin");
  }

  @Test
  void championJsonMovesOnlyOnAGainAndKeepsHistory(@TempDir Path tmp) throws Exception {
    Configuration conf = new Configuration();
    String metricsRoot = tmp.resolve("metrics").toString();
    String runs = tmp.resolve("runs").toString();
    String root = tmp.toString();
    for (String[] r : new String[][] {{"r1", "0.80"}, {"r2", "0.70"}, {"r3", "0.90"}, {"r4", "0.99"}}) {
      Path run = tmp.resolve("runs/irmas-cnn/" + r[0]);
      Files.createDirectories(run);
      Files.writeString(run.resolve("model.json"), "{}");
      Path m = tmp.resolve("metrics/irmas-cnn/" + r[0]);
      Files.createDirectories(m);
      Files.write(m.resolve("metrics.json"), JSON.writeValueAsBytes(metrics(r[0], Double.parseDouble(r[1]), "f",
          r[0].equals("r4") ? "validation" : "test")));
    }
    Path champion = tmp.resolve("aliases/irmas-cnn/champion.json");

    assertThat(Promoter.promote(new Promoter.Request("irmas-cnn", "r1", metricsRoot, root, runs, POLICY), conf)
        .promoted()).isTrue();
    assertThat(JSON.readTree(champion.toFile()).path("run_id").asText()).isEqualTo("r1");
    assertThat(ModelRegistry.resolveModel(tmp.resolve("aliases/irmas-cnn").toString(), conf))
        .endsWith("runs/irmas-cnn/r1");

    byte[] before = Files.readAllBytes(champion);
    Decision worse = Promoter.promote(new Promoter.Request("irmas-cnn", "r2", metricsRoot, root, runs, POLICY), conf);
    assertThat(worse.promoted()).isFalse();
    assertThat(Files.readAllBytes(champion)).isEqualTo(before);

    assertThat(Promoter.promote(new Promoter.Request("irmas-cnn", "r3", metricsRoot, root, runs, POLICY), conf)
        .promoted()).isTrue();
    JsonNode c = JSON.readTree(champion.toFile());
    assertThat(c.path("run_id").asText()).isEqualTo("r3");
    assertThat(c.path("previous_run_id").asText()).isEqualTo("r1");
    assertThat(c.path("value").asDouble()).isEqualTo(0.9);
    try (Stream<Path> h = Files.list(tmp.resolve("aliases/irmas-cnn/history"))) {
      // (.crc files are the local file system's checksums)
      assertThat(h.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")))
          .singleElement().asString().endsWith("-r1.json");
    }
    try (Stream<Path> d = Files.list(tmp.resolve("aliases/irmas-cnn/decisions"))) {
      assertThat(d.filter(p -> !p.getFileName().toString().startsWith("."))).hasSize(3);
    }

    // Evaluated on another split: refused, and the alias is untouched.
    before = Files.readAllBytes(champion);
    assertThatThrownBy(() -> Promoter.promote(new Promoter.Request("irmas-cnn", "r4", metricsRoot, root, runs,
        POLICY), conf)).isInstanceOf(Promoter.IncomparableException.class);
    assertThat(Files.readAllBytes(champion)).isEqualTo(before);
    // Not evaluated: a typed error naming what to do.
    assertThatThrownBy(() -> Promoter.promote(new Promoter.Request("irmas-cnn", "r9", metricsRoot, root, runs,
        POLICY), conf)).isInstanceOf(IncompatibleArtefactException.class).hasMessageContaining("run `timbre evaluate`");
    assertThatThrownBy(() -> ModelRegistry.resolveModel(tmp.resolve("nothing").toString(), conf))
        .hasMessageContaining("neither a finished run");
  }
}
