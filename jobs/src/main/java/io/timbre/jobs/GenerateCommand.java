package io.timbre.jobs;

import io.timbre.generate.GenerateJob;
import io.timbre.generate.GenerateRequest;
import io.timbre.generate.GeneratedAudio;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code timbre generate}: a next-frame model continues a seed file; the continuation goes to a WAV. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = "Audio generation: prime a next-frame model (architecture frame_lstm) with the seed's STFT frames, "
        + "predict frames autoregressively for --seconds, invert them (inverse STFT; phase accumulation for "
        + "magnitude + phase-advance frames) and write a 16-bit mono WAV at the model's rate, peak-normalised to "
        + "-1 dBFS, with <out>.json beside it (local or s3a://). Runs on the driver; no Spark job.")
final class GenerateCommand implements Callable<Integer> {
  @Spec CommandSpec cli;

  @Option(names = "--model", required = true, paramLabel = "RUN|ALIAS",
      description = "A generation run (<runs>/<experiment>/<run id>) or an alias (<root>/aliases/<task>).")
  String model;

  @Option(names = "--seed", required = true, paramLabel = "AUDIO", description = "Seed audio file (WAV).")
  String seed;

  @Option(names = "--seed-seconds", paramLabel = "S", defaultValue = "0", description = "Prime with the seed's first "
      + "S seconds only (0 = all of it; a recording that ends in silence is continued as silence).")
  double seedSeconds;

  @Option(names = "--seconds", required = true, paramLabel = "S", description = "Length of the continuation.")
  double seconds;

  @Option(names = "--out", required = true, paramLabel = "FILE.wav", description = "The WAV to write.")
  String out;

  @Option(names = "--temperature", paramLabel = "T", defaultValue = "0", description = "Standard deviation of the "
      + "Gaussian noise added to each predicted (standardised) frame before it is fed back; 0 = deterministic "
      + "(default ${DEFAULT-VALUE}).")
  double temperature;

  @Option(names = "--random-seed", paramLabel = "N", defaultValue = "0", description = "Seed of that noise "
      + "(default ${DEFAULT-VALUE}).")
  long randomSeed;

  @Mixin SparkOptions sparkOptions;

  @Override
  public Integer call() {
    GeneratedAudio g = GenerateJob.run(new GenerateRequest(model, seed, seedSeconds, seconds, out, temperature,
        randomSeed),
        sparkOptions.hadoopConfiguration());
    var w = cli.commandLine().getOut();
    w.println(g);
    if (g.silent()) {
      w.println("warning: the model generated digital silence");
    }
    w.flush();
    return 0;
  }
}
