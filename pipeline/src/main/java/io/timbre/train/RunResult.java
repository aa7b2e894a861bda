package io.timbre.train;

import java.util.Map;

/**
 * What a training run produced.
 *
 * @param runDir {@code <runs root>/<experiment>/<run id>}
 * @param epochsRun epochs completed in total (including those before a resume)
 * @param bestEpoch the epoch whose model is {@code model.zip}
 * @param bestMetrics its validation metrics
 * @param stoppedEarly whether early stopping ended the run before its epoch budget
 * @param examplesPerSecond mean training throughput over the epochs this invocation ran
 */
public record RunResult(String runDir, String runId, int epochsRun, int bestEpoch, Map<String, Double> bestMetrics,
    boolean stoppedEarly, double examplesPerSecond, double wallSeconds) {}
