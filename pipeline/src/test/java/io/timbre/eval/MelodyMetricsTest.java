package io.timbre.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** mir_eval's documented melody behaviour on hand-worked series (10 ms grids, so no interpolation effects). */
class MelodyMetricsTest {
  static double[] times(int n) {
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = i * 0.01;
    }
    return t;
  }

  static double cents(double hz, double c) {
    return hz * Math.pow(2, c / 1200);
  }

  @Test
  void unvoicedFramesOctaveErrorsAndToleranceEdges() {
    double[] t = times(8);
    //              unv  unv   440  440               440                440   440  440
    double[] ref = {0, 0, 440, 440, 440, 440, 440, 440};
    double[] est = {0, 220, 440, cents(440, 49), cents(440, 51), 880, -440, 0};
    // frame 0: correct unvoiced; 1: false alarm; 2: right; 3: 49 cents → right; 4: 51 cents → wrong pitch;
    // 5: octave error → wrong pitch, right chroma; 6: "unvoiced" with a right pitch guess → raw pitch yes, overall
    // no, voicing miss; 7: unvoiced without a guess → miss.
    MelodyMetrics.Scores s = MelodyMetrics.evaluate(t, ref, t, est);
    assertThat(s.voicingRecall()).isCloseTo(4 / 6.0, within(1e-12));
    assertThat(s.voicingFalseAlarm()).isCloseTo(1 / 2.0, within(1e-12));
    assertThat(s.rawPitchAccuracy()).isCloseTo(3 / 6.0, within(1e-12));
    assertThat(s.rawChromaAccuracy()).isCloseTo(4 / 6.0, within(1e-12));
    assertThat(s.overallAccuracy()).isCloseTo(3 / 8.0, within(1e-12));
  }

  @Test
  void estimatesOnAnotherTimebaseAreResampledLinearly() {
    // Reference on 10 ms, estimate on 20 ms: the 10 ms points in between are interpolated between voiced
    // neighbours, and an unvoiced estimate sample keeps its neighbourhood unvoiced (zero-order hold).
    double[] ref = {440, 440, 440, 440, 440};
    double[] est = {440, 445, 0};
    MelodyMetrics.Scores s = MelodyMetrics.evaluate(times(5), ref, new double[] {0, 0.02, 0.04}, est);
    // Grid 0..0.04: 440, 442.5, 445, 0 (held from 0.02 up to 0.04 is voiced 445? zero-order: 0.03 → sample 0.02 = 445),
    // 0.04 → 0 (unvoiced).
    assertThat(s.rawPitchAccuracy()).isCloseTo(4 / 5.0, within(1e-12));
    assertThat(s.voicingRecall()).isCloseTo(4 / 5.0, within(1e-12));
  }
}
