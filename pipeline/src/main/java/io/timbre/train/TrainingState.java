package io.timbre.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbre.model.EpochRecord;
import io.timbre.model.ModelProvenance;
import io.timbre.model.Normalizer;
import io.timbre.util.JsonDocument;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a training run stands after an epoch: everything a resume needs besides the network (the {@code state.json} of
 * a checkpoint) — the epoch and iteration reached, the fingerprints a resume must match, the normalisation statistics,
 * the early-stopping bookkeeping and the curves so far. Immutable: each epoch makes the next state. The one reader and
 * writer of {@code state.json}.
 *
 * <p>Format {@value #FORMAT_VERSION}; a state without a {@code version} key has the same fields and reads as 1.
 */
public record TrainingState(String runId, int epoch, long iteration, String experimentFingerprint,
    String tableFingerprint, String startedAt, Normalizer normalization, List<EpochRecord> curves,
    List<Integer> resumedAtEpochs, Best best, int epochsWithoutImprovement, boolean stoppedEarly) {
  public static final int FORMAT_VERSION = 1;

  static final String VERSION = "version";
  static final String RUN_ID = "run_id";
  static final String EPOCH = "epoch";
  static final String ITERATION = "iteration";
  static final String EXPERIMENT_FINGERPRINT = "experiment_fingerprint";
  static final String TABLE_FINGERPRINT = "table_fingerprint";
  static final String STARTED_AT = "started_at";
  static final String NORMALIZATION = "normalization";
  static final String CURVES = "curves";
  static final String RESUMED_AT_EPOCHS = "resumed_at_epochs";
  static final String BEST_EPOCH = "best_epoch";
  static final String BEST_METRIC = "best_metric";
  static final String BEST_METRICS = "best_metrics";
  static final String EPOCHS_WITHOUT_IMPROVEMENT = "epochs_without_improvement";
  static final String STOPPED_EARLY = "stopped_early";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The best epoch so far: its number, the value of the early-stopping metric, and all its validation metrics. */
  public record Best(int epoch, double metric, Map<String, Double> metrics) {
    public Best {
      metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }
  }

  public TrainingState {
    curves = List.copyOf(curves);
    resumedAtEpochs = List.copyOf(resumedAtEpochs);
  }

  /** A run before its first epoch. */
  public static TrainingState start(String runId, String experimentFingerprint, String tableFingerprint,
      String startedAt, Normalizer normalization) {
    return new TrainingState(runId, 0, 0, experimentFingerprint, tableFingerprint, startedAt, normalization,
        List.of(), List.of(), null, 0, false);
  }

  /** This state, marked as resumed after its epoch. */
  public TrainingState resumed() {
    List<Integer> r = new ArrayList<>(resumedAtEpochs);
    r.add(epoch);
    return new TrainingState(runId, epoch, iteration, experimentFingerprint, tableFingerprint, startedAt,
        normalization, curves, r, best, epochsWithoutImprovement, stoppedEarly);
  }

  /** The state after {@code next.epoch()}, with its curve entry and the early-stopping decision. */
  public TrainingState after(EpochRecord next, long iterationCount, EarlyStopping.Decision decision,
      boolean lastEpoch) {
    List<EpochRecord> c = new ArrayList<>(curves);
    c.add(next);
    return new TrainingState(runId, next.epoch(), iterationCount, experimentFingerprint, tableFingerprint, startedAt,
        normalization, c, resumedAtEpochs, decision.best(), decision.epochsWithoutImprovement(),
        decision.stop() && !lastEpoch);
  }

  /** The curves as {@code curves.json} holds them. */
  public ArrayNode curvesJson() {
    return EpochRecord.curvesJson(curves);
  }

  public ObjectNode toJson() {
    ObjectNode s = JSON.createObjectNode();
    s.put(VERSION, FORMAT_VERSION);
    s.put(RUN_ID, runId);
    s.put(EPOCH, epoch);
    s.put(ITERATION, iteration);
    s.put(EXPERIMENT_FINGERPRINT, experimentFingerprint);
    s.put(TABLE_FINGERPRINT, tableFingerprint);
    s.put(STARTED_AT, startedAt);
    s.set(NORMALIZATION, ModelProvenance.normalizationJson(normalization));
    s.set(CURVES, curvesJson());
    if (!resumedAtEpochs.isEmpty()) {
      s.set(RESUMED_AT_EPOCHS, JSON.valueToTree(resumedAtEpochs));
    }
    if (best != null) {
      s.put(BEST_EPOCH, best.epoch());
      s.put(BEST_METRIC, best.metric());
      s.set(BEST_METRICS, JSON.valueToTree(best.metrics()));
    }
    s.put(EPOCHS_WITHOUT_IMPROVEMENT, epochsWithoutImprovement);
    s.put(STOPPED_EARLY, stoppedEarly);
    return s;
  }

  /** Reads a state written by {@link #toJson()} (or by the same fields before the version key existed). */
  public static TrainingState parse(JsonDocument d) {
    d.formatVersion(VERSION, FORMAT_VERSION);
    List<EpochRecord> curves = d.objects(CURVES).stream().map(EpochRecord::parse).toList();
    List<Integer> resumed = d.has(RESUMED_AT_EPOCHS)
        ? d.integerList(RESUMED_AT_EPOCHS).stream().map(Math::toIntExact).toList() : List.of();
    Best best = d.has(BEST_EPOCH) ? new Best(d.int32(BEST_EPOCH), d.number(BEST_METRIC), d.numbers(BEST_METRICS))
        : null;
    // Written from the first epoch's end on; a state of epoch 0 has none yet.
    int without = d.has(EPOCHS_WITHOUT_IMPROVEMENT) ? d.int32(EPOCHS_WITHOUT_IMPROVEMENT) : 0;
    boolean stopped = d.has(STOPPED_EARLY) && d.bool(STOPPED_EARLY);
    return new TrainingState(d.string(RUN_ID), d.int32(EPOCH), d.integer(ITERATION), d.string(EXPERIMENT_FINGERPRINT),
        d.string(TABLE_FINGERPRINT), d.string(STARTED_AT), ModelProvenance.readNormalization(d.object(NORMALIZATION)), curves, resumed,
        best, without, stopped);
  }
}
