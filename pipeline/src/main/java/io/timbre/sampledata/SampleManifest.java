package io.timbre.sampledata;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a generator wrote: one entry per clip with the labels, split, group and tags a correct reader must find.
 * Tests compare readers against it; {@code make-sample-data} prints its summary.
 */
public final class SampleManifest {
  /** One generated clip. */
  public record Entry(String id, String split, List<String> labels, String groupKey, Map<String, String> tags) {
    public Entry {
      labels = List.copyOf(labels);
      tags = Collections.unmodifiableMap(new TreeMap<>(tags));
    }
  }

  private final String dataset;
  private final List<Entry> entries = new ArrayList<>();

  public SampleManifest(String dataset) {
    this.dataset = dataset;
  }

  void add(Entry e) {
    entries.add(e);
  }

  public String dataset() {
    return dataset;
  }

  public List<Entry> entries() {
    return Collections.unmodifiableList(entries);
  }

  /** Entries by id. */
  public Map<String, Entry> byId() {
    Map<String, Entry> m = new TreeMap<>();
    entries.forEach(e -> m.put(e.id(), e));
    return m;
  }
}
