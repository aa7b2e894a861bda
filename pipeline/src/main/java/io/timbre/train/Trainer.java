package io.timbre.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbre.datasets.DatasetException;
import io.timbre.model.NetworkFactory;
import io.timbre.spark.LocalClock;
import io.timbre.store.AtomicFiles;
import io.timbre.util.Versions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.stats.EventStats;
import org.deeplearning4j.spark.stats.StatsUtils;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Trains a network on a feature table across Spark executors with DL4J's {@link ParameterAveragingTrainingMaster}.
 *
 * <p>Per epoch: the training examples (encoded once and cached serialised) are put in an order that depends only on
 * (seed, epoch, example) and split over the workers; each worker fits {@code averaging_frequency} minibatches of
 * {@code batch_size_per_worker}, then parameters and updater state are averaged; repeat until the epoch is done.
 * The driver then scores the validation split (clip-level metrics), keeps the best model, writes a checkpoint and
 * applies early stopping. Everything a resume needs is in the checkpoint, and the data order and worker RNG seeds are
 * functions of the epoch, so a resumed run continues exactly where an uninterrupted one would be.
 *
 * <p>Run layout: {@code <runs>/<experiment>/<run id>/} with {@code checkpoints/}, {@code best.zip},
 * {@code curves.json}, {@code training-stats.html}, {@code model.zip} and {@code model.json} — written last, so its
 * presence marks a finished run.
 */
