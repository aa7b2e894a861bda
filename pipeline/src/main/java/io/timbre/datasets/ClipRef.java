package io.timbre.datasets;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One clip of a dataset as its reader found it: where the audio is, which split it belongs to, its labels and
 * annotations, and the group it must share a split with. Immutable; serialisable so Spark can ship it to executors.
 *
 * @param id the audio path relative to the dataset root, exactly as on disk (never a derived key: mirdata's
 *     {@code NNNN__k} IRMAS key collides across folders and drops 45 files)
 * @param dataset the dataset name (irmas, idmt-effects, …)
 * @param audioPaths full paths (file:/… or s3a://…) of the audio: one, or the mix first then stems
 * @param split train, validation or test
 * @param labels the clip's class labels in the dataset's vocabulary (one for single-label sets, several for IRMAS
 *     test excerpts); empty for frame-level tasks
 * @param tags every other field the layout encodes (genre, drums, pitch, fx type, …), sorted
 * @param events note/onset annotations, in time order
 * @param series sampled annotations (melody f0, activations)
 * @param groupKey clips with equal keys always land in the same split (source recording, clean note, artist)
 * @param sizeBytes size of the (first) audio file in bytes, as listed
 */
public record ClipRef(
    String id,
    String dataset,
    List<String> audioPaths,
    String split,
    List<String> labels,
    SortedMap<String, String> tags,
    List<NoteEvent> events,
    List<TimeSeries> series,
    String groupKey,
    long sizeBytes) implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String TRAIN = "train";
  public static final String VALIDATION = "validation";
  public static final String TEST = "test";

  public ClipRef {
    audioPaths = List.copyOf(audioPaths);
    labels = List.copyOf(labels);
    tags = new TreeMap<>(tags);
    events = List.copyOf(events);
    series = List.copyOf(series);
  }

  /** A clip with labels and tags only (no events or series). */
  public static ClipRef of(String id, String dataset, String audioPath, String split, List<String> labels,
      Map<String, String> tags, String groupKey, long sizeBytes) {
    return new ClipRef(id, dataset, List.of(audioPath), split, labels, new TreeMap<>(tags), List.of(), List.of(),
        groupKey, sizeBytes);
  }

  /** The same clip in another split. */
  public ClipRef withSplit(String newSplit) {
    return new ClipRef(id, dataset, audioPaths, newSplit, labels, tags, events, series, groupKey, sizeBytes);
  }

  /** The same clip with one more (or a replaced) tag. */
  public ClipRef withTag(String key, String value) {
    SortedMap<String, String> t = new TreeMap<>(tags);
    t.put(key, value);
    return new ClipRef(id, dataset, audioPaths, split, labels, t, events, series, groupKey, sizeBytes);
  }

  /** The same clip without its events and series (what a task reports back about a clip the driver has). */
  public ClipRef withoutAnnotations() {
    return new ClipRef(id, dataset, audioPaths, split, labels, tags, List.of(), List.of(), groupKey, sizeBytes);
  }

  public String audioPath() {
    return audioPaths.get(0);
  }
}
