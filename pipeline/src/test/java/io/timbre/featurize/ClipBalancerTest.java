package io.timbre.featurize;

import static org.assertj.core.api.Assertions.assertThat;

import io.timbre.datasets.ClipRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClipBalancerTest {
  private static ClipRef clip(String id, double seconds, long bytes) {
    return ClipRef.of(id, "x", "file:/" + id, "train", List.of(), Map.of("duration_sec", Double.toString(seconds)),
        id, bytes);
  }

  @Test
  void partitionsCarryAboutEqualAudioByDurationNotByCountOrSize() {
    List<ClipRef> clips = new ArrayList<>();
    clips.add(clip("long", 3600, 100)); // an hour-long file with a misleadingly small size (e.g. 8-bit mono)
    for (int i = 0; i < 12; i++) {
      clips.add(clip("short" + i, 300, 1_000_000));
    }
    List<List<ClipRef>> buckets = ClipBalancer.balance(clips, 2);
    assertThat(buckets).hasSize(2);
    double a = buckets.get(0).stream().mapToDouble(c -> Double.parseDouble(c.tags().get("duration_sec"))).sum();
    double b = buckets.get(1).stream().mapToDouble(c -> Double.parseDouble(c.tags().get("duration_sec"))).sum();
    assertThat(a).isEqualTo(3600);
    assertThat(b).isEqualTo(3600);
    assertThat(buckets.get(0)).extracting(ClipRef::id).containsExactly("long");
    assertThat(ClipBalancer.balance(clips, 2)).isEqualTo(buckets);
  }

  private static double seconds(List<ClipRef> bucket) {
    return bucket.stream().mapToDouble(c -> Double.parseDouble(c.tags().get("duration_sec"))).sum();
  }

  @Test
  void wavesOfPartitionsHalveSoTheLastTasksAreSmall() {
    org.assertj.core.data.Offset<Double> exact = org.assertj.core.api.Assertions.within(1e-12);
    assertThat(ClipBalancer.waveShares(8, 2)).containsExactly(new double[] {4 / 15.0, 4 / 15.0, 2 / 15.0, 2 / 15.0,
        1 / 15.0, 1 / 15.0, 1 / 30.0, 1 / 30.0}, exact);
    assertThat(ClipBalancer.waveShares(4, 1)).containsExactly(new double[] {8 / 15.0, 4 / 15.0, 2 / 15.0, 1 / 15.0},
        exact);
    assertThat(ClipBalancer.waveShares(3, 3)).containsExactly(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}, exact);
    // A partial last wave: its tasks as small as a full wave's would be.
    assertThat(ClipBalancer.waveShares(5, 2)).containsExactly(new double[] {4 / 13.0, 4 / 13.0, 2 / 13.0, 2 / 13.0,
        1 / 13.0}, exact);
    assertThat(java.util.Arrays.stream(ClipBalancer.waveShares(13, 4)).sum()).isCloseTo(1.0,
        org.assertj.core.api.Assertions.within(1e-12));

    List<ClipRef> clips = new ArrayList<>();
    for (int i = 0; i < 320; i++) {
      clips.add(clip(String.format("c%03d", i), 10 + (i % 7), 1000));
    }
    List<List<ClipRef>> buckets = ClipBalancer.balance(clips, 8, 2);
    assertThat(buckets).hasSize(8);
    assertThat(buckets.stream().mapToInt(List::size).sum()).isEqualTo(clips.size());
    assertThat(buckets.stream().flatMap(List::stream).distinct().count()).isEqualTo(clips.size());
    double total = clips.stream().mapToDouble(c -> Double.parseDouble(c.tags().get("duration_sec"))).sum();
    double[] want = ClipBalancer.waveShares(8, 2);
    for (int i = 0; i < 8; i++) {
      // Within one clip's worth of its share.
      assertThat(seconds(buckets.get(i)) / total).as("bucket %d", i)
          .isCloseTo(want[i], org.assertj.core.api.Assertions.within(16.0 / total));
    }
    // Each wave no larger than the one before.
    for (int i = 2; i < 8; i += 2) {
      assertThat(seconds(buckets.get(i)) + seconds(buckets.get(i + 1)))
          .isLessThanOrEqualTo(seconds(buckets.get(i - 2)) + seconds(buckets.get(i - 1)) + 16);
    }
    assertThat(ClipBalancer.balance(clips, 8, 2)).isEqualTo(buckets);
    // A clip longer than a share goes first into the first (biggest) partition, which starts first.
    List<ClipRef> withHour = new ArrayList<>(clips);
    withHour.add(clip("hour", 3600, 10));
    assertThat(ClipBalancer.balance(withHour, 8, 2).get(0)).extracting(ClipRef::id).containsExactly("hour");
    // Equal shares when slots == n: the plain LPT split.
    assertThat(ClipBalancer.balance(clips, 2, 2)).isEqualTo(ClipBalancer.balance(clips, 2));
  }
}
