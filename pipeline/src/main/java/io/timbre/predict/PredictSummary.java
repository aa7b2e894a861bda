package io.timbre.predict;

import java.util.Locale;

/**
 * What a batch-inference run did.
 *
 * @param out output folder
 * @param modelRunId the run whose network scored the clips
 * @param clipsScored clips with a prediction
 * @param quarantined files that could not be scored (one quarantine row each)
 * @param skippedNonAudio files of the input folder that are not audio by name (not read)
 * @param audioHours hours of audio scored
 * @param wallSeconds wall time
 */
public record PredictSummary(String out, String modelRunId, long clipsScored, long quarantined, int skippedNonAudio,
    double audioHours, double wallSeconds) {
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%d clips scored, %d quarantined, %d non-audio files skipped, %.2f h of audio "
        + "in %.1f s with model %s -> %s", clipsScored, quarantined, skippedNonAudio, audioHours, wallSeconds,
        modelRunId, out);
  }
}
