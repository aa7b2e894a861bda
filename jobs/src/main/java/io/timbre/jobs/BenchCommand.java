package io.timbre.jobs;

import io.timbre.bench.FeatureBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code timbre bench features}: the feature-throughput benchmark (a command, never a timed test). */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks. 'features': single-thread decode and log-mel(128)+MFCC(40) throughput in "
        + "audio-seconds per CPU-second on a generated 10-minute mono file.")
final class BenchCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "features", description = "What to benchmark: features.")
  String what;

  @Option(names = "--seconds", defaultValue = "600", description = "Audio length (default ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--rates", defaultValue = "22050,44100", split = ",",
      description = "Sample rates to measure (default ${DEFAULT-VALUE}).")
  int[] rates;

  @Option(names = "--rounds", defaultValue = "5", description = "Measured rounds after warm-up (default "
      + "${DEFAULT-VALUE}).")
  int rounds;

  @Override
  public Integer call() throws Exception {
    if (!"features".equals(what)) {
      throw new IllegalArgumentException("unknown benchmark '" + what + "' (features)");
    }
    Path dir = Files.createTempDirectory("timbre-bench");
    try {
      new FeatureBenchmark(seconds, rounds, System.out).runAll(rates, dir);
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
    System.out.println("rates: " + Arrays.toString(rates));
    return 0;
  }
}
