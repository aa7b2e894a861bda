package io.timbre.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class OnsetCountsTest {
  @Test
  void matchesWithinToleranceOneToOne() {
    // mir_eval.onset.f_measure([10, 20, 30], [9, 11, 31, 50], window=2 frames): 2 matches (9 or 11 → 10, 31 → 30).
    OnsetCounts c = OnsetCounts.match(new int[] {10, 20, 30}, new int[] {9, 11, 31, 50}, 2);
    assertThat(c).isEqualTo(new OnsetCounts(2, 2, 1));
    assertThat(c.precision()).isEqualTo(0.5);
    assertThat(c.recall()).isCloseTo(2 / 3.0, within(1e-12));
    assertThat(c.f1()).isCloseTo(2 * 0.5 * (2 / 3.0) / (0.5 + 2 / 3.0), within(1e-12));
  }

  @Test
  void greedyInTimeOrderFindsTheMaximumMatching() {
    // Reference 10 could take 12, leaving 14 unmatched; in time order 10 → 8, 13 → 12... maximum is 2.
    assertThat(OnsetCounts.match(new int[] {10, 13}, new int[] {8, 12}, 2).truePositives()).isEqualTo(2);
    assertThat(OnsetCounts.match(new int[] {10, 11}, new int[] {10}, 2).truePositives()).isEqualTo(1);
    assertThat(OnsetCounts.match(new int[] {}, new int[] {}, 2).f1()).isZero();
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
