package io.timbre.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbre.util.RunStamp;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code timbre tune}: random search over the experiment's {@code search} block. Trial k is an ordinary run
 * ({@code <runs>/<experiment>/<tune id>-tNN}, with its own model.json recording the sampled values in its config), so
 * any trial can be evaluated, promoted or resumed like any run. A trial that fails (a diverging learning rate, an
 * impossible shape) is recorded with its error and the search goes on. The leaderboard, best first by the
 * early-stopping metric, is written to {@code <runs>/<experiment>/_tune/<tune id>/leaderboard.json} after every
 * trial.
 */
public final class Tuner {
  private static final Logger LOG = LoggerFactory.getLogger(Tuner.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private Tuner() {}

  /** One leaderboard row. */
  public record Trial(int index, String runId, Map<String, Object> values, Double metric, Map<String, Double> metrics,
      int bestEpoch, double seconds, String error) {}

  /** The finished search. */
  public record Result(String tuneId, String leaderboard, List<Trial> ranked) {
    public Trial best() {
      return ranked.isEmpty() || ranked.get(0).metric() == null ? null : ranked.get(0);
    }
  }

  public static Result run(SparkSession spark, String table, Experiment ex, String runsRoot, Integer trials) {
    SearchSpace space = ex.search();
    if (space.params().isEmpty()) {
      throw new IllegalArgumentException("Cannot tune " + ex.origin() + ": it has no search.params block");
    }
    int n = trials != null ? trials : space.trials();
    String tuneId = RunStamp.now();
    Path board = new Path(new Path(new Path(runsRoot, ex.name()), "_tune"), tuneId + "/leaderboard.json");
    List<Trial> done = new ArrayList<>();
    boolean higher = ex.train().higherIsBetter();
    for (int k = 0; k < n; k++) {
      Map<String, Object> values = space.trial(k);
      String runId = String.format("%s-t%02d", tuneId, k);
      long t0 = System.nanoTime();
      Trial t;
      try {
        Experiment trial = ex.with(values, "");
        LOG.info("Trial {}/{} ({}): {}", k + 1, n, runId, values);
        RunResult r = Trainer.run(spark, new TrainRequest(table, trial, runsRoot, runId, false));
        t = new Trial(k, runId, values, r.bestMetrics().get(ex.train().metric()), r.bestMetrics(), r.bestEpoch(),
            (System.nanoTime() - t0) / 1e9, null);
      } catch (RuntimeException e) {
        LOG.warn("Trial {} ({}) failed: {}", k, values, e.toString());
        t = new Trial(k, runId, values, null, Map.of(), 0, (System.nanoTime() - t0) / 1e9, e.toString());
      }
      done.add(t);
      write(board, spark, ex, rank(done, higher));
    }
    List<Trial> ranked = rank(done, higher);
    return new Result(tuneId, board.toString(), ranked);
  }

  static List<Trial> rank(List<Trial> trials, boolean higherIsBetter) {
    Comparator<Trial> byMetric = Comparator.comparing(t -> t.metric() == null ? Double.NaN : t.metric());
    Comparator<Trial> order = Comparator.comparing((Trial t) -> t.metric() == null)
        .thenComparing(higherIsBetter ? byMetric.reversed() : byMetric)
        .thenComparingInt(Trial::index);
    return trials.stream().sorted(order).toList();
  }

  private static void write(Path board, SparkSession spark, Experiment ex, List<Trial> ranked) {
    ObjectNode root = JSON.createObjectNode();
    root.put("experiment", ex.name());
    root.put("metric", ex.train().metric());
    root.put("higher_is_better", ex.train().higherIsBetter());
    root.set("search", JSON.valueToTree(ex.search()));
    ArrayNode rows = root.putArray("trials");
    int rank = 1;
    for (Trial t : ranked) {
      ObjectNode o = JSON.valueToTree(t);
      o.put("rank", t.metric() == null ? 0 : rank++);
      rows.add(o);
    }
    try {
      Trainer.writeJson(board, root, spark.sparkContext().hadoopConfiguration());
    } catch (IOException e) {
      LOG.warn("Could not write the leaderboard {}: {}", board, e.toString());
    }
  }

  /** The leaderboard as aligned text. */
  public static String format(Result r, String metric) {
    StringBuilder sb = new StringBuilder(String.format("%-4s %-26s %-10s %-6s %s%n", "rank", "run", metric, "epoch",
        "values"));
    int rank = 1;
    for (Trial t : r.ranked()) {
      sb.append(String.format("%-4s %-26s %-10s %-6s %s%n", t.metric() == null ? "-" : String.valueOf(rank++),
          t.runId(), t.metric() == null ? "failed" : String.format("%.4f", t.metric()),
          t.metric() == null ? "" : String.valueOf(t.bestEpoch()), t.error() == null ? t.values()
              : t.values() + "  " + t.error()));
    }
    return sb.toString();
  }
}
