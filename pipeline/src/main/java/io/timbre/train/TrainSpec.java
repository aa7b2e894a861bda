package io.timbre.train;

import com.typesafe.config.Config;
import io.timbre.config.JobConfig;
import io.timbre.eval.Metric;
import io.timbre.model.Task;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * How a network is trained, from the {@code train} block of an experiment file: DL4J parameter-averaging settings
 * (batch size per worker, averaging frequency, prefetch, repartitioning, workers), the epoch budget, the seed, early
 * stopping and checkpointing.
 *
 * @param workers parallel workers; 0 = Spark's default parallelism (the cores of local[N], or executors × cores)
 * @param repartition DL4J's repartition policy: {@code always}, {@code never} or {@code num_partitions_workers_differs}
 * @param metric validation metric early stopping watches, by the name training reports it ({@link Metric})
 * @param patience epochs without improvement before stopping
 * @param checkpointEvery write a checkpoint every N epochs (and always at the end)
 * @param keepCheckpoints how many epoch checkpoints to keep (the best model is kept separately)
 */
public record TrainSpec(int epochs, int batchSizePerWorker, int averagingFrequency, int prefetchBatches, int workers,
    String repartition, long seed, String metric, int patience, double minDelta, int checkpointEvery,
    int keepCheckpoints, String trainSplit, String validationSplit, int evalBatchSize, boolean collectStats)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  static final Set<String> KEYS = Set.of("epochs", "batch_size_per_worker", "averaging_frequency", "prefetch_batches",
      "workers", "repartition", "seed", "early_stopping.metric", "early_stopping.patience", "early_stopping.min_delta",
      "checkpoint_every", "keep_checkpoints", "train_split", "validation_split", "eval_batch_size", "collect_stats");

  public static TrainSpec parse(Config root, String origin, Task task) {
    JobConfig.Section s = JobConfig.Section.of(root, "train", origin, KEYS);
    String repartition = s.getString("repartition", "never");
    if (!Set.of("always", "never", "num_partitions_workers_differs").contains(repartition)) {
      throw s.invalid("repartition", "unknown '" + repartition + "' (known: always, never, "
          + "num_partitions_workers_differs)");
    }
    String given = s.getString("early_stopping.metric",
        Metric.defaultValidation(task).validationName().orElseThrow());
    String metric = Metric.find(given, task).flatMap(Metric::validationName).orElseThrow(() -> s.invalid(
        "early_stopping.metric", "'" + given + "' is not a validation metric of task " + task.key()
            + " (use one of " + new java.util.TreeSet<>(Metric.validationNames(task)) + ")"));
    return new TrainSpec(
        (int) s.range("epochs", s.getInt("epochs", 30), 1, 100_000),
        (int) s.range("batch_size_per_worker", s.getInt("batch_size_per_worker", 32), 1, 65_536),
        (int) s.range("averaging_frequency", s.getInt("averaging_frequency", 5), 1, 100_000),
        (int) s.range("prefetch_batches", s.getInt("prefetch_batches", 2), 0, 1_000),
        (int) s.range("workers", s.getInt("workers", 0), 0, 100_000),
        repartition,
        s.getLong("seed", 42),
        metric,
        (int) s.range("early_stopping.patience", s.getInt("early_stopping.patience", 5), 1, 100_000),
        s.range("early_stopping.min_delta", s.getDouble("early_stopping.min_delta", 0), 0, 1e9),
        (int) s.range("checkpoint_every", s.getInt("checkpoint_every", 1), 1, 100_000),
        (int) s.range("keep_checkpoints", s.getInt("keep_checkpoints", 2), 1, 1_000),
        s.getString("train_split", "train"),
        s.getString("validation_split", "validation"),
        (int) s.range("eval_batch_size", s.getInt("eval_batch_size", 64), 1, 65_536),
        s.getBoolean("collect_stats", true));
  }

  /** Whether a larger value of the early-stopping metric is better. */
  public boolean higherIsBetter() {
    return Metric.higherIsBetter(metric);
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epochs", epochs);
    m.put("batch_size_per_worker", batchSizePerWorker);
    m.put("averaging_frequency", averagingFrequency);
    m.put("prefetch_batches", prefetchBatches);
    m.put("workers", workers);
    m.put("repartition", repartition);
    m.put("seed", seed);
    Map<String, Object> es = new LinkedHashMap<>(); // not Map.of: its iteration order changes from JVM to JVM
    es.put("metric", metric);
    es.put("patience", patience);
    es.put("min_delta", minDelta);
    m.put("early_stopping", es);
    m.put("checkpoint_every", checkpointEvery);
    m.put("keep_checkpoints", keepCheckpoints);
    m.put("train_split", trainSplit);
    m.put("validation_split", validationSplit);
    m.put("eval_batch_size", evalBatchSize);
    m.put("collect_stats", collectStats);
    return m;
  }
}
