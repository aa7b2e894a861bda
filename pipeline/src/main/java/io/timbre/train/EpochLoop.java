package io.timbre.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbre.eval.ModelScorer;
import io.timbre.model.EpochRecord;
import io.timbre.model.ExampleKey;
import io.timbre.model.Networks;
import io.timbre.store.AtomicFiles;
import io.timbre.table.TableInfo;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.stats.EventStats;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * The epochs of one run: fit by parameter averaging, validate, decide early stopping, keep the best network and
 * checkpoint. Per epoch the training examples are put in an order that depends only on (seed, epoch, example) and split
 * over the workers; each worker fits {@code averaging_frequency} minibatches of {@code batch_size_per_worker}, then
 * parameters and updater state are averaged, until the epoch is done.
 */
final class EpochLoop {
  private static final Logger LOG = LoggerFactory.getLogger(EpochLoop.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JavaSparkContext sc;
  private final Experiment ex;
  private final TableInfo table;
  private final TrainingExamples examples;
  private final int workers;
  private final Path runDir;
  private final Checkpoints checkpoints;
  private final Configuration conf;

  EpochLoop(JavaSparkContext sc, Experiment ex, TableInfo table, TrainingExamples examples, int workers, Path runDir,
      Checkpoints checkpoints, Configuration conf) {
    this.sc = sc;
    this.ex = ex;
    this.table = table;
    this.examples = examples;
    this.workers = workers;
    this.runDir = runDir;
    this.checkpoints = checkpoints;
    this.conf = conf;
  }

  /** The network after the last epoch, the final state, DL4J's last statistics (or null), mean examples/s here. */
  record Outcome(Model network, TrainingState state, SparkTrainingStats lastStats,
      double meanExamplesPerSecond) {}

  Outcome run(Model network, TrainingState initial, long wall0) throws IOException {
    TrainSpec ts = ex.train();
    EarlyStopping stopping = EarlyStopping.of(ts);
    Model net = network;
    TrainingState state = initial;
    double throughputSum = 0;
    int epochsHere = 0;
    SparkTrainingStats lastStats = null;
    boolean stop = state.stoppedEarly();
    for (int epoch = state.epoch() + 1; epoch <= ts.epochs() && !stop; epoch++) {
      long e0 = System.nanoTime();
      SparkNetwork sparkNet = fit(net, epoch);
      double fitSeconds = (System.nanoTime() - e0) / 1e9;
      net = sparkNet.network();
      double loss = sparkNet.score();
      lastStats = ts.collectStats() ? sparkNet.stats() : null;
      Map<String, Double> metrics = validate(sparkNet, epoch);
      double epochSeconds = (System.nanoTime() - e0) / 1e9;
      double throughput = examples.trainCount / fitSeconds;
      throughputSum += throughput;
      epochsHere++;
      int rounds = (int) Math.ceil(examples.trainCount / (double) ((long) workers * ts.batchSizePerWorker()
          * ts.averagingFrequency()));

      EarlyStopping.Decision decision = stopping.decide(state, epoch, metrics);
      if (decision.improved()) {
        writeNetwork(new Path(runDir, "best.zip"), net, false, conf);
      }
      stop = decision.stop();
      EpochRecord record = new EpochRecord(epoch, loss, metrics, learningRate(net), fitSeconds, epochSeconds,
          throughput, rounds, workers, lastStats == null ? null : statsSummary(lastStats));
      state = state.after(record, Networks.iterationCount(net), decision, epoch >= ts.epochs());

      double meanEpoch = (System.nanoTime() - wall0) / 1e9 / epochsHere;
      LOG.info(String.format("epoch %d/%d  loss %.4f  %s %.4f%s  %.0f ex/s  %.1f s  ~%.0f s left", epoch,
          ts.epochs(), loss, ts.metric(), metrics.get(ts.metric()), decision.improved() ? " *" : "", throughput,
          epochSeconds, meanEpoch * (ts.epochs() - epoch)));

      if (epoch % ts.checkpointEvery() == 0 || epoch == ts.epochs() || stop) {
        checkpoints.write(epoch, net, state);
        checkpoints.prune(ts.keepCheckpoints());
      }
      Trainer.writeJson(new Path(runDir, "curves.json"), state.curvesJson(), conf);
    }
    if (stop) {
      LOG.info("Early stopping: {} did not improve for {} epochs (best {} at epoch {})", ts.metric(), ts.patience(),
          state.best().metric(), state.best().epoch());
    }
    return new Outcome(net, state, lastStats, epochsHere == 0 ? 0 : throughputSum / epochsHere);
  }

  private SparkNetwork fit(Model net, int epoch) {
    TrainSpec ts = ex.train();
    Networks.setEpochCount(net, epoch - 1);
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
    SparkNetwork sparkNet = SparkNetwork.of(sc, net, tm, ts.collectStats());
    long seed = ts.seed();
    int n = workers;
    // Not sortByKey: its range partitioner samples with a seed derived from the RDD's id, which differs between
    // runs, so workers would get different examples and a resumed run would diverge from an uninterrupted one.
    JavaRDD<DataSet> ordered = examples.train.mapToPair(t -> new Tuple2<>(orderKey(seed, epoch, t._1()), t._2()))
        .repartitionAndSortWithinPartitions(new ModPartitioner(n)).values();
    sc.setJobDescription("timbre train " + ex.name() + ": epoch " + epoch + " fit");
    sparkNet.fit(ordered);
    return sparkNet;
  }

  private Map<String, Double> validate(SparkNetwork sparkNet, int epoch) {
    TrainSpec ts = ex.train();
    sc.setJobDescription("timbre train " + ex.name() + ": epoch " + epoch + " validation");
    Map<String, Double> metrics = new LinkedHashMap<>(ModelScorer.score(sparkNet.predict(
        examples.validation, ex.model().architecture().recurrent(), ts.evalBatchSize()), ex.model(),
        Trainer.labels(ex, table), table, examples.normalizer));
    metrics.put("val_loss", sparkNet.calculateScore(examples.validation.values(), true, ts.evalBatchSize()));
    return metrics;
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

  private static double learningRate(Model net) {
    return Networks.learningRate(net);
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

  private static void writeNetwork(Path target, Model net, boolean updater, Configuration conf)
      throws IOException {
    AtomicFiles.write(target, conf, Networks.write(net, updater));
  }
}
