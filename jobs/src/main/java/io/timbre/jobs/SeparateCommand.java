package io.timbre.jobs;

import io.timbre.config.JobConfig;
import io.timbre.predict.PredictRequest;
import io.timbre.predict.PredictSummary;
import io.timbre.predict.Separator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code timbre separate}: a separation model (run or alias) × mixtures → one WAV per source per file. */
@Command(
    name = "separate",
    mixinStandardHelpOptions = true,
    description = "Source separation: decode each file to mono at the model's rate, apply the model's joint mask to "
        + "the mixture's STFT, invert with the mixture's phase, and write <out>/audio/<file>/<source>.wav, "
        + "<out>/stems (Parquet index), <out>/quarantine and <out>/_provenance.json (local or s3a://).")
final class SeparateCommand implements Callable<Integer> {
  static final Set<String> CONFIG_KEYS = Set.of("partitions");

  @Spec CommandSpec cli;

  @Option(names = "--model", required = true, paramLabel = "RUN|ALIAS",
      description = "A separation run (<runs>/<experiment>/<run id>) or an alias (<root>/aliases/<task>).")
  String model;

  @Option(names = "--input", required = true, paramLabel = "AUDIO",
      description = "A folder (every .wav below it), one audio file, or a list file (.txt/.lst, one path per line).")
  String input;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  String out;

  @Option(names = "--partitions", paramLabel = "N", description = "Partitions (default: timbre.separate.partitions, "
      + "else 4 x default parallelism).")
  Integer partitions;

  @Mixin SparkOptions sparkOptions;

  @Override
  public Integer call() {
    JobConfig.Section s = sparkOptions.config().section("separate", CONFIG_KEYS);
    PredictRequest request = new PredictRequest(model, input, out, 1,
        partitions != null ? partitions : s.getInt("partitions", 0));
    try (SparkSession spark = sparkOptions.session("timbre separate", Map.of())) {
      PredictSummary summary = Separator.run(spark, request);
      var w = cli.commandLine().getOut();
      w.println(summary);
      w.flush();
    }
    return 0;
  }
}
