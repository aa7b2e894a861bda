package io.timbre.ingest;

import io.timbre.featurize.ClipResult;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.util.AccumulatorV2;

/**
 * The per-clip summaries (no features, no annotations) that featurising tasks hand back to the driver with their
 * task results, for the clips table, the quarantine and the provenance.
 *
 * <p>Why not Spark's {@code CollectionAccumulator}: an executor also serialises every running task's accumulators
 * into each heartbeat, from the heartbeat thread, while the task thread keeps adding; {@code ArrayList.writeObject}
 * then throws {@code ConcurrentModificationException} and the executor logs "Issue communicating with driver in
 * heartbeater" (a cluster shows it; local mode never serialises). This one serialises a snapshot taken under its
 * lock, and holds summaries stripped of annotations, so what a heartbeat carries stays small. Updates from
 * re-executed tasks can repeat: the driver keys the summaries by clip.
 */
public final class ClipSummaries extends AccumulatorV2<ClipResult, List<ClipResult>> {
  private static final long serialVersionUID = 1L;

  private transient List<ClipResult> summaries = new ArrayList<>();

  @Override
  public synchronized boolean isZero() {
    return summaries.isEmpty();
  }

  @Override
  public synchronized ClipSummaries copy() {
    ClipSummaries c = new ClipSummaries();
    c.summaries.addAll(summaries);
    return c;
  }

  @Override
  public synchronized void reset() {
    summaries = new ArrayList<>();
  }

  /** Adds the summary of {@code result}: its facts and segment boundaries, without features or annotations. */
  @Override
  public void add(ClipResult result) {
    ClipResult summary = result.summary();
    synchronized (this) {
      summaries.add(summary);
    }
  }

  @Override
  public void merge(AccumulatorV2<ClipResult, List<ClipResult>> other) {
    List<ClipResult> theirs = other.value();
    synchronized (this) {
      summaries.addAll(theirs);
    }
  }

  /** A copy: the list keeps changing while tasks run. */
  @Override
  public synchronized List<ClipResult> value() {
    return List.copyOf(summaries);
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    List<ClipResult> snapshot;
    synchronized (this) {
      snapshot = new ArrayList<>(summaries);
    }
    out.defaultWriteObject();
    out.writeObject(snapshot);
  }

  @SuppressWarnings("unchecked")
  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    summaries = new ArrayList<>((List<ClipResult>) in.readObject());
  }
}
