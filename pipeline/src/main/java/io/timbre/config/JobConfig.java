package io.timbre.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import java.io.File;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A job's HOCON config file ({@code conf/local.conf}, {@code conf/emr.conf}): {@code timbre.<job>} options checked
 * against the keys the job knows (an unknown or ill-typed key is an error naming it and the file), and the
 * {@code timbre.spark} / {@code timbre.hadoop} maps passed through as settings.
 */
public final class JobConfig {
  private final Config config;
  private final String origin;

  /** The sections under {@code timbre} that jobs read; any other (a misspelt {@code timbre.trian}) is an error. */
  public static final java.util.Set<String> SECTIONS = java.util.Set.of("ingest", "evaluate", "predict", "separate",
      "promote", "spark", "hadoop");

  private JobConfig(Config config, String origin) {
    this.config = config;
    this.origin = origin;
    for (String top : config.root().keySet()) {
      if (!top.equals("timbre")) {
        throw new IllegalArgumentException("Cannot read config " + origin + ": unknown top-level key '" + top
            + "' (everything is under timbre { … })");
      }
    }
    if (config.hasPath("timbre")) {
      if (config.getValue("timbre").valueType() != com.typesafe.config.ConfigValueType.OBJECT) {
        throw new IllegalArgumentException("Cannot read config " + origin + ": timbre must be an object");
      }
      for (String section : config.getObject("timbre").keySet()) {
        if (!SECTIONS.contains(section)) {
          throw new IllegalArgumentException("Cannot read config " + origin + ": unknown section 'timbre." + section
              + "' (known: " + String.join(", ", new java.util.TreeSet<>(SECTIONS)) + ")");
        }
      }
    }
  }

  /** An empty config (defaults everywhere). */
  public static JobConfig empty() {
    return new JobConfig(ConfigFactory.empty(), "(defaults)");
  }

