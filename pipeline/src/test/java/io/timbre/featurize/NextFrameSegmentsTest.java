package io.timbre.featurize;

import static org.assertj.core.api.Assertions.assertThat;

import io.timbre.features.FeatureKind;
import io.timbre.features.FeatureSpec;
import io.timbre.generation.FrameRepresentation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A generation table's segments: every example's target is the frame after it, padding is outside valid frames. */
class NextFrameSegmentsTest {
  @Test
  void eachTargetIsTheNextFrameAndTheLastFrameHasNoExample() {
    // 10-frame segments (0.16 s at hop 128 / 8 kHz).
    FeatureSpec spec = FeatureSpec.builder().kind(FeatureKind.STFT).power(1.0).sampleRate(8000).nFft(256)
        .hopLength(128).topDb(null).segmentSeconds(0.16).segmentHopSeconds(0.16).build();
    int width = 4;
    int frames = 25;
    float[] encoded = new float[frames * width];
    for (int i = 0; i < encoded.length; i++) {
      encoded[i] = i;
    }
    List<Segment> segments = new Segmenter(spec).nextFrameSegments(encoded, frames, width);
    // 24 examples: full segments at 0 and 10; the 4 examples left are under half a segment, so they are dropped.
    assertThat(segments).extracting(Segment::startFrame).containsExactly(0, 10);
    for (Segment s : segments) {
      assertThat(s.bins()).isEqualTo(width);
      for (int t = 0; t < s.validFrames(); t++) {
        for (int c = 0; c < width; c++) {
          assertThat(s.frameTargets()[t * width + c]).isEqualTo(encoded[(s.startFrame() + t + 1) * width + c]);
          assertThat(s.features()[t * width + c]).isEqualTo(encoded[(s.startFrame() + t) * width + c]);
        }
      }
    }
    List<Segment> shortClip = new Segmenter(spec).nextFrameSegments(encoded, 7, width);
    assertThat(shortClip).hasSize(1);
    assertThat(shortClip.get(0).validFrames()).isEqualTo(6);
    assertThat(shortClip.get(0).frameTargets()[6 * width]).isZero();
  }

  @Test
  void theRepresentationTravelsInTheChannelName() {
    FrameTargets t = FrameTargets.generation(FrameRepresentation.MAGNITUDE_PHASE_ADVANCE);
    assertThat(t.channels()).containsExactly("next_magnitude_phase_advance");
    assertThat(FrameRepresentation.ofChannels(t.channels())).isEqualTo(FrameRepresentation.MAGNITUDE_PHASE_ADVANCE);
    assertThat(FrameRepresentation.ofChannels(List.of("HH", "KD"))).isNull();
    assertThat(t.width(258)).isEqualTo(258);
  }
}
