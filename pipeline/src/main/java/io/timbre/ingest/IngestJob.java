package io.timbre.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbre.datasets.ClipRef;
import io.timbre.datasets.DatasetException;
import io.timbre.datasets.DatasetListing;
import io.timbre.datasets.DatasetRoot;
import io.timbre.datasets.Datasets;
import io.timbre.datasets.QuarantineRecord;
import io.timbre.features.FeatureSpec;
import io.timbre.table.FeatureTable;
import io.timbre.table.TableVersion;
import io.timbre.spark.ScopedSqlConf;
import io.timbre.table.SegmentsWrite;
import io.timbre.util.CodeVersion;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
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
    String table = FeatureTable.location(o.output(), o.dataset(), o.spec().id());
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
    String table = FeatureTable.location(o.output(), o.dataset(), spec.id());
    String runId = UUID.randomUUID().toString();

    sc.setJobDescription("timbre ingest " + o.dataset() + ": listing " + o.input());
    DatasetListing listing = Datasets.reader(o.dataset(), o.validation(), o.test(), o.seed())
        .read(DatasetRoot.open(o.input(), hconf));
    LOG.info("Listed {}", listing.summary().strip());
    List<String> vocabulary = List.copyOf(new TreeSet<>(listing.clips().stream().flatMap(c -> c.labels().stream())
        .toList()));
    FrameTargets targets = FrameTargets.of(listing.clips());
    double tList = seconds(t0);

    List<ClipRef> todo = listing.clips();
    List<QuarantineRecord> quarantine = new ArrayList<>(listing.quarantine());
    Map<String, String> hashes = Map.of();
    boolean append = false;
    long skipped = 0;
    TableVersion published = TableVersion.current(table, hconf);
    ObjectNode previous = published == null ? null : readProvenance(published.provenanceLocation(), hconf);
    if (o.incremental() && previous != null) {
      checkCompatible(previous, vocabulary, targets, table);
      Map<String, String> existing = existingHashes(spark, table);
      Map<String, String> groupSplits = existingGroupSplits(spark, table);
      hashes = hashAll(sc, listing.clips(), o.hadoop());
      List<ClipRef> fresh = new ArrayList<>();
      for (ClipRef c : listing.clips()) {
        String sha = hashes.get(c.id());
        String had = existing.get(c.id());
        if (had == null && !existing.containsValue(sha)) {
          // A new clip of a group already in the table joins that group's split: groups never straddle splits,
          // even when the added groups shift the seeded assignment of the others.
          String split = groupSplits.get(c.groupKey());
          fresh.add(split == null ? c : c.withSplit(split));
        } else if (had != null && !had.equals(sha)) {
          quarantine.add(new QuarantineRecord(c.audioPath(), c.dataset(), QuarantineRecord.Stage.LIST,
              "ChangedSinceIngest", c.audioPath() + ": content changed since it was ingested into " + table
                  + "; re-run without --incremental to replace it"));
        } else {
          skipped++;
        }
      }
      todo = fresh;
      append = true;
      LOG.info("Incremental: {} of {} clips are new ({} already in {})", todo.size(), listing.clips().size(),
          skipped, table);
    }

    // Featurise: partitions of about equal audio, longest first.
    int parallelism = sc.defaultParallelism();
    int nParts = Math.max(1, Math.min(todo.size(), o.partitions() > 0 ? o.partitions() : 4 * parallelism));
    List<List<ClipRef>> buckets = balance(todo, nParts, parallelism);
    sc.setJobDescription("timbre ingest " + o.dataset() + ": decode + resample + features, " + todo.size()
        + " clips in " + buckets.size() + " partitions");
    String specJson = spec.toJson();
    Map<String, String> hadoop = new HashMap<>(o.hadoop());
    int logEvery = Math.max(1, o.logEvery());
    long t1 = System.nanoTime();
    // The new version goes to a folder of its own; the published one is not touched until the pointer moves.
    String id = TableVersion.newId(runId, published == null ? null : published.id());
    TableVersion version = append ? TableVersion.on(published, id) : TableVersion.fresh(table, id);
    String data = TableVersion.dataDir(table, version.id());
    SaveMode mode = SaveMode.ErrorIfExists;
    String specId = spec.id();
    double hop = spec.hopLength() / (double) spec.sampleRate();
    List<String> vocab = vocabulary;
    // One job featurises and writes the segments: each clip's segments stream into the Parquet writer as soon as
    // they are computed (memory per task: one clip's features), and a summary of each clip (no features) goes back
    // with the task results (ClipSummaries). Updates from re-executed tasks can repeat, so summaries are keyed by clip.
    ClipSummaries done = new ClipSummaries();
    sc.sc().register(done, "ingested clips");
    int splits = (int) todo.stream().map(ClipRef::split).distinct().count();
    try (ScopedSqlConf ignored = ScopedSqlConf.set(spark, SegmentsWrite.sqlConf(splits))) {
      spark.createDataset(sc.parallelize(buckets, Math.max(1, buckets.size()))
            .mapPartitions(it -> featurizeToRecords(it, specJson, targets, hadoop, logEvery, done, vocab, specId,
                hop)).rdd(),
        org.apache.spark.sql.Encoders.bean(io.timbre.table.SegmentRecord.class))
        .select(FeatureTable.segmentColumns())
        .write().mode(mode).partitionBy("split")
        .options(SegmentsWrite.parquetOptions())
        .parquet(data + "/segments");
    }
    Map<String, ClipRef> todoById = new HashMap<>();
    for (ClipRef c : todo) {
      todoById.put(c.id(), c);
    }
    Map<String, ClipResult> byClip = new java.util.TreeMap<>();
    for (ClipResult r : done.value()) {
      ClipRef full = todoById.get(r.clip().id());
      if (full == null) {
        throw new IllegalStateException("Ingest got a summary of clip " + r.clip().id() + ", which it did not list");
      }
      byClip.put(full.id(), r.withClip(full));
    }
    List<ClipResult> summaries = new ArrayList<>(byClip.values());
    if (summaries.size() != todo.size()) {
      throw new IllegalStateException("Ingest lost track of clips: " + summaries.size() + " summaries for "
          + todo.size() + " clips");
    }
    double tFeatures = seconds(t1);

    // Clips and quarantine (two small single-task writes, run side by side: each is mostly Spark's fixed per-write
    // cost), then provenance (its presence marks a complete table).
    long t2 = System.nanoTime();
    // Clip rows are small: built from the results already on the driver, written by one task.
    List<Row> clipRows = new ArrayList<>();
    for (ClipResult r : summaries) {
      if (r.ok()) {
        clipRows.add(clipRow(r, specId));
      } else {
        quarantine.add(r.failure());
      }
    }
    List<Row> qRows = new ArrayList<>();
    for (QuarantineRecord q : quarantine) {
      qRows.add(RowFactory.create(q.path(), q.dataset(), q.stage().name(), q.errorClass(), q.message(), specId,
          runId));
    }
    ScopedSqlConf interpreted = ScopedSqlConf.set(spark, SegmentsWrite.interpreted());
    java.util.concurrent.ExecutorService side = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "timbre-ingest-quarantine-writer");
      t.setDaemon(true);
      return t;
    });
    try {
      java.util.concurrent.Future<?> quarantineWritten = side.submit(() -> {
        sc.setJobDescription("timbre ingest " + o.dataset() + ": write quarantine");
        spark.createDataFrame(qRows, FeatureTable.QUARANTINE).coalesce(1).write().mode(mode)
            .parquet(data + "/quarantine");
      });
      RuntimeException failure = null;
      try {
        sc.setJobDescription("timbre ingest " + o.dataset() + ": write clips");
        spark.createDataFrame(clipRows, FeatureTable.CLIPS).coalesce(1)
            .write().mode(mode).partitionBy("split").parquet(data + "/clips");
      } catch (RuntimeException e) {
        failure = e;
      }
      // Always wait for the other write, so nothing is still writing once this method has returned or thrown.
      try {
        quarantineWritten.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = addFailure(failure, new IllegalStateException("Interrupted while writing " + table
            + "/quarantine", e));
      } catch (java.util.concurrent.ExecutionException e) {
        failure = addFailure(failure, e.getCause() instanceof RuntimeException re ? re
            : new IllegalStateException("Cannot write " + table + "/quarantine: " + e.getCause(), e.getCause()));
      }
      if (failure != null) {
        throw failure;
      }
    } finally {
      side.shutdownNow();
      interpreted.close();
    }
    double tWrite = seconds(t2);

    long ok = summaries.stream().filter(ClipResult::ok).count();
    double hours = summaries.stream().filter(ClipResult::ok).mapToDouble(ClipResult::durationSec).sum() / 3600;
    Map<String, Double> stages = new LinkedHashMap<>();
    stages.put("list", tList);
    stages.put("featurise+segments", tFeatures);
    stages.put("clips+quarantine", tWrite);
    IngestSummary summary = new IngestSummary(table, ok, skipped, quarantine.size(), segmentsOf(summaries), hours,
        seconds(t0), stages);
    writeProvenance(version.provenanceLocation(), hconf, o, listing, vocabulary, targets, summaries, quarantine,
        summary, runId, previous, hashes);
    TableVersion live = version.publish(hconf);
    List<String> removed = live.retain(RETAINED_VERSIONS, hconf);
    LOG.info("Published version {} of {}{}", live.id(), table, removed.isEmpty() ? "" : " (removed old " + removed
        + ")");
    LOG.info("Ingest done: {}", summary);
    return summary;
  }

  private static RuntimeException addFailure(RuntimeException first, RuntimeException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  private static long segmentsOf(List<ClipResult> rs) {
    return rs.stream().filter(ClipResult::ok).mapToLong(r -> r.segments().size()).sum();
  }

  /** Lazily: one clip featurised at a time, its segments handed on, its summary added to {@code done}. */
  private static java.util.Iterator<io.timbre.table.SegmentRecord> featurizeToRecords(
      java.util.Iterator<List<ClipRef>> buckets, String specJson, FrameTargets targets, Map<String, String> hadoop,
      int logEvery, ClipSummaries done, List<String> vocab, String specId,
      double hop) {
    Configuration conf = new Configuration();
    hadoop.forEach(conf::set);
    ClipFeaturizer featurizer = new ClipFeaturizer(FeatureSpec.parse(specJson), targets, conf);
    java.util.Iterator<ClipRef> clips = new java.util.Iterator<>() {
      private java.util.Iterator<ClipRef> current = java.util.Collections.emptyIterator();

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
    Logger log = LoggerFactory.getLogger(IngestJob.class);
    long start = System.nanoTime();
    return new java.util.Iterator<>() {
      private java.util.Iterator<io.timbre.table.SegmentRecord> rows = java.util.Collections.emptyIterator();
      private int n;
      private double audio;

      @Override
      public boolean hasNext() {
        while (!rows.hasNext() && clips.hasNext()) {
          ClipResult r = featurizer.featurize(clips.next());
          done.add(r);
          rows = segmentRecords(r, vocab, specId, hop).iterator();
          n++;
          audio += r.durationSec();
          if (n % logEvery == 0) {
            double s = seconds(start);
            log.info("featurised {} clips in this task: {} clips/s, {} audio-hours/s", n,
                String.format("%.1f", n / s), String.format("%.3f", audio / 3600 / s));
          }
        }
        return rows.hasNext();
      }

      @Override
      public io.timbre.table.SegmentRecord next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        return rows.next();
      }
    };
  }

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
    sorted.sort(Comparator.comparingLong(IngestJob::weight).reversed().thenComparing(ClipRef::id));
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

  private static List<io.timbre.table.SegmentRecord> segmentRecords(ClipResult r, List<String> vocabulary,
      String specId, double hop) {
    List<io.timbre.table.SegmentRecord> rows = new ArrayList<>();
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
      io.timbre.table.SegmentRecord x = new io.timbre.table.SegmentRecord();
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

  private static Row clipRow(ClipResult r, String specId) {
    ClipRef c = r.clip();
    ObjectNode ann = JSON.createObjectNode();
    ann.set("events", JSON.valueToTree(c.events()));
    ann.set("series", JSON.valueToTree(c.series()));
    return RowFactory.create(c.id(), c.dataset(), c.audioPath(), c.audioPaths().toArray(new String[0]),
        c.sizeBytes(), r.sha256(), r.durationSec(), r.sourceRate(), r.sourceChannels(), r.sourceBits(),
        r.sourceEncoding(), c.labels().toArray(new String[0]),
        scala.collection.JavaConverters.mapAsScalaMapConverter(new HashMap<>(c.tags())).asScala(),
        json(ann), c.groupKey(), r.frames(), r.segments().size(), specId, c.split());
  }

  private static String json(ObjectNode node) {
    try {
      return new ObjectMapper().writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialise annotations", e);
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

  private static void checkCompatible(ObjectNode previous, List<String> vocabulary, FrameTargets targets,
      String table) {
    List<String> had = new ArrayList<>();
    previous.path("label_vocabulary").forEach(n -> had.add(n.asText()));
    List<String> hadChannels = new ArrayList<>();
    previous.path("frame_target_channels").forEach(n -> hadChannels.add(n.asText()));
    if (!had.equals(vocabulary) || !hadChannels.equals(targets.channels())) {
      throw new DatasetException("Cannot ingest incrementally into " + table + ": the label vocabulary or target "
          + "channels changed (" + had + " / " + hadChannels + " -> " + vocabulary + " / " + targets.channels()
          + "); the targets' layout would differ. Re-run without --incremental.");
    }
  }

  static ObjectNode readProvenance(String provenance, Configuration conf) {
    try {
      Path p = new Path(provenance);
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        return null;
      }
      try (var in = fs.open(p)) {
        return (ObjectNode) JSON.readTree(in);
      }
    } catch (IOException e) {
      throw new DatasetException("Cannot read " + provenance + ": " + e.getMessage(), e);
    }
  }

  private static void writeProvenance(String target, Configuration conf, IngestOptions o, DatasetListing listing,
      List<String> vocabulary, FrameTargets targets, List<ClipResult> results, List<QuarantineRecord> quarantine,
      IngestSummary summary, String runId, ObjectNode previous, Map<String, String> hashes) {
    ObjectNode p = JSON.createObjectNode();
    p.put("layout_version", FeatureTable.LAYOUT_VERSION);
    p.put("dataset", o.dataset());
    p.put("dataset_root", listing.root());
    p.put("spec_id", o.spec().id());
    try {
      p.set("spec", JSON.readTree(o.spec().toJson()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    p.put("code_version", CodeVersion.get());
    p.set("label_vocabulary", JSON.valueToTree(vocabulary));
    p.set("frame_target_channels", JSON.valueToTree(targets.channels()));
    ObjectNode config = p.putObject("config");
    config.put("validation", o.validation());
    config.put("test", o.test());
    config.put("seed", o.seed());
    config.put("incremental", o.incremental());
    config.put("partitions", o.partitions());
    // Settings names only: values may be credentials or endpoints users do not want in a shared table.
    config.set("hadoop_settings", JSON.valueToTree(new TreeSet<>(o.hadoop().keySet())));

    // The fingerprint covers every listed input: path, size and content hash.
    Map<String, String> sha = new TreeMap<>(hashes);
    for (ClipResult r : results) {
      if (r.sha256() != null) {
        sha.put(r.clip().id(), r.sha256());
      }
    }
    if (previous != null && o.incremental()) {
      previous.path("inputs").forEach(n -> sha.putIfAbsent(n.path("id").asText(), n.path("sha256").asText()));
    }
    ArrayNode inputs = p.putArray("inputs");
    MessageDigest d = sha256();
    for (ClipRef c : listing.clips().stream().sorted(Comparator.comparing(ClipRef::id)).toList()) {
      String h = sha.getOrDefault(c.id(), "");
      inputs.addObject().put("id", c.id()).put("size", c.sizeBytes()).put("sha256", h);
      d.update((c.id() + "\t" + c.sizeBytes() + "\t" + h + "\n").getBytes(StandardCharsets.UTF_8));
    }
    p.put("input_fingerprint", HexFormat.of().formatHex(d.digest()));

    SortedMap<String, Map<String, Long>> counts = new TreeMap<>();
    for (ClipResult r : results) {
      if (!r.ok()) {
        continue;
      }
      Map<String, Long> c = counts.computeIfAbsent(r.clip().split(), s -> new TreeMap<>());
      c.merge("clips", 1L, Long::sum);
      c.merge("segments", (long) r.segments().size(), Long::sum);
      for (String l : r.clip().labels()) {
        c.merge("label:" + l, 1L, Long::sum);
      }
    }
    p.set("counts_this_run", JSON.valueToTree(counts));
    SortedMap<String, Long> q = new TreeMap<>();
    for (QuarantineRecord r : quarantine) {
      q.merge(r.stage() + "/" + r.errorClass(), 1L, Long::sum);
    }
    p.set("quarantine_this_run", JSON.valueToTree(q));
    ArrayNode runs = p.putArray("runs");
    if (previous != null && o.incremental()) {
      previous.path("runs").forEach(runs::add);
    }
    ObjectNode run = runs.addObject();
    run.put("run_id", runId);
    run.put("finished_at", Instant.now().toString());
    run.put("incremental", o.incremental());
    run.put("clips_ok", summary.clipsOk());
    run.put("clips_already_present", summary.clipsSkipped());
    run.put("quarantined", summary.quarantined());
    run.put("segments", summary.segments());
    run.put("audio_hours", summary.audioHours());
    run.put("wall_seconds", summary.wallSeconds());
    run.set("stage_seconds", JSON.valueToTree(summary.stageSeconds()));
    run.put("code_version", CodeVersion.get());
    write(target, conf, p);
  }

  /** Complete or absent: a temporary name then rename (HDFS/local); object stores write on close in one PUT. */
  static void write(String target, Configuration conf, ObjectNode json) {
    try {
      Path p = new Path(target);
      FileSystem fs = p.getFileSystem(conf);
      byte[] bytes = JSON.writeValueAsBytes(json);
      boolean objectStore = "s3a".equals(p.toUri().getScheme()) || "s3".equals(p.toUri().getScheme());
      Path tmp = objectStore ? p : new Path(p.getParent(), "." + p.getName() + "." + UUID.randomUUID() + ".tmp");
      try (OutputStream out = fs.create(tmp, true)) {
        out.write(bytes);
      }
      if (!objectStore) {
        fs.delete(p, false);
        if (!fs.rename(tmp, p)) {
          throw new IOException("rename " + tmp + " -> " + p + " failed");
        }
      }
    } catch (IOException e) {
      throw new DatasetException("Cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
