package io.timbre.jobs;

import io.timbre.config.ConfigFile;
import io.timbre.train.Experiment;
import io.timbre.train.Tuner;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code timbre tune}: random hyper-parameter search; every trial is a run, and a leaderboard names the best. */
@Command(
    name = "tune",
    mixinStandardHelpOptions = true,
    description = "Random hyper-parameter search over the experiment's search block (Bergstra & Bengio 2012). Each "
        + "trial is a full run under <out>/<experiment>/; the leaderboard goes to "
        + "<out>/<experiment>/_tune/<tune id>/leaderboard.json and is printed.")
final class TuneCommand implements Callable<Integer> {
  @Spec CommandSpec cli;

  @Option(names = "--table", required = true, paramLabel = "TABLE", description = "Feature table.")
  String table;

  @Option(names = "--model", required = true, paramLabel = "FILE|URI",
      description = "Experiment file with a search block (a local file, a Hadoop URI, or a file shipped with "
          + "spark-submit --files).")
  String model;

  @Option(names = "--out", required = true, paramLabel = "RUNS", description = "Runs root (path or URI).")
  String out;

  @Option(names = "--trials", paramLabel = "N", description = "Override search.trials.")
  Integer trials;

  @Option(names = "--epochs", paramLabel = "N", description = "Override train.epochs for every trial.")
  Integer epochs;

  @Mixin SparkOptions sparkOptions;

  @Override
  public Integer call() {
    ConfigFile file = ConfigFile.read(model, sparkOptions.hadoopConfiguration(), "experiment");
    Experiment ex = TrainCommand.experiment(file, epochs, null, null);
    try (SparkSession spark = sparkOptions.session("timbre tune " + ex.name(),
        TrainCommand.experimentSettings(file))) {
      Tuner.Result r = Tuner.run(spark, table, ex, out, trials);
      var w = cli.commandLine().getOut();
      w.print(Tuner.format(r, ex.train().metric()));
      w.printf("leaderboard: %s%n", r.leaderboard());
      w.flush();
      return r.best() == null ? 1 : 0;
    }
  }
}
