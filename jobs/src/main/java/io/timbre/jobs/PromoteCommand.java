package io.timbre.jobs;

import io.timbre.config.JobConfig;
import io.timbre.registry.Decision;
import io.timbre.registry.Promoter;
import io.timbre.registry.PromotionPolicy;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code timbre promote}: champion/challenger on the same evaluation table; moves the alias only on a real gain. */
@Command(
    name = "promote",
    mixinStandardHelpOptions = true,
    description = "Compare an evaluated run with the task's champion (same table, spec and split) and promote it "
        + "when it is better by the margin: writes <root>/aliases/<task>/champion.json last (old champion kept in "
        + "history/, every attempt in decisions/). Exit 0 whether promoted or not; 2 when the runs are not "
        + "comparable.")
final class PromoteCommand implements Callable<Integer> {
  static final Set<String> CONFIG_KEYS = Set.of("metric", "margin");

  @Spec CommandSpec cli;

  @Option(names = "--task", required = true, paramLabel = "TASK", description = "Task = experiment name.")
  String task;

  @Option(names = "--run", required = true, paramLabel = "RUN_ID", description = "The challenger's run id.")
  String run;

  @Option(names = "--metrics", required = true, paramLabel = "METRICS",
      description = "Metrics root the evaluate job wrote (<metrics>/<task>/<run id>/metrics.json).")
  String metrics;

  @Option(names = "--root", required = true, paramLabel = "ROOT", description = "Root of aliases/ (path or URI).")
  String root;

  @Option(names = "--runs", paramLabel = "RUNS", description = "Runs root (default: the run folder recorded in the "
      + "evaluation).")
  String runs;

  @Option(names = "--metric", paramLabel = "NAME", description = "A metric of the vocabulary early stopping uses too: "
      + "a dotted path under metrics in metrics.json, or training's name of the same metric (clip_accuracy, onset_f1; "
      + "default: timbre.promote.metric, else the task's headline: single_label.accuracy, multi_label.s1.micro_f1, "
      + "onset.f_measure, melody.mean.overall_accuracy).")
  String metric;

  @Option(names = "--margin", paramLabel = "X", description = "Least improvement that counts (default: "
      + "timbre.promote.margin, else 0.005).")
  Double margin;

  @Mixin SparkOptions sparkOptions;

  @Override
  public Integer call() {
    JobConfig config = sparkOptions.config();
    JobConfig.Section s = config.section("promote", CONFIG_KEYS);
    PromotionPolicy policy = new PromotionPolicy(metric != null ? metric : s.getString("metric", ""),
        margin != null ? margin : s.getDouble("margin", 0.005));
    Configuration conf = sparkOptions.hadoopConfiguration();
    Decision d = Promoter.promote(new Promoter.Request(task, run, metrics, root, runs, policy), conf);
    var w = cli.commandLine().getOut();
    w.printf("%s: %s (%s)%n", d.promoted() ? "promoted" : "kept champion " + d.championRunId(),
        d.promoted() ? run + " is now the champion of " + task : run + " not promoted", d.reason());
    w.flush();
    return 0;
  }
}