  /** Parses a file (includes resolve relative to it). */
  public static JobConfig load(File file) {
    if (!file.isFile()) {
      throw new IllegalArgumentException("Cannot read config: " + file + " is not a file");
    }
    try {
      Config c = ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false)).resolve();
      return new JobConfig(c, file.toString());
    } catch (ConfigException e) {
      throw new IllegalArgumentException("Cannot read config " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses a config named by a local path or a Hadoop URI ({@code s3a://bucket/timbre/conf/emr.conf}): a driver in
   * client mode on a cluster reads its config where the pipeline keeps it. Includes resolve only for local files.
   */
  public static JobConfig load(String location, org.apache.hadoop.conf.Configuration hadoop) {
    ConfigFile f = ConfigFile.read(location, hadoop, "config");
    if (f.localFile() != null) {
      return load(f.localFile());
    }
    try {
      return new JobConfig(io.timbre.util.Hocon.parseStandalone(f.text(), location), location);
    } catch (ConfigException e) {
      throw new IllegalArgumentException("Cannot read config " + location + ": " + e.getMessage(), e);
    }
  }

  /** Options of {@code timbre.<section>}, checked against {@code known} keys. */
  public Section section(String section, Set<String> known) {
    String path = "timbre." + section;
    Config c = config.hasPath(path) ? config.getConfig(path) : ConfigFactory.empty();
    for (Map.Entry<String, ConfigValue> e : c.entrySet()) {
      if (!known.contains(e.getKey())) {
        throw new IllegalArgumentException("Cannot read config " + origin + ": unknown key '" + path + "."
            + e.getKey() + "' (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
      }
    }
    return new Section(c, path, origin);
  }

  /** The string map at {@code timbre.<name>} (e.g. spark, hadoop), keys as written (quoted dotted keys kept). */
  public Map<String, String> settings(String name) {
    String path = "timbre." + name;
    Map<String, String> out = new TreeMap<>();
    if (!config.hasPath(path)) {
      return out;
    }
    try {
      config.getObject(path).forEach((k, v) -> out.put(k, String.valueOf(v.unwrapped())));
    } catch (ConfigException e) {
      throw new IllegalArgumentException("Cannot read config " + origin + ": " + path + " must be an object of "
          + "settings: " + e.getMessage(), e);
    }
    return out;
  }

  /** Typed access to one section, with errors naming the key and file. */
  public static final class Section {
    private final Config c;
    private final String path;
    private final String origin;

    Section(Config c, String path, String origin) {
      this.c = c;
      this.path = path;
      this.origin = origin;
    }

    /**
     * The object at {@code path} of {@code root} (empty when absent), checked against {@code known} leaf keys:
     * an unknown key is an error naming it and the file.
     */
    public static Section of(Config root, String path, String origin, Set<String> known) {
      Config c;
      try {
        c = root.hasPath(path) ? root.getConfig(path) : ConfigFactory.empty();
      } catch (ConfigException e) {
        throw new IllegalArgumentException("Cannot read config " + origin + ": " + path + " must be an object: "
            + e.getMessage(), e);
      }
      for (Map.Entry<String, ConfigValue> e : c.entrySet()) {
        String top = e.getKey().split("\\.", 2)[0];
        if (!known.contains(e.getKey()) && !known.contains(top + ".*")) {
          throw new IllegalArgumentException("Cannot read config " + origin + ": unknown key '" + path + "."
              + e.getKey() + "' (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
        }
      }
      return new Section(c, path, origin);
    }

    /** Whether the key is set. */
    public boolean has(String key) {
      return c.hasPath(key);
    }

    /** The sub-object at {@code key} (empty when absent). */
    public Config config(String key) {
      try {
        return c.hasPath(key) ? c.getConfig(key) : ConfigFactory.empty();
      } catch (ConfigException e) {
        throw bad(key, e);
      }
    }

    public String getString(String key, String dflt) {
      try {
        return c.hasPath(key) ? c.getString(key) : dflt;
      } catch (ConfigException e) {
        throw bad(key, e);
      }
    }

    public boolean getBoolean(String key, boolean dflt) {
      try {
        return c.hasPath(key) ? c.getBoolean(key) : dflt;
      } catch (ConfigException e) {
        throw bad(key, e);
      }
    }

    public java.util.List<Integer> getIntList(String key, java.util.List<Integer> dflt) {
      try {
        return c.hasPath(key) ? java.util.List.copyOf(c.getIntList(key)) : dflt;
      } catch (ConfigException e) {
        throw bad(key, e);
      }
    }

    /** A value that parsed but is out of range or unknown: an error naming the key and the file. */
    public IllegalArgumentException invalid(String key, String problem) {
      return new IllegalArgumentException("Cannot read config " + origin + ": " + path + "." + key + ": " + problem);
    }

    /** Checks {@code lo <= value <= hi}, naming the key otherwise. */
    public double range(String key, double value, double lo, double hi) {
      if (!(value >= lo && value <= hi)) {
        throw invalid(key, "must be in [" + lo + ", " + hi + "], was " + value);
      }
      return value;
    }

    public double getDouble(String key, double dflt) {
      try {
        return c.hasPath(key) ? c.getDouble(key) : dflt;
      } catch (ConfigException e) {
        throw bad(key, e);
      }
    }

    public int getInt(String key, int dflt) {
      try {
        return c.hasPath(key) ? c.getInt(key) : dflt;
      } catch (ConfigException e) {
        throw bad(key, e);
      }
    }

    public long getLong(String key, long dflt) {
      try {
        return c.hasPath(key) ? c.getLong(key) : dflt;
      } catch (ConfigException e) {
        throw bad(key, e);
      }
    }

    private IllegalArgumentException bad(String key, ConfigException e) {
      return new IllegalArgumentException("Cannot read config " + origin + ": " + path + "." + key + ": "
          + e.getMessage(), e);
    }
  }
}
