package io.timbre.generate;

import static io.timbre.util.Checks.check;

/**
 * One {@code timbre generate} call.
 *
 * @param model a generation run ({@code <runs>/<experiment>/<run id>}) or an alias ({@code <root>/aliases/<task>})
 * @param seed the seed audio file (any rate and channel count: decoded to mono at the model's rate)
 * @param seedSeconds prime with the seed's first this many seconds (0 = all of it): a recording that ends in silence
 *     would otherwise be continued as silence
 * @param seconds length of the generated continuation
 * @param out the WAV to write (local path or Hadoop URI); its provenance goes beside it as {@code <out>.json}
 * @param temperature standard deviation of the noise added to each predicted standardised frame (0 = none)
 * @param randomSeed seed of that noise
 */
public record GenerateRequest(String model, String seed, double seedSeconds, double seconds, String out,
    double temperature, long randomSeed) {
  public GenerateRequest {
    check(seedSeconds >= 0 && seedSeconds <= 3600, "Cannot generate: --seed-seconds must be in [0, 3600] (0 = the "
        + "whole seed): %s", seedSeconds);
    check(seconds > 0 && seconds <= 3600, "Cannot generate: --seconds must be in (0, 3600]: %s", seconds);
    check(temperature >= 0 && temperature <= 10, "Cannot generate: --temperature must be in [0, 10]: %s",
        temperature);
    check(out.toLowerCase(java.util.Locale.ROOT).endsWith(".wav"), "Cannot generate: --out must name a .wav file: "
        + "%s", out);
  }
}
