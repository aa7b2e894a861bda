package io.timbre.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The committed reference values are what mir_eval and scikit-learn give today: runs each reference family's
 * {@code generate.py --check} (the metrics' and BSS Eval's), which regenerates every case and compares it with the
 * {@code cases.jsonl.gz} beside it. Without Python's mir_eval and
 * scikit-learn the test is skipped on a developer's machine and fails under CI ({@code CI=true}), where
 * {@code .ci/run} installs them.
 */
class MetricsReferenceFreshnessTest {
  static final Path REFERENCE = Path.of("src/test/resources/reference");

  @ParameterizedTest
  @ValueSource(strings = {"metrics", "separation"})
  void committedCasesAreWhatTheReferenceLibrariesGive(String family) throws IOException, InterruptedException {
    Path script = REFERENCE.resolve(family).resolve("generate.py");
    String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    boolean available = run(List.of(python, "-c", "import mir_eval, sklearn"), 60).exitCode == 0;
    if (!"true".equals(System.getenv("CI"))) {
      Assumptions.assumeTrue(available, python + " lacks mir_eval or sklearn (apt-get install python3-mir-eval "
          + "python3-sklearn)");
    }
    assertThat(available).as("%s with mir_eval and sklearn (CI installs python3-mir-eval python3-sklearn)", python)
        .isTrue();
    Result r = run(List.of(python, script.toString(), "--check", "--out",
        script.resolveSibling("cases.jsonl.gz").toString()), 600);
    assertThat(r.exitCode).as("generate.py --check:%n%s%nregenerate with: %s %s", r.output, python, script)
        .isZero();
  }

  private record Result(int exitCode, String output) {}

  private static Result run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
    Path log = Files.createTempFile("metrics-reference", ".log");
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out after " + timeoutSeconds + " s");
      }
      return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
