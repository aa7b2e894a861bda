package io.timbre.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timbre.util.JsonDocument;
import org.junit.jupiter.api.Test;

/** The generated WAV's provenance document and the request's guards. */
class GeneratedAudioTest {
  private static GeneratedAudio sample(double peak, double gain, double rms) {
    return new GeneratedAudio("out/x.wav", "runs/g/r1", "seed.wav", 0.5, 2.0, 0.1, 7, 8000, 16000, 40, 127, 3,
        "magnitude_phase_advance", peak, gain, rms, "abc123", "2026-12-06T00:00:00Z");
  }

  @Test
  void roundTripsIncludingDigitalSilence() {
    for (GeneratedAudio g : new GeneratedAudio[] {sample(-7.5, 6.5, -20.1),
        sample(Double.NEGATIVE_INFINITY, 0, Double.NEGATIVE_INFINITY)}) {
      GeneratedAudio back = GeneratedAudio.parse(JsonDocument.of(g.toJson(), "x.wav.json"));
      assertThat(back).isEqualTo(g);
      assertThat(back.silent()).isEqualTo(Double.isInfinite(g.peakBeforeDbfs()));
    }
    assertThat(sample(Double.NEGATIVE_INFINITY, 0, Double.NEGATIVE_INFINITY).toJson().has("peak_before_dbfs"))
        .isFalse();
    assertThat(sample(-7.5, 6.5, -20.1).toString()).contains("gain +6.5 dB", "raw peak -7.5 dBFS");
  }

  @Test
  void aDocumentOfAnotherFormatIsRefused() {
    var json = sample(-1, 0, -3).toJson().put("format", "timbre-generated-audio/9");
    assertThatThrownBy(() -> GeneratedAudio.parse(JsonDocument.of(json, "x.wav.json")))
        .hasMessageContaining("x.wav.json");
  }

  @Test
  void badRequestsAreRefusedNamingTheOption() {
    assertThatThrownBy(() -> new GenerateRequest("r", "s.wav", 0, 0, "o.wav", 0, 0)).hasMessageContaining("--seconds");
    assertThatThrownBy(() -> new GenerateRequest("r", "s.wav", 0, 1, "o.wav", -1, 0))
        .hasMessageContaining("--temperature");
    assertThatThrownBy(() -> new GenerateRequest("r", "s.wav", 0, 1, "o.mp3", 0, 0)).hasMessageContaining("--out");
    assertThatThrownBy(() -> new GenerateRequest("r", "s.wav", -1, 1, "o.wav", 0, 0))
        .hasMessageContaining("--seed-seconds");
  }
}
