package io.timbre.jobs;

import io.timbre.config.JobConfig;
import io.timbre.eval.Evaluator;
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
      var m = r.metrics().path("metrics");
      if (m.has("single_label")) {
        w.printf("accuracy %.4f, macro F1 %.4f on %d clips%n", m.path("single_label").path("accuracy").asDouble(),
            m.path("single_label").path("macro_f1").asDouble(), m.path("clips").asInt());
      }
      if (m.has("multi_label")) {
        w.printf("multi-label (theta %.2f): S1 micro F1 %.4f, S2 micro F1 %.4f, LRAP %.4f%n",
            m.path("multi_label").path("theta").asDouble(), m.path("multi_label").path("s1").path("micro_f1")
                .asDouble(), m.path("multi_label").path("s2").path("micro_f1").asDouble(),
            m.path("multi_label").path("lrap").asDouble());
      }
      if (!m.has("multi_label")) {
        w.println(m);
      }
      w.printf("metrics in %s%n", r.dir());
      w.flush();
    }
    return 0;
  }
}
