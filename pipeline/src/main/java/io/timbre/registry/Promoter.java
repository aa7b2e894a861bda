package io.timbre.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbre.eval.MetricsDocument;
import io.timbre.exceptions.IncompatibleArtefactException;
import io.timbre.exceptions.StorageException;
import io.timbre.store.AtomicFiles;
import io.timbre.util.CodeVersion;
import io.timbre.util.RunStamp;
import java.io.IOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Champion/challenger promotion: a freshly evaluated run (the challenger) replaces a task's champion only when its
 * evaluation is comparable (the same table spec, the same table content fingerprint, the same split) and better by
 * the policy's margin. Runs evaluated on different tables are never compared — that would rank models by their data,
 * not by themselves.
 *
 * <p>Write order: the decision record, then the replaced champion into {@code history/}, then {@code champion.json}
 * last and atomically, so a reader sees the old champion or the new one, never a partial file, and a crash at any
 * point loses nothing.
 */
public final class Promoter {
  private static final Logger LOG = LoggerFactory.getLogger(Promoter.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param task the experiment name (runs live in {@code <runs>/<task>/<runId>}, metrics in
   *     {@code <metrics>/<task>/<runId>})
   * @param metricsRoot where {@code timbre evaluate} wrote
   * @param root the root holding {@code aliases/}
   * @param runsRoot the runs root (null: the run folder recorded in the challenger's metrics.json)
   */
  public record Request(String task, String runId, String metricsRoot, String root, String runsRoot,
      PromotionPolicy policy) {
    public Request {
      Objects.requireNonNull(task, "task");
      Objects.requireNonNull(runId, "runId");
      Objects.requireNonNull(metricsRoot, "metricsRoot");
      Objects.requireNonNull(root, "root");
      Objects.requireNonNull(policy, "policy");
    }
  }

  /** Two evaluations that cannot be ranked against each other. */
  public static final class IncomparableException extends IncompatibleArtefactException {
    private static final long serialVersionUID = 1L;

    IncomparableException(String message) {
      super(message);
    }
  }

  private Promoter() {}

  /**
   * The decision alone (no I/O), from two evaluations.
   *
   * @param champion the champion's evaluation, or null when the task has none
   */
  public static Decision decide(String task, MetricsDocument challenger, MetricsDocument champion,
      PromotionPolicy policy) {
    String metric = policy.metricFor(challenger.task(), challenger);
    String challengerRun = challenger.runId();
    if (champion != null && !champion.runId().equals(challengerRun)) {
      comparable(challenger, champion); // the more basic refusal comes first
    }
    double cv = value(challenger, metric, "challenger " + challengerRun);
    if (champion == null) {
      return new Decision(true, task, challengerRun, null, metric, cv, Double.NaN, policy.margin(),
          "no champion yet");
    }
    String championRun = champion.runId();
    if (championRun.equals(challengerRun)) {
      return new Decision(false, task, challengerRun, championRun, metric, cv, cv, policy.margin(),
          "run " + challengerRun + " is already the champion");
    }
    double pv = value(champion, metric, "champion " + championRun);
    boolean higher = PromotionPolicy.higherIsBetter(metric);
    double gain = higher ? cv - pv : pv - cv;
    boolean better = gain > policy.margin();
    String reason = String.format(Locale.ROOT, "%s %.4f vs champion %.4f: %s %.4f %s the margin %.4f", metric, cv, pv,
        higher ? "gain" : "reduction", gain, better ? "exceeds" : "does not exceed", policy.margin());
    return new Decision(better, task, challengerRun, championRun, metric, cv, pv, policy.margin(), reason);
  }

  /** Reads both evaluations, decides, and on promotion moves the alias. */
  public static Decision promote(Request r, Configuration conf) {
    Path challengerPath = new Path(r.metricsRoot(), r.task() + "/" + r.runId() + "/metrics.json");
    MetricsDocument challenger = read(challengerPath, conf, "Cannot promote run " + r.runId()
        + ": no evaluation at " + challengerPath + " (run `timbre evaluate` on it first)");
    if (!r.task().equals(challenger.experiment())) {
      throw new IllegalArgumentException("Cannot promote: " + challengerPath + " is an evaluation of experiment "
          + challenger.experiment() + ", not of task " + r.task());
    }
    Optional<ChampionRecord> current = ModelRegistry.champion(r.root(), r.task(), conf);
    MetricsDocument championMetrics = null;
    if (current.isPresent()) {
      Path p = new Path(current.get().metricsPath());
      championMetrics = read(p, conf, "Cannot compare with the champion " + current.get().runId()
          + " of " + r.task() + ": its evaluation " + p + " is gone");
    }
    Decision d = decide(r.task(), challenger, championMetrics, r.policy());
    Path alias = ModelRegistry.aliasDir(r.root(), r.task());
    String stamp = RunStamp.now();
    try {
      ObjectNode record = JSON.valueToTree(d);
      record.put("decided_at", Instant.now().toString());
      record.put("challenger_metrics_path", challengerPath.toString());
      AtomicFiles.write(new Path(alias, "decisions/" + stamp + "-" + r.runId() + ".json"), conf,
          JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(record));
      if (d.promoted()) {
        if (current.isPresent()) {
          current.get().write(new Path(alias, "history/" + stamp + "-" + current.get().runId() + ".json"), conf);
        }
        championRecord(r, challenger, challengerPath, d, current.orElse(null), conf)
            .write(new Path(alias, ChampionRecord.FILE_NAME), conf);
      }
    } catch (IOException e) {
      throw new StorageException("Cannot write the alias of " + r.task() + " under " + alias + ": "
          + e.getMessage(), e);
    }
    LOG.info("Promotion of {} for {}: {} ({})", r.runId(), r.task(), d.promoted() ? "promoted" : "kept champion",
        d.reason());
    return d;
  }

  private static ChampionRecord championRecord(Request r, MetricsDocument challenger, Path metricsPath, Decision d,
      ChampionRecord previous, Configuration conf) throws IOException {
    String runDir = r.runsRoot() != null ? new Path(r.runsRoot(), r.task() + "/" + r.runId()).toString()
        : challenger.runDir();
    if (runDir.isEmpty()) {
      throw new IllegalArgumentException("Cannot promote run " + r.runId() + ": its metrics.json records no run "
          + "folder; pass --runs <runs root>");
    }
    Path modelJson = new Path(runDir, "model.json");
    FileSystem fs = modelJson.getFileSystem(conf);
    if (!fs.exists(modelJson)) {
      throw new IncompatibleArtefactException("Cannot promote run " + r.runId() + ": " + modelJson + " does not exist");
    }
    return new ChampionRecord(r.task(), r.runId(), runDir, metricsPath.toString(), d.metric(), d.challengerValue(),
        d.margin(), challenger.split(), challenger.table(),
        Instant.now().toString(), d.reason(), previous == null ? null : previous.runId(), CodeVersion.get());
  }

  private static void comparable(MetricsDocument a, MetricsDocument b) {
    String why = null;
    if (a.task() != b.task()) {
      why = "tasks differ (" + a.task().key() + " vs " + b.task().key() + ")";
    } else if (!a.table().specId().equals(b.table().specId())) {
      why = "feature specs differ (" + a.table().specId() + " vs " + b.table().specId() + ")";
    } else if (!a.table().inputFingerprint().equals(b.table().inputFingerprint())) {
      why = "evaluation tables differ (input fingerprints " + a.table().inputFingerprint() + " vs "
          + b.table().inputFingerprint() + ")";
    } else if (!a.split().equals(b.split())) {
      why = "splits differ (" + a.split() + " vs " + b.split() + ")";
    }
    if (why != null) {
      throw new IncomparableException("Refusing to compare run " + a.runId() + " with champion " + b.runId() + ": "
          + why + ". Evaluate both on the same table and split.");
    }
  }

  /** The metric at a dotted path under {@code metrics}; missing or NaN is a typed error. */
  static double value(MetricsDocument evaluation, String metric, String who) {
    OptionalDouble v = evaluation.find(metric);
    if (v.isEmpty()) {
      throw new IllegalArgumentException("Cannot promote: the " + who + " evaluation has no numeric metric '"
          + metric + "' (a dotted path under \"metrics\" in metrics.json)");
    }
    if (Double.isNaN(v.getAsDouble())) {
      throw new IllegalArgumentException("Cannot promote: the " + who + " evaluation's " + metric + " is NaN");
    }
    return v.getAsDouble();
  }

  private static MetricsDocument read(Path p, Configuration conf, String missing) {
    try {
      if (!p.getFileSystem(conf).exists(p)) {
        throw new IncompatibleArtefactException(missing);
      }
    } catch (IOException e) {
      throw new StorageException("Cannot read " + p + ": " + e.getMessage(), e);
    }
    return MetricsDocument.read(p, conf);
  }
}
