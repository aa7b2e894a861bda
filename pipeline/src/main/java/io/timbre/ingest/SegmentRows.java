package io.timbre.ingest;

import io.timbre.datasets.ClipRef;
import io.timbre.features.FeatureSpec;
import io.timbre.featurize.ClipFeaturizer;
import io.timbre.featurize.ClipResult;
import io.timbre.featurize.FrameTargets;
import io.timbre.featurize.Segment;
import io.timbre.table.SegmentRecord;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor side of ingest: a partition's clips featurised one at a time, each clip's segments handed to the Parquet
 * writer as rows as soon as they exist (memory per task: one clip's features), each clip's summary added to
 * {@link ClipSummaries}.
 */
final class SegmentRows implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String specJson;
  private final FrameTargets targets;
  private final Map<String, String> hadoop;
  private final int logEvery;
  private final ClipSummaries done;
  private final List<String> vocabulary;

  SegmentRows(FeatureSpec spec, FrameTargets targets, Map<String, String> hadoop, int logEvery, ClipSummaries done,
      List<String> vocabulary) {
    // The spec travels as its canonical JSON: one string to serialise, parsed once per task.
    this.specJson = spec.toJson();
    this.targets = targets;
    this.hadoop = Map.copyOf(hadoop);
    this.logEvery = Math.max(1, logEvery);
    this.done = done;
    this.vocabulary = List.copyOf(vocabulary);
  }

  /** Lazily: one clip featurised at a time, its segments handed on, its summary added to {@code done}. */
  Iterator<SegmentRecord> of(Iterator<List<ClipRef>> buckets) {
    Configuration conf = new Configuration();
    hadoop.forEach(conf::set);
    FeatureSpec spec = FeatureSpec.parse(specJson);
    ClipFeaturizer featurizer = new ClipFeaturizer(spec, targets, conf);
    String specId = spec.id();
    double hop = spec.hopLength() / (double) spec.sampleRate();
    Iterator<ClipRef> clips = flatten(buckets);
    Logger log = LoggerFactory.getLogger(SegmentRows.class);
    long start = System.nanoTime();
    return new Iterator<>() {
      private Iterator<SegmentRecord> rows = Collections.emptyIterator();
      private int n;
      private double audio;

      @Override
      public boolean hasNext() {
        while (!rows.hasNext() && clips.hasNext()) {
          ClipResult r = featurizer.featurize(clips.next());
          done.add(r);
          rows = records(r, vocabulary, specId, hop).iterator();
          n++;
          audio += r.durationSec();
          if (n % logEvery == 0) {
            double s = (System.nanoTime() - start) / 1e9;
            log.info("featurised {} clips in this task: {} clips/s, {} audio-hours/s", n,
                String.format("%.1f", n / s), String.format("%.3f", audio / 3600 / s));
          }
        }
        return rows.hasNext();
      }

      @Override
      public SegmentRecord next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return rows.next();
      }
    };
  }

  private static Iterator<ClipRef> flatten(Iterator<List<ClipRef>> buckets) {
    return new Iterator<>() {
      private Iterator<ClipRef> current = Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && buckets.hasNext()) {
          current = buckets.next().iterator();
        }
        return current.hasNext();
      }

      @Override
      public ClipRef next() {
        hasNext();
        return current.next();
      }
    };
  }

  /** A clip's segments as table rows: features, multi-hot labels in vocabulary order, frame targets. */
  static List<SegmentRecord> records(ClipResult r, List<String> vocabulary, String specId, double hop) {
    List<SegmentRecord> rows = new ArrayList<>();
    if (!r.ok()) {
      return rows;
    }
    ClipRef c = r.clip();
    float[] multiHot = new float[vocabulary.size()];
    for (String l : c.labels()) {
      int i = vocabulary.indexOf(l);
      if (i >= 0) {
        multiHot[i] = 1f;
      }
    }
    String[] labels = c.labels().toArray(new String[0]);
    for (Segment s : r.segments()) {
      SegmentRecord x = new SegmentRecord();
      x.setClip_id(c.id());
      x.setDataset(c.dataset());
      x.setSegment_index(s.index());
      x.setStart_frame(s.startFrame());
      x.setStart_sec(s.startFrame() * hop);
      x.setDuration_sec(s.frames() * hop);
      x.setN_frames(s.frames());
      x.setN_valid_frames(s.validFrames());
      x.setN_bins(s.bins());
      x.setFeatures(s.features());
      x.setLabels(labels);
      x.setTargets(multiHot);
      x.setN_target_channels(s.frames() == 0 ? 0 : s.frameTargets().length / s.frames());
      x.setFrame_targets(s.frameTargets());
      x.setGroup_key(c.groupKey());
      x.setContent_sha256(r.sha256());
      x.setSpec_id(specId);
      x.setSplit(c.split());
      rows.add(x);
    }
    return rows;
  }
}
