package io.timbre.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's "A one-machine standalone cluster", copied as written: the recipe block (master and two workers) and the
 * pipeline block after it run in one bash, from the repository's root, with {@code SPARK_HOME} pointing at the test
 * distribution and {@code OUT} at a temporary folder; nothing else is changed.
 */
class ReadmeClusterIT {
  static final String RECIPE = "<!-- cluster-recipe";
  static final String PIPELINE = "<!-- cluster-pipeline";

  @TempDir Path tmp;

  /** The first ```bash block after the line that starts with {@code marker}. */
  static String block(List<String> readme, String marker) {
    int i = 0;
    while (i < readme.size() && !readme.get(i).startsWith(marker)) {
      i++;
    }
    SparkHome.check(i < readme.size(), "README.md has no " + marker + " marker");
    while (!readme.get(i).equals("```bash")) {
      i++;
    }
    List<String> lines = new ArrayList<>();
    for (i++; !readme.get(i).equals("```"); i++) {
      lines.add(readme.get(i));
    }
    return String.join("\n", lines);
  }

  @Test
  void theReadmesClusterCommandsRunAsWritten() throws Exception {
    SparkHome spark = SparkHome.fromBuild();
    List<String> readme = Files.readAllLines(spark.repo.resolve("README.md"));
    Path out = tmp.resolve("timbre-cluster");
    String script = "set -euo pipefail\n"
        // The README says to stop the cluster with kill %1 %2 %3; the test does it whatever happens.
        + "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n"
        + block(readme, RECIPE) + "\n" + block(readme, PIPELINE) + "\n";
    Path file = Files.writeString(tmp.resolve("readme-cluster.sh"), script);
    Path log = tmp.resolve("readme-cluster.log");
    ProcessBuilder pb = new ProcessBuilder("bash", file.toString()).directory(spark.repo.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    spark.environment(pb.environment());
    pb.environment().put("OUT", out.toString());
    Process p = pb.start();
    if (!p.waitFor(900, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new IllegalStateException("README's cluster commands ran over 900 s:\n" + SparkHome.tail(log));
    }
    assertThat(p.exitValue()).as("exit code of README's cluster commands; log:%n%s", SparkHome.tail(log)).isZero();
    assertThat(out.resolve("aliases/irmas-cnn/champion.json")).isNotEmptyFile();
    assertThat(new ObjectMapper().readTree(out.resolve("aliases/irmas-cnn/champion.json").toFile())
        .path("run_id").asText()).isEqualTo("first");
    assertThat(out.resolve("predictions/_provenance.json")).isNotEmptyFile();
    assertThat(Files.readString(log)).contains("clips scored, 0 quarantined");
    assertThat(Files.readString(out.resolve("master.log"))).contains("Registered app");
    assertNoClusterLeft();
  }

  /** The master and workers of the recipe are gone (the EXIT trap), so they hold no ports for other tests. */
  static void assertNoClusterLeft() throws IOException, InterruptedException {
    long end = System.nanoTime() + 30_000_000_000L;
    while (ProcessHandle.allProcesses().anyMatch(ReadmeClusterIT::recipeDaemon)) {
      SparkHome.check(System.nanoTime() < end, "The README's master or workers are still running");
      Thread.sleep(200);
    }
  }

  private static boolean recipeDaemon(ProcessHandle p) {
    String cmd = p.info().commandLine().orElse("");
    return cmd.contains("org.apache.spark.deploy.master.Master --host 127.0.0.1 --port 7077")
        || cmd.contains("org.apache.spark.deploy.worker.Worker") && cmd.contains("spark://127.0.0.1:7077");
  }
}
