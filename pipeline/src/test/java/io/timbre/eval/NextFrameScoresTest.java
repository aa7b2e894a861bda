package io.timbre.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.timbre.generation.FrameRepresentation;
import io.timbre.model.Normalizer;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The next-frame metrics and their baselines, against sums worked out by hand. */
class NextFrameScoresTest {
  @Test
  void modelRepeatLastAndMeanFrameErrorsOnTheSameFrames() {
    // One bin: frames of 2 values (re, im); identity standardisation, so standardised = raw.
    Normalizer identity = new Normalizer(new float[] {0, 0}, new float[] {1, 1});
    // Two valid steps: current then next frame per step.
    float[] truth = {1, 0, 0, 1, /* step 2 */ 0, 1, -1, 0};
    // Outputs are changes from the current frame, [value][step] with 3 steps (the third padding).
    float[] output = {-1, -1, 9, /* im */ 1, -1, 9};
    NextFrameScores s = NextFrameScores.of(truth, 2, output, 3, identity, FrameRepresentation.REAL_IMAG);
    // Predictions: (1,0)+(-1,1) = (0,1) exact; (0,1)+(-1,-1) = (-1,0) exact.
    assertThat(s.modelSquares()).isZero();
    // Repeat-last: |(1,0)-(0,1)|^2 + |(0,1)-(-1,0)|^2 = 2 + 2.
    assertThat(s.repeatSquares()).isEqualTo(4.0);
    // Mean frame (0,0): |(0,1)|^2 + |(-1,0)|^2.
    assertThat(s.meanSquares()).isEqualTo(2.0);
    Map<String, Double> m = s.plus(NextFrameScores.ZERO).metrics();
    assertThat(m.get("next_frame_mse")).isZero();
    assertThat(m.get("repeat_last_mse")).isEqualTo(1.0);
    assertThat(m.get("mean_frame_mse")).isEqualTo(0.5);
    assertThat(m.get("mse_reduction_vs_repeat_last")).isEqualTo(1.0);
    assertThat(m.get("frames")).isEqualTo(2.0);
    // Same power |X|^2 = 1 everywhere for model and repeat-last: LSD 0; the mean frame is floored at 1e-10: 100 dB.
    assertThat(m.get("log_spectral_distance_db")).isZero();
    assertThat(m.get("repeat_last_log_spectral_distance_db")).isZero();
    assertThat(m.get("mean_frame_log_spectral_distance_db")).isCloseTo(100.0, Offset.offset(1e-9));
  }

  @Test
  void magnitudeFramesAreDecodedFromTheirLogarithm() {
    Normalizer n = new Normalizer(new float[] {0, 0}, new float[] {2, 1});
    // Standardised log magnitude z: ln(m + 1e-5) = 2z.
    double[] p = NextFrameScores.power(new float[] {1, 0.5f}, n, FrameRepresentation.MAGNITUDE_PHASE_ADVANCE, 1);
    double m = Math.exp(2) - FrameRepresentation.MAGNITUDE_FLOOR;
    assertThat(p[0]).isCloseTo(m * m, Offset.offset(1e-9));
  }
}
