package io.timbre.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.timbre.datasets.ClipRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BalanceTest {
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
    List<List<ClipRef>> buckets = IngestJob.balance(clips, 2);
    assertThat(buckets).hasSize(2);
    double a = buckets.get(0).stream().mapToDouble(c -> Double.parseDouble(c.tags().get("duration_sec"))).sum();
    double b = buckets.get(1).stream().mapToDouble(c -> Double.parseDouble(c.tags().get("duration_sec"))).sum();
    assertThat(a).isEqualTo(3600);
    assertThat(b).isEqualTo(3600);
    assertThat(buckets.get(0)).extracting(ClipRef::id).containsExactly("long");
    assertThat(IngestJob.balance(clips, 2)).isEqualTo(buckets);
  }
}
