package io.timbre.train;


/**
 * One {@code timbre train} invocation.
 *
 * @param table the feature table ({@code <tables root>/<dataset>/<spec id>}, any Hadoop file system)
 * @param runsRoot where runs go: {@code <runsRoot>/<experiment name>/<run id>/}
 * @param runId the run's id; null = a new timestamped id, or with {@code resume} the newest unfinished run
 * @param resume continue from the newest valid checkpoint of the run
 */
public record TrainRequest(String table, Experiment experiment, String runsRoot, String runId, boolean resume) {
  public TrainRequest {
    if (runId != null && !runId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
      throw new IllegalArgumentException("Invalid run id '" + runId + "': use [A-Za-z0-9._-]");
    }
  }
}
