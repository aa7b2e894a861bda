package io.timbre.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * {@link BssEval} against mir_eval 0.7's {@code bss_eval_sources(…, compute_permutation=False)} on the seeded signal
 * sets of {@code reference/separation/cases.jsonl.gz} (written by {@code generate.py} beside it, which documents the
 * recipe rebuilt here; {@link MetricsReferenceFreshnessTest} checks the file against mir_eval): every SDR, SIR and SAR
 * within {@value #TOLERANCE_DB} dB, and the tracks mir_eval refuses (a silent reference or estimate) reported as
 * degenerate with NaN figures. The largest difference is written to {@code target/separation-differential.md}.
 */
class BssEvalDifferentialTest {
  static final String CASES = "/reference/separation/cases.jsonl.gz";
  static final double TOLERANCE_DB = 1e-3;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyFigureEqualsMirEval() throws IOException {
    List<JsonNode> cases = load();
    assertThat(cases.get(0).path("input").path("mir_eval").asText()).isEqualTo("0.7");
    List<JsonNode> scored = cases.subList(1, cases.size()).stream()
        .filter(c -> !c.path("expected").has("error")).toList();
    assertThat(scored).as("non-degenerate signal sets").hasSizeGreaterThanOrEqualTo(50);
    assertThat(scored.stream().filter(c -> c.path("name").asText().startsWith("near-silent"))).hasSizeGreaterThan(3);
    List<String> failures = new ArrayList<>();
    double maxDelta = 0;
    long values = 0;
    for (JsonNode c : scored) {
      double[][][] signals = Recipe.build(c.path("input"));
      BssEval.Result r = BssEval.evaluate(signals[0], signals[1]);
      assertThat(r.scored()).as("%s: %s", c.path("name").asText(), r.degenerate()).isTrue();
      JsonNode e = c.path("expected");
      for (int j = 0; j < r.sources().size(); j++) {
        BssEval.SourceScores s = r.sources().get(j);
        double[] actual = {s.sdr(), s.sir(), s.sar()};
        String[] keys = {"sdr", "sir", "sar"};
        for (int m = 0; m < 3; m++) {
          double expected = number(e.path(keys[m]).get(j));
          values++;
          boolean same = Double.isInfinite(expected) ? expected == actual[m]
              : Math.abs(expected - actual[m]) <= TOLERANCE_DB;
          if (!same) {
            failures.add(String.format(Locale.ROOT, "%s source %d %s: mir_eval %.9f, Timbre %.9f",
                c.path("name").asText(), j, keys[m], expected, actual[m]));
          } else if (!Double.isInfinite(expected)) {
            maxDelta = Math.max(maxDelta, Math.abs(expected - actual[m]));
          }
        }
      }
    }
    Path out = Path.of("target", "separation-differential.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, String.format(Locale.ROOT, "| reference | signal sets | values compared | max |Δ| dB |%n"
        + "|---|---:|---:|---:|%n| %s | %d | %d | %.1e |%n", BssEval.DEFINITION, scored.size(), values, maxDelta));
    assertThat(failures).as("figures further than %s dB from mir_eval", TOLERANCE_DB).isEmpty();
  }

  @Test
  void tracksMirEvalRefusesAreReportedAsDegenerate() throws IOException {
    List<JsonNode> refused = load().stream().filter(c -> c.path("expected").has("error")).toList();
    assertThat(refused).hasSize(2);
    for (JsonNode c : refused) {
      double[][][] signals = Recipe.build(c.path("input"));
      BssEval.Result r = BssEval.evaluate(signals[0], signals[1]);
      assertThat(r.scored()).isFalse();
      assertThat(r.degenerate()).contains("silent");
      assertThat(r.sources()).allSatisfy(s -> assertThat(s.sdr()).isNaN());
    }
  }

  private static double number(JsonNode n) {
    return n.isTextual() ? Double.parseDouble(n.asText()) : n.asDouble();
  }

  private static List<JsonNode> load() throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (InputStream in = BssEvalDifferentialTest.class.getResourceAsStream(CASES)) {
      assertThat(in).as("%s on the test classpath", CASES).isNotNull();
      BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        out.add(JSON.readTree(line));
      }
    }
    return out;
  }

  /** generate.py's recipe, operation for operation. */
  static final class Recipe {
    private int state;

    private Recipe(long seed) {
      state = (int) seed == 0 ? 1 : (int) seed;
    }

    private double u() {
      int s = state;
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      state = s;
      return Integer.toUnsignedLong(s) / 4294967296.0;
    }

    private double noise() {
      return u() + u() + u() + u() - 2.0;
    }

    /** {reference, estimated}, each sources × samples. */
    static double[][][] build(JsonNode in) {
      Recipe rng = new Recipe(in.path("seed").asLong());
      int n = in.path("samples").asInt();
      JsonNode sources = in.path("sources");
      double[][] refs = new double[sources.size()][n];
      for (int k = 0; k < sources.size(); k++) {
        JsonNode src = sources.get(k);
        double ar = src.path("ar").asDouble();
        double gain = src.path("gain").asDouble();
        double amp = src.path("amp").asDouble();
        double freq = src.path("freq").asDouble();
        double phase = src.path("phase").asDouble();
        double y = 0;
        for (int t = 0; t < n; t++) {
          y = rng.noise() + ar * y;
          refs[k][t] = gain * (y + amp * StrictMath.sin(2 * Math.PI * freq * t / 8000 + phase));
        }
      }
      JsonNode estimates = in.path("estimates");
      double[][] ests = new double[estimates.size()][n];
      for (int j = 0; j < estimates.size(); j++) {
        JsonNode e = estimates.get(j);
        JsonNode mix = e.path("mix");
        JsonNode taps = e.path("taps");
        double artefact = e.path("artefact").asDouble();
        for (int t = 0; t < n; t++) {
          double v = 0;
          for (int k = 0; k < mix.size(); k++) {
            v += mix.get(k).asDouble() * refs[k][t];
          }
          for (int m = 0; m < taps.size(); m++) {
            if (t - m >= 0) {
              v += taps.get(m).asDouble() * refs[j][t - m];
            }
          }
          v += artefact * rng.noise();
          ests[j][t] = v;
        }
      }
      return new double[][][] {refs, ests};
    }
  }
}
