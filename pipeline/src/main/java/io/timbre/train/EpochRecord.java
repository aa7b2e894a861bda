package io.timbre.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One epoch's line of the training curves ({@code curves.json}, and the checkpoint state): loss, validation metrics,
 * learning rate, timings and the parameter-averaging figures; DL4J's own training statistics when collected.
 */
public record EpochRecord(int epoch, double trainLoss, Map<String, Double> validation, double learningRate,
    double fitSeconds, double epochSeconds, double examplesPerSecond, int averagingRounds, int workers,
    ObjectNode dl4jStats) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public EpochRecord {
    validation = Collections.unmodifiableMap(new LinkedHashMap<>(validation));
    dl4jStats = dl4jStats == null ? null : dl4jStats.deepCopy();
  }

  public ObjectNode toJson() {
    ObjectNode c = JSON.createObjectNode();
    c.put("epoch", epoch);
    c.put("train_loss", trainLoss);
    c.set("validation", JSON.valueToTree(validation));
    c.put("learning_rate", learningRate);
    c.put("fit_seconds", fitSeconds);
    c.put("epoch_seconds", epochSeconds);
    c.put("examples_per_second", examplesPerSecond);
    c.put("averaging_rounds", averagingRounds);
    c.put("seconds_per_averaging_round", fitSeconds / averagingRounds);
    c.put("workers", workers);
    if (dl4jStats != null) {
      c.set("dl4j_stats", dl4jStats.deepCopy());
    }
    return c;
  }
}
