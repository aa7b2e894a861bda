package io.timbre.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timbre.backend.LayerHelpers;
import io.timbre.exceptions.BadConfigException;
import io.timbre.exceptions.IncompatibleArtefactException;
import io.timbre.exceptions.StorageException;
import io.timbre.model.NetworkFactory;
import io.timbre.spark.LocalClock;
import io.timbre.store.AtomicFiles;
import io.timbre.table.TableInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.stats.StatsUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
      throw new StorageException("Training failed on I/O: " + e.getMessage(), e);
    }
  }

  /** A run's folder and the checkpoint it continues from, if any. */
  private record RunStart(String runId, Path runDir, Checkpoints checkpoints, Optional<Checkpoints.Loaded> resumed) {}

  private static RunResult runChecked(SparkSession spark, TrainRequest req) throws IOException {
    long wall0 = System.nanoTime();
    LocalClock.install();
    LayerHelpers.configure();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration conf = sc.hadoopConfiguration();
    Experiment ex = req.experiment();
    TrainSpec ts = ex.train();
    TableInfo table = TableInfo.read(req.table(), conf);
    RunStart start = start(req, ex, table, conf);
    Optional<TrainingState> resumedState = start.resumed().map(l -> l.state());
    try (TrainingExamples examples = TrainingExamples.encode(spark, ex, table,
        resumedState.map(TrainingState::normalization))) {
      Model net = start.resumed().map(Checkpoints.Loaded::network).orElseGet(() -> NetworkFactory.createModel(
          ex.model(), examples.encoder.chunkLength(), examples.bins, examples.encoder.outputs(), ts.seed()));
      TrainingState state = resumedState.map(TrainingState::resumed).orElseGet(() -> TrainingState.start(
          start.runId(), ex.fingerprint(), table.inputFingerprint(), Instant.now().toString(), examples.normalizer));
      int workers = ts.workers() > 0 ? ts.workers() : sc.defaultParallelism();
      LOG.info("Training {} run {}: {} parameters, {} training / {} validation examples ({} x {}), {} workers, "
          + "epochs {}..{}; layer helpers {}", ex.name(), start.runId(), net.numParams(), examples.trainCount,
          examples.validationCount, examples.encoder.chunkLength(), examples.bins, workers, state.epoch() + 1,
          ts.epochs(), LayerHelpers.describe(net));

      EpochLoop loop = new EpochLoop(sc, ex, table, examples, workers, start.runDir(), start.checkpoints(), conf);
      EpochLoop.Outcome done = loop.run(net, state, wall0);
      state = done.state();

      // Outputs: model.zip (the best epoch's network), stats, then model.json last.
      Path best = new Path(start.runDir(), "best.zip");
      AtomicFiles.write(new Path(start.runDir(), "model.zip"), conf, AtomicFiles.read(best, conf));
      if (done.lastStats() != null) {
        exportStats(done.lastStats(), new Path(start.runDir(), "training-stats.html"), conf);
      }
      ModelProvenanceBuilder.of(spark, ex, table, state, examples, done.network())
          .write(start.runDir().toString(), conf);
      double wall = (System.nanoTime() - wall0) / 1e9;
      LOG.info("Run {} finished: best {} {} at epoch {}; model in {}", start.runId(), ts.metric(),
          state.best().metric(), state.best().epoch(), start.runDir());
      return new RunResult(start.runDir().toString(), start.runId(), state.epoch(), state.best().epoch(),
          state.best().metrics(), state.stoppedEarly(), done.meanExamplesPerSecond(), wall);
    }
  }

  /** Names the run, refuses to overwrite a finished or checkpointed one, and loads the checkpoint to resume. */
  private static RunStart start(TrainRequest req, Experiment ex, TableInfo table, Configuration conf)
      throws IOException {
    Path taskDir = new Path(req.runsRoot(), ex.name());
    String runId = req.resume() ? RunIds.resumable(taskDir, req.runId(), conf) : (req.runId() != null ? req.runId()
        : RunIds.fresh(ex, table));
    Path runDir = new Path(taskDir, runId);
    FileSystem fs = runDir.getFileSystem(conf);
    if (!req.resume() && fs.exists(new Path(runDir, "model.json"))) {
      throw new BadConfigException("Run " + runDir + " is already complete; choose another --run-id");
    }
    if (!req.resume() && fs.exists(new Path(runDir, "checkpoints"))
        && new Checkpoints(runDir, conf).list().size() > 0) {
      throw new BadConfigException("Run " + runDir + " has checkpoints; pass --resume to continue it");
    }
    Checkpoints checkpoints = new Checkpoints(runDir, conf);
    Optional<Checkpoints.Loaded> resumed = req.resume() ? checkpoints.latestValid() : Optional.empty();
    if (resumed.isPresent()) {
      String had = resumed.get().state().experimentFingerprint();
      if (!had.equals(ex.fingerprint())) {
        throw new IncompatibleArtefactException("Cannot resume " + runDir + ": the experiment's settings differ from "
            + "the run's (fingerprint " + had + " vs " + ex.fingerprint() + ")");
      }
      if (!resumed.get().state().tableFingerprint().equals(table.inputFingerprint())) {
        throw new IncompatibleArtefactException("Cannot resume " + runDir + ": table " + table.location()
            + " changed since the run started (input fingerprint differs)");
      }
      LOG.info("Resuming run {} from {} (epoch {})", runId, resumed.get().path(), resumed.get().epoch());
    } else if (req.resume()) {
      LOG.warn("No valid checkpoint in {}: starting the run from epoch 1", runDir);
    }
    return new RunStart(runId, runDir, checkpoints, resumed);
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
      case SEPARATION, GENERATION -> table.frameChannels();
    };
  }

  private static void exportStats(SparkTrainingStats stats, Path target, Configuration conf) {
    try {
      ByteArrayOutputStream html = new ByteArrayOutputStream();
      StatsUtils.exportStatsAsHTML(stats, html);
      AtomicFiles.write(target, conf, html.toByteArray());
    } catch (Exception e) {
      // Statistics are a diagnostic: a failure to render them must not fail a finished run.
      LOG.warn("Could not export DL4J training statistics to {}: {}", target, e.toString());
    }
  }

  static void writeJson(Path target, JsonNode node, Configuration conf) throws IOException {
    AtomicFiles.write(target, conf, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
  }
}
