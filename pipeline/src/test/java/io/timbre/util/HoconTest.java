package io.timbre.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigException;
import io.timbre.features.FeatureSpec;
import io.timbre.train.Experiment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HoconTest {
  @Test
  void everyFormOfIncludeIsRefusedAndNothingIsRead(@TempDir Path tmp) throws Exception {
    Path secret = Files.writeString(tmp.resolve("secret.conf"), "n_mels = 13");
    for (String include : new String[] {"include \"" + secret + "\"", "include file(\"" + secret + "\")",
        "include url(\"" + secret.toUri() + "\")", "include url(\"http://127.0.0.1:9/x.conf\")",
        "include classpath(\"reference.conf\")", "include required(file(\"" + secret + "\"))"}) {
      assertThatThrownBy(() -> Hocon.parseStandalone(include + "\nhop_length = 256", "spec.conf"))
          .as(include).isInstanceOf(ConfigException.class).hasMessageContaining("spec.conf")
          .hasMessageContaining("is not allowed here");
      assertThatThrownBy(() -> FeatureSpec.parse(include)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not allowed here");
      assertThatThrownBy(() -> Experiment.parseText(include, "s3a://bucket/exp.conf"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("s3a://bucket/exp.conf")
          .hasMessageContaining("is not allowed here");
    }
  }

  @Test
  void textWithoutIncludesParsesWithSubstitutions() {
    assertThat(Hocon.parseStandalone("a = 3\nb = ${a}", "x").getInt("b")).isEqualTo(3);
  }
}
