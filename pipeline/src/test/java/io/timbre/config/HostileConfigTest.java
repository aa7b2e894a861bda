package io.timbre.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timbre.features.FeatureSpec;
import io.timbre.ingest.IngestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Specs and job configs a hostile or careless user writes are refused with the key named, never half-accepted. */
class HostileConfigTest {
  @Test
  void fractionalIntegersAreNotTruncated() {
    assertThatThrownBy(() -> FeatureSpec.parse("kind = logmel\nn_mels = 64.5\n"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n_mels must be a whole number: 64.5");
    assertThatThrownBy(() -> FeatureSpec.parse("hop_length = 511.9\n"))
        .hasMessageContaining("hop_length must be a whole number");
  }

  @Test
  void absurdSegmentLengthsAreRefusedBeforeAnyAudioIsRead() {
    assertThatThrownBy(() -> FeatureSpec.parse("segment_seconds = 1e12\n"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("segment_seconds must be in [0, 3600");
    assertThatThrownBy(() -> FeatureSpec.parse("segment_seconds = 1.0\nsegment_hop_seconds = 1e12\n"))
        .hasMessageContaining("segment_hop_seconds must be in (0, 3600");
  }

  @Test
  void aMisspeltSectionIsAnError(@TempDir Path tmp) throws Exception {
    Path conf = tmp.resolve("x.conf");
    Files.writeString(conf, "timbre { trian { epochs = 3 } }\n");
    assertThatThrownBy(() -> JobConfig.load(conf.toFile())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown section 'timbre.trian'").hasMessageContaining(conf.toString());
    Files.writeString(conf, "timbr { ingest { seed = 1 } }\n");
    assertThatThrownBy(() -> JobConfig.load(conf.toFile())).hasMessageContaining("unknown top-level key 'timbr'");
  }

  @Test
  void ingestSharesAndPartitionsMustMakeSense() {
    FeatureSpec spec = FeatureSpec.defaults();
    assertThatThrownBy(() -> new IngestOptions("irmas", "in", "out", spec, false, -0.5, 0.15, 0, 0, 50, Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("validation (-0.5)");
    assertThatThrownBy(() -> new IngestOptions("irmas", "in", "out", spec, false, 0.6, 0.5, 0, 0, 50, Map.of()))
        .hasMessageContaining("validation + test < 1");
    assertThatThrownBy(() -> new IngestOptions("irmas", "in", "out", spec, false, 0.15, 0.15, 0, -5, 50, Map.of()))
        .hasMessageContaining("partitions must be >= 0");
  }

  @Test
  void knownSectionsStillLoad(@TempDir Path tmp) throws Exception {
    Path conf = tmp.resolve("ok.conf");
    Files.writeString(conf, "timbre { ingest { seed = 1 }, spark { \"spark.x\" = 1 } }\n");
    JobConfig.load(conf.toFile()).section("ingest", Set.of("seed"));
  }
}
