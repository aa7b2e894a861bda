package io.timbre.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job that asked for GPUs never trains on CPUs: it stops before training, naming what is missing. */
class BackendRequirementTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Timbre.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void trainRequiringCudaOnAMachineWithoutItExitsBeforeTraining(@TempDir Path tmp) throws Exception {
    Path experiment = tmp.resolve("x.conf");
    Files.writeString(experiment, "name = needs-gpu\nmodel { architecture = cnn }\n");
    int code = run("train", "--table", tmp.resolve("no-table").toString(), "--model", experiment.toString(),
        "--out", tmp.resolve("runs").toString(), "--require-backend", "cuda", "--master", "local[2]");
    assertThat(code).as("%s", err).isEqualTo(3);
    assertThat(err.toString()).contains("Cannot start: --require-backend cuda, but ND4J loaded another backend",
        "driver on", "executor driver on", ": CPU (CUDA: this jar has no CUDA backend (nd4j-cuda-11.6); build it "
            + "with mvn -Pgpu)");
    assertThat(tmp.resolve("runs")).doesNotExist();
  }

  @Test
  void trainRequiringTheCpuBackendGetsPastTheCheck(@TempDir Path tmp) throws Exception {
    Path experiment = tmp.resolve("x.conf");
    Files.writeString(experiment, "name = cpu-ok\nmodel { architecture = cnn }\n");
    int code = run("train", "--table", tmp.resolve("no-table").toString(), "--model", experiment.toString(),
        "--out", tmp.resolve("runs").toString(), "--require-backend", "cpu", "--master", "local[1]");
    // Past the backend check, the missing table is the next (and clear) failure.
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).doesNotContain("require-backend").contains("no-table");
  }

  @Test
  void doctorReportsTheNodeAndAShortFit() {
    assertThat(run("doctor", "--fit-seconds", "1")).as("%s", err).isZero();
    assertThat(out.toString()).contains("[versions]", "[jvm]", "[nd4j]", "backend                CPU", "blas.vendor",
        "[gpus]", "[cnn fit]", "examples/s");
    out.getBuffer().setLength(0);
    assertThat(run("doctor", "--fit-seconds", "0", "--require-backend", "cuda")).isEqualTo(3);
    assertThat(err.toString()).contains("--require-backend cuda, but ND4J loaded this JVM on");
  }
}
