package io.timbre.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.timbre.datasets.ClipRef;
import io.timbre.datasets.QuarantineRecord;
import io.timbre.features.FeatureSpec;
import io.timbre.featurize.ClipBalancer;
import io.timbre.featurize.ClipFeaturizer;
import io.timbre.featurize.ClipResult;
import io.timbre.spark.ScopedSqlConf;
import io.timbre.table.FeatureTable;
import io.timbre.table.SegmentRecord;
import io.timbre.table.SegmentsWrite;
import io.timbre.table.TableVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest job: a dataset in its own layout → a versioned Parquet feature table (see {@link FeatureTable}).
 *
 * <p>The driver lists clips with the dataset's reader; clips are packed into partitions of about equal audio
 * duration (from the readers' header probe; longest first into the lightest partition); executors featurise them
 * with {@link ClipFeaturizer}. Segments, clips, quarantine and provenance go to a new version folder, and only then is
 * the version published ({@link TableVersion}): a run that fails at any point leaves the published table as it was.
 * A run replaces the table (same inputs and spec → same rows); {@code incremental} hashes the listed files,
 * featurises only content not yet in the table and publishes a version made of the previous one plus the new rows.
 */
public final class IngestJob {
  private static final Logger LOG = LoggerFactory.getLogger(IngestJob.class);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private IngestJob() {}

  /** Versions kept besides the published one, so that a user can point back to the previous table. */
  static final int RETAINED_VERSIONS = 2;

  /** Runs one ingest holding the table's lease, so no other writer publishes over it meanwhile. */
  public static IngestSummary run(SparkSession spark, IngestOptions o) {
    Configuration hconf = new Configuration(spark.sparkContext().hadoopConfiguration());
    o.hadoop().forEach(hconf::set);
    String table = o.table();
    try (io.timbre.table.TableLease lease = io.timbre.table.TableLease.acquire(table, hconf, "ingest "
        + o.dataset() + " from " + o.input(), o.leaseStaleAfter(), o.breakStaleLease())) {
      return write(spark, o);
    }
  }

  private static IngestSummary write(SparkSession spark, IngestOptions o) {
    long t0 = System.nanoTime();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration hconf = new Configuration(spark.sparkContext().hadoopConfiguration());
    o.hadoop().forEach(hconf::set);
    o.hadoop().forEach((k, v) -> spark.sparkContext().hadoopConfiguration().set(k, v));
    FeatureSpec spec = o.spec();
    String table = o.table();
    String runId = UUID.randomUUID().toString();

    sc.setJobDescription("timbre ingest " + o.dataset() + ": listing " + o.input());
    IngestPlan plan = IngestPlan.make(spark, o, table, hconf);
    double tList = seconds(t0);

    long t1 = System.nanoTime();
    // The new version goes to a folder of its own; the published one is not touched until the pointer moves.
    TableVersion published = plan.published();
    String id = TableVersion.newId(runId, published == null ? null : published.id());
    TableVersion version = plan.append() ? TableVersion.on(published, id) : TableVersion.fresh(table, id);
    String data = TableVersion.dataDir(table, version.id());
    List<ClipResult> summaries = writeSegments(spark, o, plan, data);
    double tFeatures = seconds(t1);

    long t2 = System.nanoTime();
    List<ClipResult> ok = summaries.stream().filter(ClipResult::ok).toList();
    List<QuarantineRecord> quarantine = new ArrayList<>(plan.quarantine());
    summaries.stream().filter(r -> !r.ok()).forEach(r -> quarantine.add(r.failure()));
    SmallPartsWrite.write(spark, o.dataset(), data, ok, quarantine, spec.id(), runId);
    double tWrite = seconds(t2);

    double hours = ok.stream().mapToDouble(ClipResult::durationSec).sum() / 3600;
    Map<String, Double> stages = new LinkedHashMap<>();
    stages.put("list", tList);
    stages.put("featurise+segments", tFeatures);
    stages.put("clips+quarantine", tWrite);
    IngestSummary summary = new IngestSummary(table, ok.size(), plan.alreadyPresent(), quarantine.size(),
        ok.stream().mapToLong(r -> r.segments().size()).sum(), hours, seconds(t0), stages);
    // Provenance last: its presence marks a complete version.
    ProvenanceRecorder.of(o, plan.listing(), plan.vocabulary(), plan.targets(), summaries, quarantine, summary, runId,
        plan.append() ? plan.previous() : null, plan.hashes()).write(version.provenanceLocation(), hconf);
    TableVersion live = version.publish(hconf);
    List<String> removed = live.retain(RETAINED_VERSIONS, hconf);
    LOG.info("Published version {} of {}{}", live.id(), table, removed.isEmpty() ? "" : " (removed old " + removed
        + ")");
    LOG.info("Ingest done: {}", summary);
    return summary;
  }

  /**
   * Featurises the plan's clips on the executors and writes {@code <data>/segments} in one job: partitions of about
   * equal audio, longest first. Returns every clip's summary (no features), in clip id order.
   */
  private static List<ClipResult> writeSegments(SparkSession spark, IngestOptions o, IngestPlan plan, String data) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<ClipRef> todo = plan.todo();
    int parallelism = sc.defaultParallelism();
    int nParts = Math.max(1, Math.min(todo.size(), o.partitions() > 0 ? o.partitions() : 4 * parallelism));
    List<List<ClipRef>> buckets = ClipBalancer.balance(todo, nParts, parallelism);
    sc.setJobDescription("timbre ingest " + o.dataset() + ": decode + resample + features, " + todo.size()
        + " clips in " + buckets.size() + " partitions");
    // Each clip's summary goes back with the task results; updates from re-executed tasks can repeat, so summaries
    // are keyed by clip.
    ClipSummaries done = new ClipSummaries();
    sc.sc().register(done, "ingested clips");
    SegmentRows rows = new SegmentRows(o.spec(), plan.targets(), o.hadoop(), o.logEvery(), done, plan.vocabulary());
    int splits = (int) todo.stream().map(ClipRef::split).distinct().count();
    try (ScopedSqlConf ignored = ScopedSqlConf.set(spark, SegmentsWrite.sqlConf(splits))) {
      spark.createDataset(sc.parallelize(buckets, Math.max(1, buckets.size())).mapPartitions(rows::of).rdd(),
              Encoders.bean(SegmentRecord.class))
          .select(FeatureTable.segmentColumns())
          .write().mode(SaveMode.ErrorIfExists).partitionBy("split")
          .options(SegmentsWrite.parquetOptions())
          .parquet(data + "/segments");
    }
    Map<String, ClipRef> todoById = new HashMap<>();
    for (ClipRef c : todo) {
      todoById.put(c.id(), c);
    }
    Map<String, ClipResult> byClip = new TreeMap<>();
    for (ClipResult r : done.value()) {
      ClipRef full = todoById.get(r.clip().id());
      if (full == null) {
        throw new IllegalStateException("Ingest got a summary of clip " + r.clip().id() + ", which it did not list");
      }
      byClip.put(full.id(), r.withClip(full));
    }
    if (byClip.size() != todo.size()) {
      throw new IllegalStateException("Ingest lost track of clips: " + byClip.size() + " summaries for "
          + todo.size() + " clips");
    }
    return new ArrayList<>(byClip.values());
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
