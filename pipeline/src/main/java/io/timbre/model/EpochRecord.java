package io.timbre.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbre.exceptions.IncompatibleArtefactException;
import io.timbre.exceptions.StorageException;
import io.timbre.store.AtomicFiles;
import io.timbre.util.JsonDocument;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * One epoch's line of the training curves ({@code curves.json}, and the checkpoint state): loss, validation metrics,
 * learning rate, timings and the parameter-averaging figures; DL4J's own training statistics when collected. The one
 * reader and writer of {@code curves.json}'s entries.
 */
public record EpochRecord(int epoch, double trainLoss, Map<String, Double> validation, double learningRate,
    double fitSeconds, double epochSeconds, double examplesPerSecond, int averagingRounds, int workers,
    ObjectNode dl4jStats) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public EpochRecord {
    validation = Collections.unmodifiableMap(new LinkedHashMap<>(validation));
    dl4jStats = dl4jStats == null ? null : dl4jStats.deepCopy();
  }

  static final String EPOCH = "epoch";
  static final String TRAIN_LOSS = "train_loss";
  static final String VALIDATION = "validation";
  static final String LEARNING_RATE = "learning_rate";
  static final String FIT_SECONDS = "fit_seconds";
  static final String EPOCH_SECONDS = "epoch_seconds";
  static final String EXAMPLES_PER_SECOND = "examples_per_second";
  static final String AVERAGING_ROUNDS = "averaging_rounds";
  /** Derived (fit seconds / rounds): written for readers of the file, not read back. */
  static final String SECONDS_PER_AVERAGING_ROUND = "seconds_per_averaging_round";
  static final String WORKERS = "workers";
  static final String DL4J_STATS = "dl4j_stats";

  /** Mean wall seconds of one parameter-averaging round (split, fit, average) in this epoch. */
  public double secondsPerAveragingRound() {
    return fitSeconds / averagingRounds;
  }

  /** Reads an entry of {@code curves.json} or of a checkpoint state's curves. */
  public static EpochRecord parse(JsonDocument d) {
    return new EpochRecord(d.int32(EPOCH), d.number(TRAIN_LOSS), d.numbers(VALIDATION), d.number(LEARNING_RATE),
        d.number(FIT_SECONDS), d.number(EPOCH_SECONDS), d.number(EXAMPLES_PER_SECOND), d.int32(AVERAGING_ROUNDS),
        d.int32(WORKERS), d.has(DL4J_STATS) ? d.tree(DL4J_STATS) : null);
  }

  /** Reads a run's {@code curves.json}: the list of its epochs' records. */
  public static List<EpochRecord> readCurves(Path file, Configuration conf) {
    try {
      JsonNode list = JSON.readTree(AtomicFiles.read(file, conf));
      return parseCurves(list, file.toString());
    } catch (IOException e) {
      throw new StorageException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The records of a curves list (the root of {@code curves.json}). */
  public static List<EpochRecord> parseCurves(JsonNode list, String source) {
    if (list == null || !list.isArray()) {
      throw new IncompatibleArtefactException("Cannot read " + source + ": not a JSON list of epochs");
    }
    List<EpochRecord> out = new ArrayList<>();
    for (JsonNode e : list) {
      out.add(parse(JsonDocument.of(e, source + " [epoch " + (out.size() + 1) + "]")));
    }
    return List.copyOf(out);
  }

  /** Writes records as {@code curves.json} holds them. */
  public static ArrayNode curvesJson(List<EpochRecord> curves) {
    ArrayNode a = JSON.createArrayNode();
    curves.forEach(c -> a.add(c.toJson()));
    return a;
  }

  public ObjectNode toJson() {
    ObjectNode c = JSON.createObjectNode();
    c.put(EPOCH, epoch);
    c.put(TRAIN_LOSS, trainLoss);
    c.set(VALIDATION, JSON.valueToTree(validation));
    c.put(LEARNING_RATE, learningRate);
    c.put(FIT_SECONDS, fitSeconds);
    c.put(EPOCH_SECONDS, epochSeconds);
    c.put(EXAMPLES_PER_SECOND, examplesPerSecond);
    c.put(AVERAGING_ROUNDS, averagingRounds);
    c.put(SECONDS_PER_AVERAGING_ROUND, secondsPerAveragingRound());
    c.put(WORKERS, workers);
    if (dl4jStats != null) {
      c.set(DL4J_STATS, dl4jStats.deepCopy());
    }
    return c;
  }
}
