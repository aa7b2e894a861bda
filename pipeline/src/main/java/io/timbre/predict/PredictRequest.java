package io.timbre.predict;

import java.util.Objects;

/**
 * What {@code timbre predict} is asked to do.
 *
 * @param model a run folder ({@code <runs>/<experiment>/<run id>}) or an alias: {@code <root>/aliases/<task>} or its
 *     {@code champion.json}
 * @param input an audio folder (searched recursively for {@code .wav}), one audio file, or a list file ({@code .txt}
 *     / {@code .lst}: one path or URI per line, relative paths against the list's folder)
 * @param out output folder: {@code predictions/}, {@code quarantine/}, {@code _provenance.json}
 * @param topK how many labels (and scores) each clip's {@code top_labels} holds
 * @param partitions featurising partitions (0 = 4 × default parallelism)
 */
public record PredictRequest(String model, String input, String out, int topK, int partitions) {
  public PredictRequest {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(out, "out");
    if (topK < 1) {
      throw new IllegalArgumentException("top-k must be >= 1, got " + topK);
    }
    if (partitions < 0) {
      throw new IllegalArgumentException("partitions must be >= 0, got " + partitions);
    }
  }
}
