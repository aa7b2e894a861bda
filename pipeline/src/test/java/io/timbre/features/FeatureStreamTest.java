package io.timbre.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timbre.audio.TestSignals;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Streaming features equal whole-signal features, whatever the block sizes, edges and options. */
class FeatureStreamTest {
  @ParameterizedTest(name = "{0} {1} center={2} samples={3}")
  @CsvSource({"logmel,constant,true,50000", "mfcc,reflect,true,44100", "stft_db,constant,false,30000",
      "stft,reflect,true,5000", "logmel,reflect,true,700", "mfcc,constant,true,1500", "logmel,constant,true,0",
      "logmel,reflect,true,3", "mfcc,reflect,true,100000"})
  void streamingEqualsWhole(String kind, String pad, boolean center, int samples) {
    FeatureSpec spec = FeatureSpec.builder().kind(FeatureKind.fromId(kind)).padMode(PadMode.fromId(pad))
        .center(center).deltaOrder(kind.equals("mfcc") && samples > 20000 ? 2 : 0).build();
    float[] y = TestSignals.music(22050, samples / 22050.0, 9);
    FeatureExtractor whole = new FeatureExtractor(spec);
    FeatureExtractor.Intermediate expected = whole.intermediate(y);
    FeatureExtractor streamer = new FeatureExtractor(spec);
    FeatureStream s = streamer.stream();
    SplittableRandom rng = new SplittableRandom(samples);
    for (int i = 0; i < y.length; ) {
      int len = Math.min(y.length - i, 1 + rng.nextInt(rng.nextBoolean() ? 100 : 40000));
      s.feed(y, i, len);
      i += len;
    }
    FeatureExtractor.Intermediate got = s.finish();
    assertThat(got.frames()).isEqualTo(expected.frames()).isEqualTo(spec.frameCount(y.length));
    assertThat(got.values()).containsExactly(expected.values());
    if (got.frames() >= 9) {
      assertThat(streamer.complete(got, 0, got.frames()).values())
          .containsExactly(whole.extract(y).values());
    }
  }

  /** One extractor per task streams clip after clip through one rows buffer: nothing of a clip leaks into the next. */
  @Test
  void clipAfterClipThroughOneExtractorEachEqualsItsOwnWholeSignal() {
    FeatureSpec spec = FeatureSpec.builder().build();
    FeatureExtractor whole = new FeatureExtractor(spec);
    FeatureExtractor streamer = new FeatureExtractor(spec);
    int[] lengths = {400_000, 30_000, 900_000, 5_000, 0, 250_000};
    FeatureExtractor.Intermediate[] kept = new FeatureExtractor.Intermediate[lengths.length];
    double[][] expected = new double[lengths.length][];
    for (int k = 0; k < lengths.length; k++) {
      float[] y = TestSignals.music(22050, lengths[k] / 22050.0, 100 + k);
      expected[k] = whole.intermediate(y).values();
      FeatureStream s = streamer.stream();
      for (int i = 0; i < y.length; i += 16384) {
        s.feed(y, i, Math.min(16384, y.length - i));
      }
      kept[k] = s.finish();
      assertThat(s.finish()).isSameAs(kept[k]);
    }
    // Results handed out earlier are the caller's own: later clips did not overwrite them.
    for (int k = 0; k < lengths.length; k++) {
      assertThat(kept[k].values()).as("clip %d", k).containsExactly(expected[k]);
    }
  }

  @Test
  void anAbandonedStreamRefusesUseOnceANewerOneIsOpen() {
    FeatureExtractor fx = new FeatureExtractor(FeatureSpec.builder().build());
    float[] y = TestSignals.music(22050, 1.0, 3);
    FeatureStream abandoned = fx.stream();
    abandoned.feed(y, 0, 10_000);
    FeatureStream next = fx.stream();
    next.feed(y, 0, y.length);
    assertThatThrownBy(() -> abandoned.feed(y, 10_000, 100)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("newer stream");
    assertThatThrownBy(abandoned::finish).isInstanceOf(IllegalStateException.class);
    assertThat(next.finish().values())
        .containsExactly(new FeatureExtractor(FeatureSpec.builder().build()).intermediate(y).values());
  }

  /** finishInPlace lends the extractor's buffer (no per-clip copy) until the extractor's next stream. */
  @Test
  void inPlaceResultsEqualCopiedOnesAndAreRefusedOnceTheBufferMovesOn() {
    FeatureSpec spec = FeatureSpec.builder().build();
    FeatureExtractor fx = new FeatureExtractor(spec);
    float[] y = TestSignals.music(22050, 2.0, 5);
    double[] expected = new FeatureExtractor(spec).intermediate(y).values();
    FeatureStream s = fx.stream();
    s.feed(y, 0, y.length);
    FeatureExtractor.Intermediate lent = s.finishInPlace();
    assertThat(s.finishInPlace()).isSameAs(lent);
    assertThat(lent.values().length).isGreaterThanOrEqualTo(lent.frames() * lent.bins());
    assertThat(java.util.Arrays.copyOf(lent.values(), lent.frames() * lent.bins())).containsExactly(expected);
    assertThat(fx.complete(lent, 0, lent.frames()).values())
        .containsExactly(new FeatureExtractor(spec).extract(y).values());
    FeatureExtractor.Intermediate own = s.finish();
    assertThat(own.values()).containsExactly(expected).isNotSameAs(lent.values());

    FeatureStream t = fx.stream();
    t.feed(y, 0, y.length);
    FeatureExtractor.Intermediate lentAgain = t.finishInPlace();
    assertThat(lentAgain.values()).isSameAs(lent.values());
    assertThat(fx.stream()).isNotNull();
    assertThatThrownBy(t::finishInPlace).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("newer stream");
    assertThatThrownBy(t::finish).isInstanceOf(IllegalStateException.class);
    assertThat(s.finish()).isSameAs(own); // copied before the buffer moved on: still the caller's
  }

  @Test
  void anIntermediateNeedsFramesTimesBinsValues() {
    assertThatThrownBy(() -> new FeatureExtractor.Intermediate(3, 4, new double[11]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 x 4");
    assertThat(new FeatureExtractor.Intermediate(3, 4, new double[20]).frames()).isEqualTo(3);
  }
}
