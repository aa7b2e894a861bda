package io.timbre.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @Test
  void replacesCompletelyAndAFailedWriteLeavesTheOldVersion(@TempDir Path tmp) throws Exception {
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(tmp.resolve("f.json").toUri());
    Configuration conf = new Configuration();
    AtomicFiles.write(target, conf, "one".getBytes());
    AtomicFiles.write(target, conf, "two".getBytes());
    assertThat(Files.readString(tmp.resolve("f.json"))).isEqualTo("two");
    assertThatThrownBy(() -> AtomicFiles.write(target, conf, out -> {
      out.write("half".getBytes());
      throw new IOException("disk gone");
    })).hasMessageContaining("disk gone");
    assertThat(Files.readString(tmp.resolve("f.json"))).isEqualTo("two");
    try (var files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp"))).isEmpty();
    }
  }
}
