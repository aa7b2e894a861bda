package io.timbre.registry;


/**
 * The outcome of one promotion: whether the challenger became champion, and why.
 *
 * @param championValue the champion's value of the metric, or NaN when there was no champion
 */
public record Decision(boolean promoted, String task, String challengerRunId, String championRunId, String metric,
    double challengerValue, double championValue, double margin, String reason) {}
