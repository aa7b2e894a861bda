package io.timbre.datasets;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a reader found under a dataset root: the clips, sorted by id, and the quarantined files, sorted by path.
 * Sorting makes listings (and so tables and splits) identical from run to run whatever order the file system lists in.
 */
public record DatasetListing(String dataset, String root, List<ClipRef> clips, List<QuarantineRecord> quarantine) {
  public DatasetListing {
    List<ClipRef> c = new ArrayList<>(clips);
    c.sort(Comparator.comparing(ClipRef::id));
    clips = List.copyOf(c);
    List<QuarantineRecord> q = new ArrayList<>(quarantine);
    q.sort(Comparator.comparing(QuarantineRecord::path).thenComparing(QuarantineRecord::message));
    quarantine = List.copyOf(q);
  }

  /** Clips per split, then per label (a multi-label clip counts once for each of its labels). */
  public SortedMap<String, SortedMap<String, Integer>> countsBySplitAndLabel() {
    SortedMap<String, SortedMap<String, Integer>> counts = new TreeMap<>();
    for (ClipRef clip : clips) {
      SortedMap<String, Integer> bySplit = counts.computeIfAbsent(clip.split(), s -> new TreeMap<>());
      bySplit.merge("(clips)", 1, Integer::sum);
      for (String label : clip.labels()) {
        bySplit.merge(label, 1, Integer::sum);
      }
    }
    return counts;
  }

  /** Quarantined files per error class. */
  public SortedMap<String, Integer> quarantineCounts() {
    SortedMap<String, Integer> counts = new TreeMap<>();
    for (QuarantineRecord q : quarantine) {
      counts.merge(q.errorClass(), 1, Integer::sum);
    }
    return counts;
  }

  /** A human-readable summary: clips per split and label, quarantine per reason. */
  public String summary() {
    StringBuilder s = new StringBuilder();
    s.append(dataset).append(" at ").append(root).append(": ").append(clips.size()).append(" clips, ")
        .append(quarantine.size()).append(" quarantined\n");
    for (Map.Entry<String, SortedMap<String, Integer>> e : countsBySplitAndLabel().entrySet()) {
      s.append("  ").append(e.getKey()).append(": ").append(e.getValue().get("(clips)")).append(" clips");
      e.getValue().forEach((label, n) -> {
        if (!label.equals("(clips)")) {
          s.append(", ").append(label).append(' ').append(n);
        }
      });
      s.append('\n');
    }
    quarantineCounts().forEach((reason, n) -> s.append("  quarantine ").append(reason).append(": ").append(n)
        .append('\n'));
    return s.toString();
  }
}
