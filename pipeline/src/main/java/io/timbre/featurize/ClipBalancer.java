package io.timbre.featurize;

import io.timbre.datasets.ClipRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Splits a listing into Spark partitions of even audio, shared by ingest and predict. */
public final class ClipBalancer {
  private ClipBalancer() {}

  /**
   * Longest-first into the lightest bucket (LPT) by audio duration (the readers' {@code duration_sec} tag; file size
   * where a clip has none), all buckets the same size; deterministic for a given listing.
   */
  public static List<List<ClipRef>> balance(List<ClipRef> clips, int n) {
    return balance(clips, n, n);
  }

  /**
   * Like {@link #balance(List, int)}, but sized for {@code slots} tasks running at once: the buckets come in waves of
   * {@code slots}, each wave carrying half the audio of the one before, so that the work left when a slot runs out of
   * tasks is a small partition, not an average one. Spark launches a stage's tasks in partition order, so the big ones
   * start first and the small ones even out whatever the big ones left uneven. With n = 4 × slots: 8/15, 4/15, 2/15,
   * 1/15 of the audio per wave; a slot can be left waiting on at most one last task, 1/30 of the audio for 2 slots (an
   * equal split: 1/8). The number of tasks (and files) stays n.
   *
   * <p>Clips go longest first into the bucket filled least relative to its share (LPT generalised to unequal shares).
   */
  public static List<List<ClipRef>> balance(List<ClipRef> clips, int n, int slots) {
    double[] share = waveShares(n, Math.max(1, Math.min(slots, n)));
    List<ClipRef> sorted = new ArrayList<>(clips);
    sorted.sort(Comparator.comparingLong(ClipBalancer::weight).reversed().thenComparing(ClipRef::id));
    List<List<ClipRef>> buckets = new ArrayList<>();
    long[] load = new long[n];
    for (int i = 0; i < n; i++) {
      buckets.add(new ArrayList<>());
    }
    for (ClipRef c : sorted) {
      int best = 0;
      for (int i = 1; i < n; i++) {
        if (load[i] / share[i] < load[best] / share[best]) {
          best = i;
        }
      }
      buckets.get(best).add(c);
      load[best] += Math.max(1, weight(c));
    }
    buckets.removeIf(List::isEmpty);
    return buckets;
  }

  /** Each bucket's share of the audio: waves of {@code slots} equal buckets, halving from wave to wave. */
  static double[] waveShares(int n, int slots) {
    double[] share = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      share[i] = Math.pow(0.5, i / slots);
      sum += share[i];
    }
    for (int i = 0; i < n; i++) {
      share[i] /= sum;
    }
    return share;
  }

  /** Milliseconds of audio when known, else bytes (both only compared within one listing). */
  private static long weight(ClipRef c) {
    String d = c.tags().get("duration_sec");
    if (d != null) {
      try {
        return Math.round(Double.parseDouble(d) * 1000);
      } catch (NumberFormatException e) {
        // fall through to the size
      }
    }
    return c.sizeBytes();
  }
}
