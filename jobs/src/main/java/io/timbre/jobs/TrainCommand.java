package io.timbre.jobs;

import com.typesafe.config.ConfigFactory;
import io.timbre.backend.RequiredBackend;
import io.timbre.config.ConfigFile;
import io.timbre.train.Experiment;
import io.timbre.train.RunResult;
import io.timbre.train.TrainRequest;
import io.timbre.train.Trainer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code timbre train}: a feature table + an experiment file → a run with model.zip and model.json. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Train a DL4J network on a feature table by Spark parameter averaging; checkpoints, curves and "
        + "the model go to <out>/<experiment name>/<run id>/ on any Hadoop file system (s3a:// too).")
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec cli;

  @Mixin TableRef table;

  @Option(names = "--model", required = true, paramLabel = "FILE|URI",
      description = "Experiment file (conf/experiments/*.conf): name, model, train. A local file, a Hadoop URI "
          + "(s3a://...), or the name of a file shipped with spark-submit --files.")
  String model;

  @Option(names = "--out", required = true, paramLabel = "RUNS", description = "Runs root (path or URI).")
  String out;

  @Option(names = "--run-id", paramLabel = "ID", description = "Run id (default: a new timestamped id; with "
      + "--resume: the newest unfinished run).")
  String runId;

  @Option(names = "--resume", description = "Continue a run from its newest valid checkpoint.")
  boolean resume;

  @Option(names = "--epochs", paramLabel = "N", description = "Override train.epochs.")
  Integer epochs;

  @Option(names = "--seed", paramLabel = "N", description = "Override train.seed.")
  Long seed;

  @Option(names = "--workers", paramLabel = "N", description = "Override train.workers (on a GPU cluster: the number "
      + "of GPU executors, one DL4J worker per GPU).")
  Integer workers;

  @Option(names = "--require-backend", paramLabel = "cpu|cuda", description = "Refuse to train (exit 3) unless ND4J "
      + "loaded this backend on the driver and on every executor; the EMR training step sets cuda, so a GPU cluster "
      + "never trains on its CPUs.")
  String requireBackend;

  @Mixin SparkOptions sparkOptions;

  @Override
  public Integer call() {
    ConfigFile file = ConfigFile.read(model, sparkOptions.hadoopConfiguration(), "experiment");
    Experiment ex = TrainCommand.experiment(file, epochs, seed, workers);
    try (SparkSession spark = sparkOptions.session("timbre train " + ex.name(), experimentSettings(file))) {
      if (requireBackend != null) {
        RequiredBackend.check(requireBackend, JavaSparkContext.fromSparkContext(spark.sparkContext()));
      }
      RunResult r = Trainer.run(spark, new TrainRequest(table.location(), ex, out, runId, resume));
      var w = cli.commandLine().getOut();
      w.printf("run %s: %d epochs%s, best epoch %d, %s%n", r.runId(), r.epochsRun(),
          r.stoppedEarly() ? " (stopped early)" : "", r.bestEpoch(), r.bestMetrics());
      w.printf("%.0f examples/s, %.1f s; model in %s/model.zip%n", r.examplesPerSecond(), r.wallSeconds(),
          r.runDir());
      w.flush();
    }
    return 0;
  }

  /** The experiment with command-line overrides applied (and re-validated). */
  static Experiment experiment(ConfigFile file, Integer epochs, Long seed, Integer workers) {
    Experiment ex = Experiment.load(file);
    Map<String, Object> overrides = new LinkedHashMap<>();
    if (epochs != null) {
      overrides.put("train.epochs", epochs);
    }
    if (seed != null) {
      overrides.put("train.seed", seed);
    }
    if (workers != null) {
      overrides.put("train.workers", workers);
    }
    return overrides.isEmpty() ? ex : ex.with(overrides, "");
  }

  /** Spark and Hadoop settings from the experiment file's spark / hadoop blocks (the lowest precedence). */
  static Map<String, String> experimentSettings(ConfigFile experiment) {
    Map<String, String> settings = new LinkedHashMap<>();
    var exConf = (experiment.localFile() != null ? ConfigFactory.parseFile(experiment.localFile())
        : ConfigFactory.parseString(experiment.text())).resolve();
    if (exConf.hasPath("spark")) {
      exConf.getObject("spark").forEach((k, v) -> settings.put(k, String.valueOf(v.unwrapped())));
    }
    if (exConf.hasPath("hadoop")) {
      exConf.getObject("hadoop").forEach((k, v) -> settings.put("spark.hadoop." + k,
          String.valueOf(v.unwrapped())));
    }
    return settings;
  }

}
