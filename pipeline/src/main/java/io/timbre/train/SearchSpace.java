package io.timbre.train;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random hyper-parameter search (Bergstra &amp; Bengio 2012) from the {@code search} block:
 * <pre>
 * search {
 *   trials = 8
 *   seed = 7
 *   params {
 *     "model.learning_rate" { log_uniform = [1e-4, 1e-2] }
 *     "model.dropout" { uniform = [0.1, 0.5] }
 *     "model.dense_units" { choice = [32, 64, 128] }
 *     "model.conv_channels" { choice = [[8, 16], [16, 32, 64]] }
 *   }
 * }
 * </pre>
 * Integer keys sampled from a continuous range are rounded. Trial {@code k} draws from its own seeded stream, so a
 * trial's values do not depend on how many trials ran before it.
 */
public record SearchSpace(int trials, long seed, Map<String, Param> params) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One searched parameter. */
  public record Param(String kind, double lo, double hi, List<Object> choices, boolean integer)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    Object sample(SplittableRandom r) {
      return switch (kind) {
        case "choice" -> choices.get(r.nextInt(choices.size()));
        case "log_uniform" -> round(Math.exp(Math.log(lo) + r.nextDouble() * (Math.log(hi) - Math.log(lo))));
        default -> round(lo + r.nextDouble() * (hi - lo));
      };
    }

    private Object round(double v) {
      return integer ? (Object) (int) Math.round(v) : (Object) v;
    }
  }

  public static SearchSpace parse(Config root, String origin) {
    if (!root.hasPath("search")) {
      return new SearchSpace(0, 0, Map.of());
    }
    String at = "Cannot read config " + origin + ": search";
    try {
      Config s = root.getConfig("search");
      for (String k : s.root().keySet()) {
        if (!List.of("trials", "seed", "params").contains(k)) {
          throw new IllegalArgumentException(at + ": unknown key 'search." + k + "' (known: params, seed, trials)");
        }
      }
      int trials = s.hasPath("trials") ? s.getInt("trials") : 8;
      if (trials < 1 || trials > 10_000) {
        throw new IllegalArgumentException(at + ".trials must be in [1, 10000], was " + trials);
      }
      long seed = s.hasPath("seed") ? s.getLong("seed") : 1;
      Map<String, Param> params = new LinkedHashMap<>();
      if (s.hasPath("params")) {
        for (Map.Entry<String, ConfigValue> e : s.getObject("params").entrySet()) {
          String key = e.getKey();
          if (!(key.startsWith("model.") || key.startsWith("train."))) {
            throw new IllegalArgumentException(at + ".params: '" + key + "' must start with model. or train.");
          }
          if (e.getValue().valueType() != ConfigValueType.OBJECT) {
            throw new IllegalArgumentException(at + ".params.\"" + key + "\" must be an object like "
                + "{ log_uniform = [lo, hi] }, { uniform = [lo, hi] } or { choice = [..] }");
          }
          Config p = ((com.typesafe.config.ConfigObject) e.getValue()).toConfig();
          params.put(key, param(p, at + ".params.\"" + key + "\"", key));
        }
      }
      return new SearchSpace(trials, seed, java.util.Collections.unmodifiableMap(params));
    } catch (ConfigException e) {
      throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
    }
  }

  private static Param param(Config p, String at, String key) {
    if (p.root().size() != 1) {
      throw new IllegalArgumentException(at + " needs exactly one of log_uniform, uniform, choice");
    }
    String kind = p.root().keySet().iterator().next();
    boolean integer = INTEGER_KEYS.contains(key);
    switch (kind) {
      case "choice" -> {
        List<Object> choices = new ArrayList<>(p.getList("choice").unwrapped());
        if (choices.isEmpty()) {
          throw new IllegalArgumentException(at + ".choice must not be empty");
        }
        return new Param(kind, 0, 0, choices, integer);
      }
      case "uniform", "log_uniform" -> {
        List<Double> r = p.getDoubleList(kind);
        if (r.size() != 2 || !(r.get(0) < r.get(1)) || (kind.equals("log_uniform") && r.get(0) <= 0)) {
          throw new IllegalArgumentException(at + "." + kind + " must be [lo, hi] with lo < hi"
              + (kind.equals("log_uniform") ? " and lo > 0" : "") + ", was " + r);
        }
        return new Param(kind, r.get(0), r.get(1), List.of(), integer);
      }
      default -> throw new IllegalArgumentException(at + ": unknown distribution '" + kind
          + "' (known: choice, log_uniform, uniform)");
    }
  }

  private static final java.util.Set<String> INTEGER_KEYS = java.util.Set.of("model.conv_kernel", "model.pool",
      "model.dense_units", "model.recurrent_units", "model.recurrent_layers", "model.max_sequence_steps",
      "model.lr_step_epochs", "model.target_widening", "train.epochs", "train.batch_size_per_worker",
      "train.averaging_frequency", "train.workers", "train.early_stopping.patience");

  /** The values of trial {@code k} (0-based), in parameter order. */
  public Map<String, Object> trial(int k) {
    SplittableRandom r = new SplittableRandom(seed * 1_000_003L + k);
    Map<String, Object> values = new LinkedHashMap<>();
    params.keySet().stream().sorted().forEach(key -> values.put(key, params.get(key).sample(r)));
    return values;
  }
}
