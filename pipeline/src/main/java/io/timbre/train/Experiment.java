package io.timbre.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import io.timbre.config.ConfigFile;
import io.timbre.model.ModelSpec;
import io.timbre.util.Sha256;
import java.io.File;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An experiment file ({@code conf/experiments/*.conf}): a {@code name} (the task folder runs go to), a
 * {@link ModelSpec} ({@code model}), a {@link TrainSpec} ({@code train}), optionally a {@link SearchSpace}
 * ({@code search}) for {@code timbre tune}, and {@code spark}/{@code hadoop} settings. Every key is checked: a typo is
 * an error naming the key and the file, never a silently ignored setting.
 */
public record Experiment(String name, ModelSpec model, TrainSpec train, SearchSpace search, String configJson,
    String origin) implements Serializable {
  private static final long serialVersionUID = 1L;
  static final Set<String> TOP_KEYS = Set.of("name", "model", "train", "search", "spark", "hadoop");

  /** Reads an experiment from a local file, a Hadoop URI or a file shipped with {@code --files} (see ConfigFile). */
  public static Experiment load(ConfigFile file) {
    if (file.localFile() != null) {
      return load(file.localFile());
    }
    return parseText(file.text(), file.location());
  }

  /**
   * Parses an experiment from its text (no includes: the text came from a bucket or a user, see {@link
   * io.timbre.util.Hocon}).
   *
   * @throws IllegalArgumentException naming {@code origin} and the key for anything wrong
   */
  public static Experiment parseText(String text, String origin) {
    try {
      return parse(io.timbre.util.Hocon.parseStandalone(text, origin), origin);
    } catch (ConfigException e) {
      throw new IllegalArgumentException("Cannot read experiment " + origin + ": " + e.getMessage(), e);
    }
  }

  public static Experiment load(File file) {
    if (!file.isFile()) {
      throw new IllegalArgumentException("Cannot read experiment: " + file + " is not a file");
    }
    try {
      return parse(ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false)).resolve(),
          file.toString());
    } catch (ConfigException e) {
      throw new IllegalArgumentException("Cannot read experiment " + file + ": " + e.getMessage(), e);
    }
  }

  public static Experiment parse(Config c, String origin) {
    for (String key : c.root().keySet()) {
      if (!TOP_KEYS.contains(key)) {
        throw new IllegalArgumentException("Cannot read config " + origin + ": unknown key '" + key + "' (known: "
            + new java.util.TreeSet<>(TOP_KEYS) + ")");
      }
    }
    String name;
    try {
      name = c.hasPath("name") ? c.getString("name") : "experiment";
    } catch (ConfigException e) {
      throw new IllegalArgumentException("Cannot read config " + origin + ": name: " + e.getMessage(), e);
    }
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
      throw new IllegalArgumentException("Cannot read config " + origin + ": name '" + name + "' must be 1-100 of "
          + "[A-Za-z0-9._-] (it names the runs folder)");
    }
    ModelSpec model = ModelSpec.parse(c, origin);
    TrainSpec train = TrainSpec.parse(c, origin, model.task());
    SearchSpace search = SearchSpace.parse(c, origin);
    Config kept = c.withoutPath("hadoop");
    return new Experiment(name, model, train, search,
        kept.root().render(ConfigRenderOptions.concise().setJson(true)), origin);
  }

  /** The same experiment with values replaced at config paths (a search trial), re-validated. */
  public Experiment with(Map<String, Object> overrides, String nameSuffix) {
    Config c = ConfigFactory.parseString(configJson);
    for (Map.Entry<String, Object> e : overrides.entrySet()) {
      c = c.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue()));
    }
    c = c.withValue("name", ConfigValueFactory.fromAnyRef(name + nameSuffix));
    return parse(c, origin + " " + overrides);
  }

  /** Model and training settings as they were resolved (defaults included), for provenance. */
  public Map<String, Object> resolved() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("model", model.toMap());
    m.put("train", train.toMap());
    return m;
  }

  /** SHA-256 over the resolved settings: a resumed run must have the same one. */
  public String fingerprint() {
    try {
      return Sha256.hex(new ObjectMapper().writeValueAsBytes(resolved()));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Cannot serialise the settings of " + origin(), e);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
