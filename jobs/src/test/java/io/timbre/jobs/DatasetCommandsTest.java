package io.timbre.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.timbre.datasets.catalog.Datasets;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCommandsTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Timbre.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void makeSampleDataWritesEveryDatasetAndItsReaderAcceptsAllOfIt(@TempDir Path tmp) {
    for (String name : Datasets.NAMES) {
      if (name.equals("idmt-effects") || name.equals("irmas")) {
        continue; // the two largest: covered by their reader tests; this test checks the command's wiring
      }
      assertThat(run("make-sample-data", "--dataset", name, "--out", tmp.resolve(name).toString(),
          "--clips-per-class", "2", "--seed", "3")).as("%s: %s", name, err).isZero();
      assertThat(out.toString()).contains("wrote ", name + " at ", ", 0 quarantined");
    }
  }

  @Test
  void listDatasetPrintsSplitsAndEveryQuarantinedFile(@TempDir Path tmp) throws IOException {
    Path root = tmp.resolve("irmas");
    assertThat(run("make-sample-data", "--dataset", "irmas", "--out", root.toString(), "--clips-per-class", "1"))
        .isZero();
    Files.write(root.resolve("IRMAS-TrainingData/voi/[voi][pop_roc]9999__1.wav"), new byte[10]);
    out.getBuffer().setLength(0);
    assertThat(run("list-dataset", "--dataset", "irmas", "--input", root.toString(), "--validation", "0.3"))
        .isZero();
    assertThat(out.toString()).contains("train:", "validation:", "test:", "1 quarantined",
        "quarantined [DECODE/NOT_WAVE]", "[voi][pop_roc]9999__1.wav");
  }

  @Test
  void aNewlineOrEscapeInAFileNameStaysInsideItsOneConsoleLine(@TempDir Path tmp) throws IOException {
    Path root = tmp.resolve("irmas");
    assertThat(run("make-sample-data", "--dataset", "irmas", "--out", root.toString(), "--clips-per-class", "1"))
        .isZero();
    Files.write(root.resolve("IRMAS-TrainingData/voi/[voi][pop_roc]99\nquarantined [FAKE:OK] x\u001b[2J__1.wav"),
        new byte[10]);
    out.getBuffer().setLength(0);
    assertThat(run("list-dataset", "--dataset", "irmas", "--input", root.toString())).isZero();
    assertThat(out.toString().lines().filter(l -> l.contains("quarantined ["))).singleElement().asString()
        .contains("[voi][pop_roc]99\\nquarantined [FAKE:OK] x\\x1b[2J__1.wav");
    assertThat(out.toString()).doesNotContain("\u001b");

    Path wav = root.resolve("IRMAS-TrainingData/voi/[voi][pop_roc]99\nquarantined [FAKE:OK] x\u001b[2J__1.wav");
    assertThat(run("features", wav.toString(), "--out", tmp.resolve("x.npy").toString())).isEqualTo(2);
    assertThat(err.toString().lines()).singleElement().asString().startsWith("timbre features: ")
        .contains("99\\nquarantined").endsWith("not a RIFF/WAVE file: no 'RIFF' magic; the file starts with binary data");
  }

  @Test
  void badArgumentsAreOneClearLine(@TempDir Path tmp) throws IOException {
    assertThat(run("make-sample-data", "--dataset", "gtzan", "--out", tmp.resolve("x").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("unknown dataset 'gtzan'", "irmas");
    Files.createDirectories(tmp.resolve("full"));
    Files.writeString(tmp.resolve("full/file.txt"), "x");
    assertThat(run("make-sample-data", "--dataset", "irmas", "--out", tmp.resolve("full").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("is not empty");
  }

  @Test
  void listingARootWithoutTheLayoutIsAJobLevelError(@TempDir Path tmp) {
    assertThat(run("list-dataset", "--dataset", "medleydb", "--input", tmp.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("Cannot read MedleyDB: no Audio/ folder");
  }

  /** A full disk is one line naming what could not be written, and nothing is published. */
  @Test
  void aFullDiskIsOneClearLine(@TempDir Path tmp) {
    assertThat(run("make-sample-data", "--dataset", "irmas", "--out", tmp.resolve("in").toString(),
        "--clips-per-class", "1")).as("%s", err).isZero();
    err.getBuffer().setLength(0);
    int code = run("ingest", "--dataset", "irmas", "--input", tmp.resolve("in").toString(), "--output",
        tmp.resolve("tables").toString(), "--master", "local[1]",
        "--hadoop", "fs.file.impl=io.timbre.table.FailingLocalFileSystem",
        "--hadoop", "fs.file.impl.disable.cache=true",
        "--hadoop", "timbre.test.fail-create=.*/segments/_temporary/.*part-.*");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString().strip().lines()).singleElement().asString()
        .startsWith("timbre ingest: no space left on device: No space left on device (injected at file:")
        .contains("/segments/");
    assertThat(tmp.resolve("tables/irmas")).isDirectory();
    try (var s = java.nio.file.Files.list(tmp.resolve("tables/irmas"))) {
      assertThat(s.toList()).allSatisfy(t -> assertThat(t.resolve("_current.json")).doesNotExist());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
