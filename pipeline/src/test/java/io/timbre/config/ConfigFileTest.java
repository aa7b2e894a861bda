package io.timbre.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
  @TempDir Path tmp;

  @AfterEach
  void clear() {
    System.clearProperty("spark.files");
  }

  @Test
  void readsLocalPathsAndFileUris() throws Exception {
    Path f = Files.writeString(tmp.resolve("x.conf"), "name = x\n");
    ConfigFile byPath = ConfigFile.read(f.toString(), new Configuration(), "experiment");
    assertThat(byPath.text()).isEqualTo("name = x\n");
    assertThat(byPath.localFile()).isEqualTo(f.toFile());
    assertThat(ConfigFile.read(f.toUri().toString(), new Configuration(), "experiment").localFile())
        .isEqualTo(f.toFile());
  }

  /** spark-submit --files on standalone or Kubernetes: the driver's working directory does not hold the file. */
  @Test
  void findsABareNameAmongTheFilesShippedWithSparkSubmit() throws Exception {
    Path shipped = Files.writeString(Files.createDirectories(tmp.resolve("on-the-submit-host")).resolve(
        "irmas-cnn-unique-name.conf"), "name = shipped\n");
    System.setProperty("spark.files", "file:/somewhere/else.conf," + shipped.toUri());
    ConfigFile f = ConfigFile.read("irmas-cnn-unique-name.conf", new Configuration(), "experiment");
    assertThat(f.text()).isEqualTo("name = shipped\n");
    assertThat(f.localFile()).isNull();
  }

  @Test
  void namesWhatItCouldNotFind() {
    System.setProperty("spark.files", "file:/somewhere/else.conf");
    assertThatThrownBy(() -> ConfigFile.read("missing-unique-name.conf", new Configuration(), "experiment"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot read experiment: missing-unique-name.conf is not a file, nor a file shipped "
            + "with spark-submit --files (spark.files: file:/somewhere/else.conf)");
    assertThatThrownBy(() -> ConfigFile.read(tmp.resolve("no/such.conf").toString(), new Configuration(), "spec"))
        .hasMessageEndingWith("such.conf is not a file");
  }
}
