package io.timbre.ingest;

import java.util.Map;

/**
 * What an ingest run did, for the closing log line and the provenance.
 *
 * @param table where the table is
 * @param clipsOk clips featurised in this run
 * @param clipsSkipped clips already in the table (incremental runs)
 * @param quarantined files quarantined in this run
 * @param segments segments written in this run
 * @param audioHours hours of audio featurised in this run
 * @param wallSeconds wall time of the whole run
 * @param stageSeconds wall time per stage (list, featurise, write)
 */
public record IngestSummary(String table, long clipsOk, long clipsSkipped, long quarantined, long segments,
    double audioHours, double wallSeconds, Map<String, Double> stageSeconds) {
  /** Audio hours per wall-clock hour. */
  public double realtimeFactor() {
    return wallSeconds > 0 ? audioHours * 3600 / wallSeconds : 0;
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "%d clips ok, %d already present, %d quarantined, %d segments, "
        + "%.2f h of audio in %.1f s (%.0f× real time) -> %s", clipsOk, clipsSkipped, quarantined, segments,
        audioHours, wallSeconds, realtimeFactor(), table);
  }
}
