package io.timbre.datasets;

import static io.timbre.util.Checks.check;

import io.timbre.util.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Deterministic, group-aware assignment of clips to train/validation/test where a dataset has no official split.
 *
 * <p>Groups (not clips) are ordered by SHA-256(seed ‖ group key) — a pseudo-random order that depends only on the seed
 * and the key, not on listing order or on which other groups exist — and the first ⌈validation·G⌉ groups go to
 * validation, the next ⌈test·G⌉ to test, the rest to train. Equal seed and groups give equal splits on every machine,
 * every clip of a group lands in one split, and each requested split gets at least one group when there are enough.
 */
public final class GroupSplitter {
  private final long seed;
  private final double validationFraction;
  private final double testFraction;

  public GroupSplitter(long seed, double validationFraction, double testFraction) {
    check(validationFraction >= 0 && testFraction >= 0 && validationFraction + testFraction < 1,
        "Cannot split: need validation, test >= 0 and validation + test < 1: %s, %s", validationFraction,
        testFraction);
    this.seed = seed;
    this.validationFraction = validationFraction;
    this.testFraction = testFraction;
  }

  /** Assigns a split to every clip (any split they had is replaced). */
  public List<ClipRef> split(List<ClipRef> clips) {
    Map<String, String> splitOf = assign(new TreeSet<>(clips.stream().map(ClipRef::groupKey).toList()));
    List<ClipRef> out = new ArrayList<>(clips.size());
    for (ClipRef c : clips) {
      out.add(c.withSplit(splitOf.get(c.groupKey())));
    }
    return out;
  }

  /** Only the clips currently in {@code fromSplit} are re-split (e.g. hold validation out of an official train). */
  public List<ClipRef> splitWithin(List<ClipRef> clips, String fromSplit) {
    List<ClipRef> part = clips.stream().filter(c -> c.split().equals(fromSplit)).toList();
    Map<String, String> splitOf = assign(new TreeSet<>(part.stream().map(ClipRef::groupKey).toList()));
    List<ClipRef> out = new ArrayList<>(clips.size());
    for (ClipRef c : clips) {
      out.add(c.split().equals(fromSplit) ? c.withSplit(splitOf.get(c.groupKey())) : c);
    }
    return out;
  }

  Map<String, String> assign(TreeSet<String> groups) {
    List<String> order = new ArrayList<>(groups);
    Map<String, String> key = new HashMap<>();
    for (String g : order) {
      key.put(g, hash(g));
    }
    order.sort(Comparator.comparing(key::get));
    int n = order.size();
    int nVal = count(validationFraction, n);
    int nTest = count(testFraction, n);
    if (nVal + nTest >= n) {
      // Too few groups for every split: keep at least one for training.
      nTest = Math.max(0, Math.min(nTest, n - 1 - nVal));
      nVal = Math.max(0, Math.min(nVal, n - 1));
    }
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < n; i++) {
      out.put(order.get(i), i < nVal ? ClipRef.VALIDATION : i < nVal + nTest ? ClipRef.TEST : ClipRef.TRAIN);
    }
    return out;
  }

  private static int count(double fraction, int n) {
    if (fraction <= 0 || n == 0) {
      return 0;
    }
    return Math.max(1, (int) Math.round(fraction * n));
  }

  private String hash(String group) {
    MessageDigest d = Sha256.newDigest();
    d.update(Long.toString(seed).getBytes(StandardCharsets.UTF_8));
    d.update((byte) 0);
    d.update(group.getBytes(StandardCharsets.UTF_8));
    return Sha256.hexOf(d.digest());
  }
}
