package io.timbre.jobs;

import io.timbre.config.JobConfig;
import io.timbre.eval.Evaluator;
import io.timbre.eval.MetricsDocument;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code timbre evaluate}: a finished run × a table split → metrics, per-class table and predictions. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = "Score a finished run on a split of a feature table and write <out>/<experiment>/<run id>/"
        + "{metrics.json, per_class.parquet, predictions.parquet} (local or s3a://).")
final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec cli;

  @Option(names = "--run", required = true, paramLabel = "RUN", description = "<runs>/<experiment>/<run id>.")
  String run;

  @Mixin TableRef table;

  @Option(names = "--split", defaultValue = "test", description = "Split to score (default ${DEFAULT-VALUE}).")
  String split;

  @Option(names = "--out", required = true, paramLabel = "METRICS", description = "Metrics root (path or URI).")
  String out;

  @Option(names = "--theta", paramLabel = "T", description = "Multi-label (S1/S2) and onset peak-picking "
      + "threshold (default: timbre.evaluate.theta from --conf, else the model's threshold).")
  Double theta;

  @Option(names = "--top-k", paramLabel = "K", description = "k of top-k accuracy (default: timbre.evaluate.top-k, "
      + "else 3).")
  Integer topK;

  @Mixin SparkOptions sparkOptions;

  @Override
  public Integer call() {
    JobConfig.Section ev = sparkOptions.config().section("evaluate", java.util.Set.of("theta", "top-k"));
    double th = theta != null ? theta : ev.getDouble("theta", Double.NaN);
    int topKValue = topK != null ? topK : ev.getInt("top-k", 3);
    try (SparkSession spark = sparkOptions.session("timbre evaluate", Map.of())) {
      Evaluator.Result r = Evaluator.run(spark, new Evaluator.Request(run, table.location(), split, out, th,
          topKValue));
      var w = cli.commandLine().getOut();
      MetricsDocument m = r.metrics();
      if (m.find("single_label.accuracy").isPresent()) {
        w.printf("accuracy %.4f, macro F1 %.4f on %d clips%n", m.value("single_label.accuracy"),
            m.value("single_label.macro_f1"), (long) m.value("clips"));
      }
      if (m.find("multi_label.lrap").isPresent()) {
        w.printf("multi-label (theta %.2f): S1 micro F1 %.4f, S2 micro F1 %.4f, LRAP %.4f%n",
            m.value("multi_label.theta"), m.value("multi_label.s1.micro_f1"), m.value("multi_label.s2.micro_f1"),
            m.value("multi_label.lrap"));
      } else {
        w.println(m.body());
      }
      w.printf("metrics in %s%n", r.dir());
      w.flush();
    }
    return 0;
  }
}
