package io.timbre.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class FeatureSpecTest {
  @Test
  void defaultsAreLibrosas() {
    FeatureSpec s = FeatureSpec.defaults();
    assertThat(s.sampleRate()).isEqualTo(22050);
    assertThat(s.nFft()).isEqualTo(2048);
    assertThat(s.hopLength()).isEqualTo(512);
    assertThat(s.winLength()).isEqualTo(2048);
    assertThat(s.window()).isEqualTo(WindowFunction.HANN);
    assertThat(s.center()).isTrue();
    assertThat(s.padMode()).isEqualTo(PadMode.CONSTANT);
    assertThat(s.power()).isEqualTo(2.0);
    assertThat(s.nMels()).isEqualTo(128);
    assertThat(s.fmin()).isZero();
    assertThat(s.fmax()).isEqualTo(11025.0);
    assertThat(s.melScale()).isEqualTo(MelScale.SLANEY);
    assertThat(s.melNormSlaney()).isTrue();
    assertThat(s.dbRef()).isEqualTo(1.0);
    assertThat(s.dbAmin()).isEqualTo(1e-10);
    assertThat(s.topDb()).isEqualTo(80.0);
    assertThat(s.topDbUnit()).isEqualTo(TopDbUnit.CLIP);
    assertThat(s.nMfcc()).isEqualTo(40);
    assertThat(s.outputBins()).isEqualTo(128);
  }

  @Test
  void canonicalJsonIsSortedCompleteAndItsSha256IsTheId() throws Exception {
    FeatureSpec s = FeatureSpec.defaults();
    String json = s.toJson();
    assertThat(json).startsWith("{\"center\":true,\"db_amin\":1.0E-10,\"db_ref\":1.0,\"delta_order\":0,")
        .contains("\"top_db\":80.0", "\"spec_version\":1", "\"fmax\":11025.0", "\"kind\":\"logmel\"")
        .doesNotContain(" ", "\n");
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(json.getBytes(StandardCharsets.UTF_8)));
    assertThat(s.id()).isEqualTo(sha).hasSize(64);
    assertThat(s.shortId()).isEqualTo(sha.substring(0, 12));
  }

  @Test
  void jsonParsesBackToAnEqualSpecAndEveryFieldChangesTheId() {
    FeatureSpec s = FeatureSpec.builder().kind(FeatureKind.MFCC).sampleRate(16000).nFft(1024).hopLength(256)
        .winLength(800).window(WindowFunction.HAMMING).padMode(PadMode.REFLECT).power(1.0).nMels(64)
        .fmin(30.0).fmax(7600.0).melScale(MelScale.HTK).melNormSlaney(false).dbRef(2.0).dbAmin(1e-5).topDb(null)
        .topDbUnit(TopDbUnit.SEGMENT).nMfcc(13).deltaOrder(2).deltaWidth(7).segmentSeconds(3.0)
        .segmentHopSeconds(1.5).build();
    FeatureSpec back = FeatureSpec.parse(s.toJson());
    assertThat(back).isEqualTo(s);
    assertThat(back.id()).isEqualTo(s.id());
    assertThat(back.toJson()).isEqualTo(s.toJson()).contains("\"top_db\":null");
    // Every setter matters: a spec differing in one field has another id.
    FeatureSpec d = FeatureSpec.defaults();
    assertThat(java.util.List.of(
        d.toBuilder().kind(FeatureKind.MFCC).build(), d.toBuilder().sampleRate(16000).build(),
        d.toBuilder().nFft(1024).build(), d.toBuilder().hopLength(256).build(), d.toBuilder().winLength(1024).build(),
        d.toBuilder().window(WindowFunction.BLACKMAN).build(), d.toBuilder().center(false).build(),
        d.toBuilder().padMode(PadMode.REFLECT).build(), d.toBuilder().power(1.0).build(),
        d.toBuilder().nMels(64).build(), d.toBuilder().fmin(20.0).build(), d.toBuilder().fmax(8000.0).build(),
        d.toBuilder().melScale(MelScale.HTK).build(), d.toBuilder().melNormSlaney(false).build(),
        d.toBuilder().dbRef(2.0).build(), d.toBuilder().dbAmin(1e-8).build(), d.toBuilder().topDb(60.0).build(),
        d.toBuilder().topDbUnit(TopDbUnit.SEGMENT).build(), d.toBuilder().nMfcc(20).build(),
        d.toBuilder().deltaOrder(1).build(), d.toBuilder().deltaWidth(5).build(),
        d.toBuilder().segmentSeconds(1.0).build(), d.toBuilder().segmentSeconds(1.0).segmentHopSeconds(0.5).build())
        .stream().map(FeatureSpec::id)).doesNotContain(d.id()).doesNotHaveDuplicates();
    assertThat(d.toBuilder().build()).isEqualTo(d);
  }

  @Test
  void hoconWithLibrosaNamesAndDefaultsForTheRest() {
    FeatureSpec s = FeatureSpec.parse("kind = mfcc\nsample_rate = 16000\nn_mels = 64 # comment\nn_mfcc = 20\n"
        + "mel_scale = htk\ntop_db = null\n");
    assertThat(s.kind()).isEqualTo(FeatureKind.MFCC);
    assertThat(s.sampleRate()).isEqualTo(16000);
    assertThat(s.fmax()).isEqualTo(8000.0);
    assertThat(s.nMels()).isEqualTo(64);
    assertThat(s.melScale()).isEqualTo(MelScale.HTK);
    assertThat(s.topDb()).isNull();
    assertThat(s.nFft()).isEqualTo(2048);
  }

  @Test
  void badSpecsNameTheKey() {
    assertThatThrownBy(() -> FeatureSpec.parse("n_fft = 2048\nhop = 512"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown key 'hop'")
        .hasMessageContaining("hop_length");
    assertThatThrownBy(() -> FeatureSpec.parse("n_mels = lots"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n_mels");
    assertThatThrownBy(() -> FeatureSpec.parse("kind = chroma"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chroma");
    assertThatThrownBy(() -> FeatureSpec.parse("spec_version = 7"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spec_version 7");
    assertThatThrownBy(() -> FeatureSpec.parse("{ n_fft = "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Cannot parse feature spec");
  }

  @Test
  void inconsistentValuesAreRefused() {
    assertThatThrownBy(() -> FeatureSpec.builder().nFft(1000).winLength(1024).build())
        .hasMessageContaining("win_length");
    assertThatThrownBy(() -> FeatureSpec.builder().nFft(1023).build()).hasMessageContaining("n_fft must be even");
    assertThatThrownBy(() -> FeatureSpec.builder().fmax(20000.0).build()).hasMessageContaining("Nyquist");
    assertThatThrownBy(() -> FeatureSpec.builder().fmin(5000.0).fmax(4000.0).build())
        .hasMessageContaining("fmin");
    assertThatThrownBy(() -> FeatureSpec.builder().nMfcc(200).build()).hasMessageContaining("n_mfcc");
    assertThatThrownBy(() -> FeatureSpec.builder().power(3).build()).hasMessageContaining("power");
    assertThatThrownBy(() -> FeatureSpec.builder().deltaWidth(4).build()).hasMessageContaining("delta_width");
    assertThatThrownBy(() -> FeatureSpec.builder().hopLength(0).build()).hasMessageContaining("hop_length");
  }

  @Test
  void frameCountFollowsLibrosa() {
    FeatureSpec s = FeatureSpec.defaults();
    assertThat(s.frameCount(44100)).isEqualTo(1 + 44100 / 512);
    assertThat(s.frameCount(0)).isEqualTo(1);
    FeatureSpec noCenter = s.toBuilder().center(false).build();
    assertThat(noCenter.frameCount(2047)).isZero();
    assertThat(noCenter.frameCount(2048 + 512 * 3)).isEqualTo(4);
  }
}
