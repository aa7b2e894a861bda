package io.timbre.predict;

import static org.assertj.core.api.Assertions.assertThat;

import io.timbre.datasets.ClipRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioInputsTest {
  @Test
  void aFileListedUnderSeveralSpellingsIsOneClipUnderItsFirstSpelling(@TempDir Path tmp) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("in/cel"));
    Path a = Files.write(dir.resolve("a.wav"), new byte[44]);
    Files.write(dir.resolve("b.wav"), new byte[44]);
    Files.writeString(tmp.resolve("in/list.txt"), String.join("\n",
        "cel/a.wav", a.toString(), a.toUri().toString(), "file://" + a, "./cel/a.wav", "cel/../cel/a.wav",
        "cel/b.wav", "cel/b.wav", "cel/missing.wav", "./cel/missing.wav"));

    AudioInputs.Listing l = AudioInputs.list(tmp.resolve("in/list.txt").toString(), new Configuration());

    assertThat(l.clips()).extracting(ClipRef::id).containsExactly("cel/a.wav", "cel/b.wav", "cel/missing.wav");
    assertThat(l.clips()).allSatisfy(c -> assertThat(c.audioPaths().get(0)).startsWith("file:/"));
    assertThat(l.clips().get(0).sizeBytes()).isEqualTo(44);
  }
}