public final class Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private Trainer() {}

  public static RunResult run(SparkSession spark, TrainRequest req) {
    try {
      return runChecked(spark, req);
    } catch (IOException e) {
      throw new DatasetException("Training failed on I/O: " + e.getMessage(), e);
    }
  }

  private static RunResult runChecked(SparkSession spark, TrainRequest req) throws IOException {
    long wall0 = System.nanoTime();
    LocalClock.install();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration conf = sc.hadoopConfiguration();
    Experiment ex = req.experiment();
    TrainSpec ts = ex.train();
    TableInfo table = TableInfo.read(req.table(), conf);

    Path taskDir = new Path(req.runsRoot(), ex.name());
    String runId = req.resume() ? resumableRun(taskDir, req.runId(), conf) : (req.runId() != null ? req.runId()
        : newRunId(ex, table));
    Path runDir = new Path(taskDir, runId);
    FileSystem fs = runDir.getFileSystem(conf);
    if (!req.resume() && fs.exists(new Path(runDir, "model.json"))) {
      throw new IllegalArgumentException("Run " + runDir + " is already complete; choose another --run-id");
    }
    if (!req.resume() && fs.exists(new Path(runDir, "checkpoints"))
        && new Checkpoints(runDir, conf).list().size() > 0) {
      throw new IllegalArgumentException("Run " + runDir + " has checkpoints; pass --resume to continue it");
    }
    Checkpoints checkpoints = new Checkpoints(runDir, conf);
    Optional<Checkpoints.Loaded> resumed = req.resume() ? checkpoints.latestValid() : Optional.empty();
    if (resumed.isPresent()) {
      String had = resumed.get().state().path("experiment_fingerprint").asText();
      if (!had.equals(ex.fingerprint())) {
        throw new IllegalArgumentException("Cannot resume " + runDir + ": the experiment's settings differ from the "
            + "run's (fingerprint " + had + " vs " + ex.fingerprint() + ")");
      }
      if (!resumed.get().state().path("table_fingerprint").asText().equals(table.inputFingerprint())) {
        throw new IllegalArgumentException("Cannot resume " + runDir + ": table " + table.location()
            + " changed since the run started (input fingerprint differs)");
      }
      LOG.info("Resuming run {} from {} (epoch {})", runId, resumed.get().path(), resumed.get().epoch());
    } else if (req.resume()) {
      LOG.warn("No valid checkpoint in {}: starting the run from epoch 1", runDir);
    }

    Dataset<Row> segments = io.timbre.table.FeatureTable.read(spark, table.location(), "segments");
    Dataset<Row> trainRows = segments.where(segments.col("split").equalTo(ts.trainSplit()));
    Dataset<Row> valRows = segments.where(segments.col("split").equalTo(ts.validationSplit()));
    List<Row> firstRows = trainRows.select("n_frames", "n_bins").takeAsList(1);
    Row first = firstRows.isEmpty() ? null : firstRows.get(0);
    if (first == null || valRows.isEmpty()) {
      List<String> splits = segments.select("split").distinct().as(org.apache.spark.sql.Encoders.STRING())
          .collectAsList();
      throw new IllegalArgumentException("Cannot train on " + table.location() + ": split '"
          + (first == null ? ts.trainSplit() : ts.validationSplit()) + "' is empty (splits present: " + splits + ")");
    }
    int frames = first.getInt(0);
    int bins = first.getInt(1);

    sc.setJobDescription("timbre train " + ex.name() + ": normalisation statistics");
    Normalizer normalizer = resumed.isPresent() ? normalizer(resumed.get().state())
        : Normalizer.fit(trainRows.javaRDD(), bins);
    ExampleEncoder encoder = new ExampleEncoder(ex.model(), normalizer, frames, table);
    int workers = ts.workers() > 0 ? ts.workers() : sc.defaultParallelism();

    JavaPairRDD<ExampleKey, DataSet> train = trainRows.javaRDD()
        .flatMapToPair(r -> {
          // TimbrePlugin pins the clock in every executor of a Timbre session; this covers sessions made elsewhere
          // (a library user's), at least on the executors that encode.
          LocalClock.install();
          return encoder.keyedTraining(r).iterator();
        }).persist(StorageLevel.MEMORY_AND_DISK_SER());
    JavaPairRDD<ExampleKey, DataSet> validation = valRows.javaRDD()
        .flatMapToPair(r -> encoder.keyed(r).iterator()).persist(StorageLevel.MEMORY_AND_DISK_SER());
    sc.setJobDescription("timbre train " + ex.name() + ": encoding examples");
    long nTrain = train.count();
    long nVal = validation.count();
    if (nTrain == 0) {
      throw new IllegalArgumentException("Cannot train on " + table.location() + ": no labelled training examples");
    }

    MultiLayerNetwork net = resumed.map(Checkpoints.Loaded::network).orElseGet(() -> NetworkFactory.create(
        ex.model(), encoder.chunkLength(), bins, encoder.outputs(), ts.seed()));
    ObjectNode state = resumed.map(Checkpoints.Loaded::state).orElseGet(() -> initialState(ex, table, runId,
        normalizer));
    int startEpoch = state.path("epoch").asInt(0) + 1;
    if (resumed.isPresent()) {
      ((ArrayNode) state.withArray("resumed_at_epochs")).add(startEpoch - 1);
    }
    LOG.info("Training {} run {}: {} parameters, {} training / {} validation examples ({} x {}), {} workers, "
        + "epochs {}..{}", ex.name(), runId, net.numParams(), nTrain, nVal, encoder.chunkLength(), bins, workers,
        startEpoch, ts.epochs());

    double throughputSum = 0;
    int epochsHere = 0;
    SparkTrainingStats lastStats = null;
    boolean stop = state.path("stopped_early").asBoolean(false);
    for (int epoch = startEpoch; epoch <= ts.epochs() && !stop; epoch++) {
      long e0 = System.nanoTime();
      net.getLayerWiseConfigurations().setEpochCount(epoch - 1);
      ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(workers, 1)
          .batchSizePerWorker(ts.batchSizePerWorker())
          .averagingFrequency(ts.averagingFrequency())
          .workerPrefetchNumBatches(ts.prefetchBatches())
          .repartionData(repartition(ts.repartition()))
          .rddTrainingApproach(RDDTrainingApproach.Direct)
          .rngSeed(ts.seed() * 1_000_003L + epoch)
          .collectTrainingStats(ts.collectStats())
          .saveUpdater(true)
          .trainingHooks(new SeededStepHook(ts.seed(), epoch))
          .build();
      SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, net, tm);
      sparkNet.setCollectTrainingStats(ts.collectStats());
      long seed = ts.seed();
      int ep = epoch;
      // Not sortByKey: its range partitioner samples with a seed derived from the RDD's id, which differs between
      // runs, so workers would get different examples and a resumed run would diverge from an uninterrupted one.
      JavaRDD<DataSet> ordered = train.mapToPair(t -> new Tuple2<>(orderKey(seed, ep, t._1()), t._2()))
          .repartitionAndSortWithinPartitions(new ModPartitioner(workers)).values();
      sc.setJobDescription("timbre train " + ex.name() + ": epoch " + epoch + " fit");
      long f0 = System.nanoTime();
      sparkNet.fit(ordered);
      double fitSeconds = (System.nanoTime() - f0) / 1e9;
      net = sparkNet.getNetwork();
      double loss = sparkNet.getScore();
      lastStats = ts.collectStats() ? sparkNet.getSparkTrainingStats() : null;

      sc.setJobDescription("timbre train " + ex.name() + ": epoch " + epoch + " validation");
      Map<String, Double> metrics = new LinkedHashMap<>(Validator.score(Validator.predict(sparkNet, validation,
          ex.model().architecture().recurrent(), ts.evalBatchSize()), ex.model(), labels(ex, table),
          table.frameRate()));
      metrics.put("val_loss", sparkNet.calculateScore(validation.values(), true, ts.evalBatchSize()));
      double epochSeconds = (System.nanoTime() - e0) / 1e9;
      double throughput = nTrain / fitSeconds;
      throughputSum += throughput;
      epochsHere++;
      int rounds = (int) Math.ceil(nTrain / (double) ((long) workers * ts.batchSizePerWorker()
          * ts.averagingFrequency()));

      double value = metrics.get(ts.metric());
      boolean improved = !state.has("best_metric") || (ts.higherIsBetter()
          ? value > state.path("best_metric").asDouble() + ts.minDelta()
          : value < state.path("best_metric").asDouble() - ts.minDelta());
      if (improved) {
        state.put("best_epoch", epoch);
        state.put("best_metric", value);
        state.set("best_metrics", JSON.valueToTree(metrics));
        state.put("epochs_without_improvement", 0);
        writeNetwork(new Path(runDir, "best.zip"), net, false, conf);
      } else {
        state.put("epochs_without_improvement", state.path("epochs_without_improvement").asInt() + 1);
      }
      stop = state.path("epochs_without_improvement").asInt() >= ts.patience();

      ObjectNode curve = JSON.createObjectNode();
      curve.put("epoch", epoch);
      curve.put("train_loss", loss);
      curve.set("validation", JSON.valueToTree(metrics));
      curve.put("learning_rate", learningRate(net));
      curve.put("fit_seconds", fitSeconds);
      curve.put("epoch_seconds", epochSeconds);
      curve.put("examples_per_second", throughput);
      curve.put("averaging_rounds", rounds);
      curve.put("seconds_per_averaging_round", fitSeconds / rounds);
      curve.put("workers", workers);
      if (lastStats != null) {
        curve.set("dl4j_stats", statsSummary(lastStats));
      }
      ((ArrayNode) state.withArray("curves")).add(curve);
      state.put("epoch", epoch);
      state.put("iteration", net.getIterationCount());
      state.put("stopped_early", stop && epoch < ts.epochs());

      double meanEpoch = (System.nanoTime() - wall0) / 1e9 / epochsHere;
      LOG.info(String.format("epoch %d/%d  loss %.4f  %s %.4f%s  %.0f ex/s  %.1f s  ~%.0f s left", epoch,
          ts.epochs(), loss, ts.metric(), value, improved ? " *" : "", throughput, epochSeconds,
          meanEpoch * (ts.epochs() - epoch)));

      if (epoch % ts.checkpointEvery() == 0 || epoch == ts.epochs() || stop) {
        checkpoints.write(epoch, net, state);
        checkpoints.prune(ts.keepCheckpoints());
      }
      writeJson(new Path(runDir, "curves.json"), state.get("curves"), conf);
    }
    if (stop) {
      LOG.info("Early stopping: {} did not improve for {} epochs (best {} at epoch {})", ts.metric(), ts.patience(),
          state.path("best_metric").asDouble(), state.path("best_epoch").asInt());
    }

    // Outputs: model.zip (the best epoch's network), stats, then model.json last.
    Path best = new Path(runDir, "best.zip");
    AtomicFiles.write(new Path(runDir, "model.zip"), conf, AtomicFiles.read(best, conf));
    if (lastStats != null) {
      exportStats(lastStats, new Path(runDir, "training-stats.html"), sc, conf);
    }
    ObjectNode model = provenance(spark, ex, table, runId, state, normalizer, encoder, bins, net);
    writeJson(new Path(runDir, "model.json"), model, conf);
    train.unpersist(false);
    validation.unpersist(false);

    Map<String, Double> bestMetrics = new LinkedHashMap<>();
    state.path("best_metrics").fields().forEachRemaining(e -> bestMetrics.put(e.getKey(), e.getValue().asDouble()));
    double wall = (System.nanoTime() - wall0) / 1e9;
    LOG.info("Run {} finished: best {} {} at epoch {}; model in {}", runId, ts.metric(),
        state.path("best_metric").asDouble(), state.path("best_epoch").asInt(), runDir);
    return new RunResult(runDir.toString(), runId, state.path("epoch").asInt(), state.path("best_epoch").asInt(),
        bestMetrics, state.path("stopped_early").asBoolean(), epochsHere == 0 ? 0 : throughputSum / epochsHere, wall);
  }

  /** Labels the metrics are named by: the vocabulary, or the onset channels / pitch classes. */
  static List<String> labels(Experiment ex, TableInfo table) {
    return switch (ex.model().task()) {
      case SINGLE_LABEL, MULTI_LABEL -> table.vocabulary();
      case ONSET -> table.onsetChannels();
      case MELODY -> {
        List<String> l = new ArrayList<>();
        l.add("unvoiced");
        for (int i = 0; i < ex.model().melodyBins(); i++) {
          l.add("midi_" + (ex.model().melodyMinMidi() + i));
        }
        yield l;
      }
    };
  }

  /** A key that orders examples pseudo-randomly, differently every epoch, identically in every run. */
  static long orderKey(long seed, int epoch, ExampleKey k) {
    long h = seed * 0x9E3779B97F4A7C15L + epoch;
    h = mix(h ^ k.clipId().hashCode());
    h = mix(h ^ k.segment());
    return mix(h ^ k.chunk());
  }

  /** Partition = key mod n: with pseudo-random keys, balanced and independent of RDD ids. */
  static final class ModPartitioner extends org.apache.spark.Partitioner {
    private static final long serialVersionUID = 1L;
    private final int n;

    ModPartitioner(int n) {
      this.n = n;
    }

    @Override
    public int numPartitions() {
      return n;
    }

    @Override
    public int getPartition(Object key) {
      return (int) Math.floorMod((Long) key, (long) n);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ModPartitioner m && m.n == n;
    }

    @Override
    public int hashCode() {
      return n;
    }
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static Repartition repartition(String s) {
    return switch (s) {
      case "always" -> Repartition.Always;
      case "num_partitions_workers_differs" -> Repartition.NumPartitionsWorkersDiffers;
      default -> Repartition.Never;
    };
  }

  private static double learningRate(MultiLayerNetwork net) {
    try {
      return net.getLearningRate(0) == null ? Double.NaN : net.getLearningRate(0);
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  private static ObjectNode initialState(Experiment ex, TableInfo table, String runId, Normalizer n) {
    ObjectNode s = JSON.createObjectNode();
    s.put("run_id", runId);
    s.put("epoch", 0);
    s.put("iteration", 0);
    s.put("experiment_fingerprint", ex.fingerprint());
    s.put("table_fingerprint", table.inputFingerprint());
    s.put("started_at", Instant.now().toString());
    s.set("normalization", normalizerJson(n));
    s.putArray("curves");
    return s;
  }

  static ObjectNode normalizerJson(Normalizer n) {
    ObjectNode o = JSON.createObjectNode();
    o.set("mean", JSON.valueToTree(n.mean()));
    o.set("std", JSON.valueToTree(n.std()));
    return o;
  }

  static Normalizer normalizer(JsonNode state) {
    JsonNode n = state.path("normalization");
    float[] mean = new float[n.path("mean").size()];
    float[] std = new float[mean.length];
    for (int i = 0; i < mean.length; i++) {
      mean[i] = (float) n.path("mean").get(i).asDouble();
      std[i] = (float) n.path("std").get(i).asDouble();
    }
    return new Normalizer(mean, std);
  }

  private static ObjectNode statsSummary(SparkTrainingStats stats) {
    ObjectNode o = JSON.createObjectNode();
    for (String key : new java.util.TreeSet<>(stats.getKeySet())) {
      List<EventStats> events = stats.getValue(key);
      if (events == null || events.isEmpty()) {
        continue;
      }
      long total = 0;
      for (EventStats e : events) {
        total += e.getDurationMs();
      }
      o.putObject(key).put("count", events.size()).put("mean_ms", total / (double) events.size());
    }
    return o;
  }

  private static void exportStats(SparkTrainingStats stats, Path target, JavaSparkContext sc, Configuration conf) {
    try {
      ByteArrayOutputStream html = new ByteArrayOutputStream();
      StatsUtils.exportStatsAsHTML(stats, html);
      AtomicFiles.write(target, conf, html.toByteArray());
    } catch (Exception e) {
      // Statistics are a diagnostic: a failure to render them must not fail a finished run.
      LOG.warn("Could not export DL4J training statistics to {}: {}", target, e.toString());
    }
  }

  private static void writeNetwork(Path target, MultiLayerNetwork net, boolean updater, Configuration conf)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ModelSerializer.writeModel(net, bytes, updater);
    AtomicFiles.write(target, conf, bytes.toByteArray());
  }

  static void writeJson(Path target, JsonNode node, Configuration conf) throws IOException {
    AtomicFiles.write(target, conf, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
  }

  private static ObjectNode provenance(SparkSession spark, Experiment ex, TableInfo table, String runId,
      ObjectNode state, Normalizer normalizer, ExampleEncoder encoder, int bins, MultiLayerNetwork net)
      throws IOException {
    ObjectNode m = JSON.createObjectNode();
    m.put("format", "timbre-model/1");
    m.put("run_id", runId);
    m.put("experiment", ex.name());
    m.put("task", ex.model().task().key());
    m.put("architecture", ex.model().architecture().key());
    m.put("created_at", Instant.now().toString());
    m.put("started_at", state.path("started_at").asText());
    ObjectNode t = m.putObject("table");
    t.put("location", table.location());
    t.put("dataset", table.dataset());
    t.put("spec_id", table.specId());
    t.set("spec", JSON.readTree(table.specJson()));
    t.put("input_fingerprint", table.inputFingerprint());
    t.put("code_version", table.codeVersion());
    t.set("label_vocabulary", JSON.valueToTree(table.vocabulary()));
    t.set("frame_target_channels", JSON.valueToTree(table.frameChannels()));
    m.set("config", JSON.valueToTree(ex.resolved()));
    m.set("config_source", JSON.readTree(ex.configJson()));
    m.put("config_origin", ex.origin());
    m.put("experiment_fingerprint", ex.fingerprint());
    m.put("seed", ex.train().seed());
    m.set("versions", JSON.valueToTree(Versions.all(spark.version())));
    m.set("labels", JSON.valueToTree(labels(ex, table)));
    m.set("label_vocabulary", JSON.valueToTree(table.vocabulary()));
    ObjectNode input = m.putObject("input");
    input.put("layout", ex.model().architecture().recurrent() ? "[batch, bins, steps]" : "[batch, 1, frames, bins]");
    input.put("steps", encoder.chunkLength());
    input.put("bins", bins);
    input.put("outputs", encoder.outputs());
    m.set("normalization", normalizerJson(normalizer));
    ObjectNode best = m.putObject("best");
    best.put("epoch", state.path("best_epoch").asInt());
    best.put("metric", ex.train().metric());
    best.put("value", state.path("best_metric").asDouble());
    best.set("metrics", state.path("best_metrics"));
    m.put("epochs_run", state.path("epoch").asInt());
    m.put("stopped_early", state.path("stopped_early").asBoolean());
    m.set("resumed_at_epochs", state.withArray("resumed_at_epochs"));
    m.put("parameters", net.numParams());
    m.set("layers", JSON.valueToTree(NetworkFactory.describe(net.getLayerWiseConfigurations())));
    return m;
  }

  private static String newRunId(Experiment ex, TableInfo table) {
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC)
        .format(Instant.now());
    String h;
    try {
      h = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(
          (ex.fingerprint() + table.inputFingerprint()).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
          .substring(0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return stamp + "-" + h;
  }

  /** The run to resume: the given one, or the newest in the task folder that has no model.json yet. */
  static String resumableRun(Path taskDir, String runId, Configuration conf) throws IOException {
    FileSystem fs = taskDir.getFileSystem(conf);
    if (runId != null) {
      if (fs.exists(new Path(new Path(taskDir, runId), "model.json"))) {
        throw new IllegalArgumentException("Run " + new Path(taskDir, runId) + " is already complete (model.json "
            + "exists); nothing to resume");
      }
      return runId;
    }
    if (!fs.exists(taskDir)) {
      throw new IllegalArgumentException("Nothing to resume: " + taskDir + " does not exist");
    }
    List<String> open = new ArrayList<>();
    for (FileStatus s : fs.listStatus(taskDir)) {
      if (s.isDirectory() && !AtomicFiles.hidden(s.getPath().getName())
          && !fs.exists(new Path(s.getPath(), "model.json"))) {
        open.add(s.getPath().getName());
      }
    }
    return open.stream().max(Comparator.naturalOrder()).orElseThrow(() -> new IllegalArgumentException(
        "Nothing to resume: every run in " + taskDir + " is complete"));
  }
}
