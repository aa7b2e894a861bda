package io.timbre.jobs;

import io.timbre.config.JobConfig;
import io.timbre.predict.PredictRequest;
import io.timbre.predict.PredictSummary;
import io.timbre.predict.Predictor;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code timbre predict}: a model (run or alias) × new audio → a Parquet table of labels and scores. */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = "Batch inference: decode and featurise audio with the model's own feature spec (from its "
        + "provenance), score it, and write <out>/{predictions, quarantine, _provenance.json} (local or s3a://).")
final class PredictCommand implements Callable<Integer> {
  static final Set<String> CONFIG_KEYS = Set.of("top-k", "partitions");

  @Spec CommandSpec cli;

  @Option(names = "--model", required = true, paramLabel = "RUN|ALIAS",
      description = "A run (<runs>/<experiment>/<run id>) or an alias (<root>/aliases/<task>, or its champion.json).")
  String model;

  @Option(names = "--input", required = true, paramLabel = "AUDIO",
      description = "A folder (every .wav below it), one audio file, or a list file (.txt/.lst, one path per line).")
  String input;

  @Option(names = "--out", required = true, paramLabel = "PREDICTIONS", description = "Output folder.")
  String out;

  @Option(names = "--top-k", paramLabel = "K", description = "Labels per clip in top_labels (default: "
      + "timbre.predict.top-k, else 3).")
  Integer topK;

  @Option(names = "--partitions", paramLabel = "N", description = "Partitions (default: timbre.predict.partitions, "
      + "else 4 x default parallelism).")
  Integer partitions;

  @Mixin SparkOptions sparkOptions;

  @Override
  public Integer call() {
    JobConfig.Section s = sparkOptions.config().section("predict", CONFIG_KEYS);
    PredictRequest request = new PredictRequest(model, input, out, topK != null ? topK : s.getInt("top-k", 3),
        partitions != null ? partitions : s.getInt("partitions", 0));
    try (SparkSession spark = sparkOptions.session("timbre predict", Map.of())) {
      PredictSummary summary = Predictor.run(spark, request);
      var w = cli.commandLine().getOut();
      w.println(summary);
      w.flush();
    }
    return 0;
  }
}
