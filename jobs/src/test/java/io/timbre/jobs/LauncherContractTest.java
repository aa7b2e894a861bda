package io.timbre.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps the launcher, CI and README in step with the build. */
class LauncherContractTest {
  private static final Path ROOT = Path.of(System.getProperty("timbre.repo.root", "..")).toAbsolutePath();

  @Test
  void launcherFlagsEqualTheBuildsJvmFlags() throws IOException {
    List<String> file = Files.readAllLines(ROOT.resolve("conf/jvm-flags.txt")).stream()
        .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    List<String> pom = Arrays.asList(System.getProperty("timbre.jvm.flags").trim().split("\\s+"));
    assertThat(file).containsExactlyElementsOf(pom);
  }

  @Test
  void ciRunsExactlyTheReadmesTestCommand() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    List<String> ci = Files.readAllLines(ROOT.resolve(".ci/run"));
    String testLine = ci.get(ci.size() - 1).trim();
    assertThat(testLine).isEqualTo("mvn -B verify");
    assertThat(readme).contains("\n" + testLine + "\n");
    assertThat(readme).contains("\n./timbre demo\n");
    assertThat(Files.isExecutable(ROOT.resolve("timbre"))).isTrue();
  }
}
