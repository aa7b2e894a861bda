package io.timbre.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class OnsetCountsTest {
  @Test
  void matchesWithinToleranceOneToOne() {
    // mir_eval.onset.f_measure([1.0, 2.0, 3.0], [0.99, 1.01, 3.01, 5.0]): 2 pairs (0.99 or 1.01 with 1.0, 3.01 with 3.0).
    OnsetCounts c = OnsetCounts.match(new double[] {1.0, 2.0, 3.0}, new double[] {0.99, 1.01, 3.01, 5.0}, 0.05);
    assertThat(c).isEqualTo(new OnsetCounts(2, 2, 1));
    assertThat(c.precision()).isEqualTo(0.5);
    assertThat(c.recall()).isCloseTo(2 / 3.0, within(1e-12));
    assertThat(c.f1()).isCloseTo(2 * 0.5 * (2 / 3.0) / (0.5 + 2 / 3.0), within(1e-12));
  }

  @Test
  void greedyInTimeOrderFindsTheMaximumMatching() {
    // 0.12 could pair with 0.10 and leave 0.13 alone; the maximum pairs 0.08–0.10 and 0.12–0.13.
    assertThat(OnsetCounts.match(new double[] {0.10, 0.13}, new double[] {0.08, 0.12}, 0.02).truePositives())
        .isEqualTo(2);
    assertThat(OnsetCounts.match(new double[] {0.10, 0.11}, new double[] {0.10}, 0.02).truePositives()).isEqualTo(1);
    assertThat(OnsetCounts.match(new double[] {}, new double[] {}, 0.05).f1()).isZero();
  }

  @Test
  void theWindowIsInSecondsNotRoundedToFrames() {
    // At 22050 / 128 frames/s, round(0.05 × rate) = 9 frames = 52.2 ms; mir_eval's window is 50 ms.
    double rate = 22050 / 128.0;
    double[] ref = OnsetCounts.seconds(new int[] {100}, 0, rate);
    assertThat(OnsetCounts.match(ref, OnsetCounts.seconds(new int[] {109}, 0, rate), 0.05).truePositives()).isZero();
    assertThat(OnsetCounts.match(ref, OnsetCounts.seconds(new int[] {108}, 0, rate), 0.05).truePositives()).isOne();
  }

  @Test
  void unsortedOnsetsAreATypedError() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> OnsetCounts.match(new double[] {0.2, 0.1},
        new double[] {}, 0.05)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reference onset times must be finite and ascending, index 1");
  }

  @Test
  void peakPickingTakesLocalMaximaAboveThreshold() {
    float[] a = {0.1f, 0.7f, 0.6f, 0.2f, 0.9f, 0.9f, 0.1f, 0.4f};
    assertThat(OnsetCounts.peaks(a, 1, 0, a.length, 0.5)).containsExactly(1, 4);
  }

  @Test
  void melodyCountsFollowMirEvalDefinitions() {
    MelodyCounts m = MelodyCounts.ZERO
        .add(5, true, 5)    // voiced, right pitch, voiced estimate
        .add(5, false, 5)   // voiced, right pitch, but estimate says unvoiced: counts for raw pitch only
        .add(6, true, 7)    // wrong pitch
        .add(0, true, 3)    // false alarm
        .add(0, false, 3);  // correct unvoiced
    assertThat(m.rawPitchAccuracy()).isCloseTo(2 / 3.0, within(1e-12));
    assertThat(m.overallAccuracy()).isCloseTo(2 / 5.0, within(1e-12));
    assertThat(m.voicingRecall()).isCloseTo(2 / 3.0, within(1e-12));
    assertThat(m.voicingFalseAlarm()).isEqualTo(0.5);
  }
}
