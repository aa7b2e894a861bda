package io.timbre.featurize;

import static org.assertj.core.api.Assertions.assertThat;

import io.timbre.audio.TestSignals;
import io.timbre.features.FeatureExtractor;
import io.timbre.features.FeatureKind;
import io.timbre.features.FeatureMatrix;
import io.timbre.features.FeatureSpec;
import io.timbre.features.TopDbUnit;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SegmenterTest {
  @ParameterizedTest(name = "{0} unit={1} deltas={2} seg={3}s hop={4}s")
  @CsvSource({"logmel,clip,0,1.0,1.0", "mfcc,clip,0,0.5,0.25", "mfcc,clip,2,1.0,1.0", "logmel,segment,0,1.0,0.5",
      "mfcc,segment,1,1.0,1.0", "stft,clip,0,0.5,0.5"})
  void segmentsAreTheClipFeaturesCutByTheRule(String kind, String unit, int deltas, double seg, double hop) {
    FeatureSpec spec = FeatureSpec.builder().kind(FeatureKind.fromId(kind)).nMels(32).nMfcc(13).nFft(1024)
        .hopLength(256).deltaOrder(deltas).topDbUnit(TopDbUnit.fromId(unit)).segmentSeconds(seg)
        .segmentHopSeconds(hop).build();
    float[] y = TestSignals.music(22050, 3.3, 4);
    FeatureExtractor fx = new FeatureExtractor(spec);
    FeatureExtractor.Intermediate m = fx.intermediate(y);
    Segmenter s = new Segmenter(spec);
    List<Segment> segments = s.segments(fx, m, null, 0);
    int len = s.segmentFrames();
    int[] starts = s.starts(m.frames());
    assertThat(segments).hasSize(starts.length);
    FeatureMatrix whole = fx.extract(y);
    for (Segment g : segments) {
      assertThat(g.frames()).isEqualTo(len);
      int valid = Math.min(len, m.frames() - g.startFrame());
      assertThat(g.validFrames()).isEqualTo(valid);
      if (unit.equals("clip")) {
        // Within the clip, a clip-unit segment is exactly the whole-clip features' rows.
        for (int t = 0; t < valid; t++) {
          for (int b = 0; b < g.bins(); b++) {
            assertThat((double) g.features()[t * g.bins() + b]).isCloseTo(whole.get(g.startFrame() + t, b),
                org.assertj.core.data.Offset.offset(deltas > 0 ? 1e-3 : 1e-4));
          }
        }
      } else {
        FeatureMatrix own = fx.complete(m, g.startFrame(), g.startFrame() + valid);
        float[] expected = own.toFloatArray();
        assertThat(Arrays.copyOf(g.features(), valid * g.bins())).containsExactly(expected);
      }
    }
    // The rule: last kept segment has at least half a segment of audio.
    Segment last = segments.get(segments.size() - 1);
    assertThat(2 * last.validFrames()).isGreaterThanOrEqualTo(len);
  }
}
