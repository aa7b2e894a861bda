package io.timbre.ingest;

import io.timbre.datasets.ClipRef;
import io.timbre.datasets.QuarantineRecord;
import io.timbre.exceptions.IncompatibleArtefactException;
import io.timbre.features.FeatureSpec;
import io.timbre.featurize.ClipFeaturizer;
import io.timbre.featurize.FrameTargets;
import io.timbre.table.FeatureTable;
import io.timbre.table.TableProvenance;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * An incremental ingest's view of the published table: which listed clips are new (by content hash), which are already
 * there, and which changed since they were ingested (quarantined: replacing them needs a full ingest).
 *
 * @param fresh the clips to featurise; a new clip of a group already in the table carries that group's split
 * @param hashes content hashes of every listed clip, by id
 */
record IncrementalDiff(List<ClipRef> fresh, List<QuarantineRecord> changed, long alreadyPresent,
    Map<String, String> hashes) {

  static IncrementalDiff of(SparkSession spark, String table, List<ClipRef> listed, Map<String, String> hadoop) {
    Map<String, String> existing = existingHashes(spark, table);
    Map<String, String> groupSplits = existingGroupSplits(spark, table);
    Map<String, String> hashes = hashAll(JavaSparkContext.fromSparkContext(spark.sparkContext()), listed, hadoop);
    List<ClipRef> fresh = new ArrayList<>();
    List<QuarantineRecord> changed = new ArrayList<>();
    long skipped = 0;
    for (ClipRef c : listed) {
      String sha = hashes.get(c.id());
      String had = existing.get(c.id());
      if (had == null && !existing.containsValue(sha)) {
        // A new clip of a group already in the table joins that group's split: groups never straddle splits,
        // even when the added groups shift the seeded assignment of the others.
        String split = groupSplits.get(c.groupKey());
        fresh.add(split == null ? c : c.withSplit(split));
      } else if (had != null && !had.equals(sha)) {
        changed.add(new QuarantineRecord(c.audioPath(), c.dataset(), QuarantineRecord.Stage.LIST,
            "ChangedSinceIngest", c.audioPath() + ": content changed since it was ingested into " + table
                + "; re-run without --incremental to replace it"));
      } else {
        skipped++;
      }
    }
    return new IncrementalDiff(fresh, changed, skipped, hashes);
  }

  /** Adding rows is only sound when they are encoded the same way as the table's: same labels, same channels. */
  static void checkCompatible(TableProvenance previous, List<String> vocabulary, FrameTargets targets,
      String table) {
    List<String> had = previous.labelVocabulary();
    List<String> hadChannels = previous.frameTargetChannels();
    if (!had.equals(vocabulary) || !hadChannels.equals(targets.channels())) {
      throw new IncompatibleArtefactException("Cannot ingest incrementally into " + table + ": the label vocabulary "
          + "or target channels changed (" + had + " / " + hadChannels + " -> " + vocabulary + " / "
          + targets.channels() + "); the targets' layout would differ. Re-run without --incremental.");
    }
  }

  private static Map<String, String> existingHashes(SparkSession spark, String table) {
    Map<String, String> m = new HashMap<>();
    for (Row row : FeatureTable.read(spark, table, "clips").select("clip_id", "sha256").collectAsList()) {
      m.put(row.getString(0), row.getString(1));
    }
    return m;
  }

  private static Map<String, String> existingGroupSplits(SparkSession spark, String table) {
    Map<String, String> m = new HashMap<>();
    for (Row row : FeatureTable.read(spark, table, "clips").select("group_key", "split").distinct()
        .collectAsList()) {
      m.put(row.getString(0), row.getString(1));
    }
    return m;
  }

  private static Map<String, String> hashAll(JavaSparkContext sc, List<ClipRef> clips, Map<String, String> hadoop) {
    sc.setJobDescription("timbre ingest: hash " + clips.size() + " files for --incremental");
    Map<String, String> conf = new HashMap<>(hadoop);
    List<String[]> pairs = sc.parallelize(clips, Math.max(1, Math.min(clips.size(), 4 * sc.defaultParallelism())))
        .map(c -> {
          Configuration h = new Configuration();
          conf.forEach(h::set);
          try {
            return new String[] {c.id(), new ClipFeaturizer(FeatureSpec.defaults(), new FrameTargets(List.of()), h)
                .hash(c.audioPath())};
          } catch (IOException e) {
            return new String[] {c.id(), "unreadable:" + e.getMessage()};
          }
        }).collect();
    Map<String, String> m = new HashMap<>();
    pairs.forEach(p -> m.put(p[0], p[1]));
    return m;
  }
}
