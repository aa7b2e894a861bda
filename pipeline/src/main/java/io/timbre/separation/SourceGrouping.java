package io.timbre.separation;

import static io.timbre.util.Checks.check;

import io.timbre.datasets.ClipRef;
import io.timbre.exceptions.BadConfigException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which of a clip's stems make up each separation source: an ordered list of sources, each with match rules, and each
 * stem assigned to the first source with a rule it matches. Rules: {@code stem:KEY} (IDMT-SMT-Drums' {@code HH},
 * {@code KD}, {@code SD}; MedleyDB's {@code S01}…), {@code instrument:NAME} (a MedleyDB stem's instrument label,
 * case-insensitive), {@code component:NAME} (MedleyDB's {@code melody}/{@code bass} component) and {@code *} (every
 * stem not taken by an earlier source: the "accompaniment" or "rest").
 *
 * <p>Separation needs the mixture to be the sum of the sources, so a clip whose stems do not all belong to a source,
 * or whose dataset left a stem out (MedleyDB's errata), is refused with a {@link SeparationInputException}, which the
 * ingest quarantines. A source no stem of a clip matches is silent in that clip: kept, and reported by evaluation.
 */
public record SourceGrouping(List<Source> sources) implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern IDMT_STEM = Pattern.compile("#(HH|KD|SD)\\.wav$");
  private static final Pattern MEDLEYDB_STEM = Pattern.compile("_STEM_(\\d+)\\.wav$");
  private static final Pattern MEDLEYDB_TAG = Pattern.compile("^(.*?)(?: \\((.*)\\))?$");

  /** A named source and the rules that select its stems. */
  public record Source(String name, List<String> rules) implements Serializable {
    private static final long serialVersionUID = 1L;

    public Source {
      check(name != null && name.matches("[A-Za-z0-9_-]+"), "Cannot define source: name must be letters, digits,"
          + " '_' or '-': %s", name);
      rules = List.copyOf(rules);
      check(!rules.isEmpty(), "Cannot define source %s: no match rules", name);
      for (String r : rules) {
        check(r.equals("*") || r.matches("(stem|instrument|component):.+"),
            "Cannot define source %s: rule '%s' is not stem:KEY, instrument:NAME, component:NAME or *", name, r);
      }
    }
  }

  public SourceGrouping {
    sources = List.copyOf(sources);
    check(sources.size() >= 2, "Cannot separate: needs at least 2 sources, got %s", sources.size());
    check(sources.stream().map(Source::name).distinct().count() == sources.size(),
        "Cannot separate: source names repeat: %s", sources.stream().map(Source::name).toList());
  }

  static final String SOURCES = "sources";
  static final String NAME = "name";
  static final String MATCH = "match";

  /**
   * Reads a sources file: {@code sources = [{name = vocals, match = ["instrument:female singer", …]}, {name =
   * accompaniment, match = ["*"]}]}, in HOCON. Errors name the file and the key.
   *
   * @throws BadConfigException when the file does not parse or a source is ill-formed
   */
  public static SourceGrouping parse(String text, String origin) {
    try {
      com.typesafe.config.Config c = com.typesafe.config.ConfigFactory.parseString(text,
          com.typesafe.config.ConfigParseOptions.defaults().setOriginDescription(origin));
      if (!c.hasPath(SOURCES)) {
        throw new BadConfigException(origin + ": no '" + SOURCES + "' list");
      }
      List<Source> out = new ArrayList<>();
      int i = 0;
      for (com.typesafe.config.Config s : c.getConfigList(SOURCES)) {
        String where = origin + ": " + SOURCES + "[" + i++ + "]";
        for (String key : s.root().keySet()) {
          if (!key.equals(NAME) && !key.equals(MATCH)) {
            throw new BadConfigException(where + ": unknown key '" + key + "' (known: name, match)");
          }
        }
        if (!s.hasPath(NAME) || !s.hasPath(MATCH)) {
          throw new BadConfigException(where + ": needs 'name' and 'match'");
        }
        try {
          out.add(new Source(s.getString(NAME), s.getStringList(MATCH)));
        } catch (IllegalArgumentException e) {
          throw new BadConfigException(where + ": " + e.getMessage(), e);
        }
      }
      return new SourceGrouping(out);
    } catch (com.typesafe.config.ConfigException e) {
      throw new BadConfigException(origin + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new BadConfigException(origin + ": " + e.getMessage(), e);
    }
  }

  /** IDMT-SMT-Drums: hi-hat, kick and snare, each its own stem. */
  public static SourceGrouping idmtDrums() {
    return new SourceGrouping(List.of(new Source("HH", List.of("stem:HH")), new Source("KD", List.of("stem:KD")),
        new Source("SD", List.of("stem:SD"))));
  }

  /** A short stable id of the grouping (names and rules), for table locations. */
  public String id() {
    StringBuilder b = new StringBuilder();
    for (Source s : sources) {
      b.append(s.name()).append('=').append(String.join(",", s.rules())).append(';');
    }
    return io.timbre.util.Sha256.hexOf(io.timbre.util.Sha256.newDigest().digest(
        b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))).substring(0, 10);
  }

  public List<String> names() {
    return sources.stream().map(Source::name).toList();
  }

  /** One stem as the rules see it. */
  record Stem(String path, String key, List<String> instruments, String component) {}

  /**
   * The stems' paths of each source, in source order.
   *
   * @throws SeparationInputException when a stem matches no source, a stem was excluded by the dataset, or a stem's
   *     file name is not one of a known layout
   */
  public Map<String, List<String>> assign(ClipRef clip) {
    String excluded = clip.tags().entrySet().stream().filter(e -> e.getKey().endsWith("_excluded"))
        .map(e -> e.getKey().replace("stem_", "").replace("_excluded", "") + " (" + e.getValue() + ")")
        .reduce((a, b) -> a + ", " + b).orElse(null);
    if (excluded != null) {
      throw new SeparationInputException(clip.audioPath(), "ExcludedStem", clip.audioPath()
          + ": the dataset excludes stem " + excluded + ", so the mixture is not the sum of the sources");
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Source s : sources) {
      out.put(s.name(), new ArrayList<>());
    }
    List<String> paths = clip.audioPaths();
    for (int i = 1; i < paths.size(); i++) {
      Stem stem = describe(clip, paths.get(i));
      Source target = sources.stream().filter(s -> s.rules().stream().anyMatch(r -> matches(r, stem))).findFirst()
          .orElseThrow(() -> new SeparationInputException(stem.path(), "UnassignedStem", stem.path()
              + ": stem " + stem.key() + " " + stem.instruments() + " matches no source of " + names()
              + "; add a rule or a '*' source"));
      out.get(target.name()).add(stem.path());
    }
    if (paths.size() < 2) {
      throw new SeparationInputException(clip.audioPath(), "NoStems", clip.audioPath()
          + ": has no stems to separate into");
    }
    out.replaceAll((k, v) -> List.copyOf(v));
    return out;
  }

  private static boolean matches(String rule, Stem stem) {
    if (rule.equals("*")) {
      return true;
    }
    int colon = rule.indexOf(':');
    String kind = rule.substring(0, colon);
    String value = rule.substring(colon + 1).toLowerCase(Locale.ROOT);
    return switch (kind) {
      case "stem" -> stem.key().equalsIgnoreCase(value);
      case "instrument" -> stem.instruments().stream().anyMatch(i -> i.equalsIgnoreCase(value));
      case "component" -> stem.component().equalsIgnoreCase(value);
      default -> false;
    };
  }

  private static Stem describe(ClipRef clip, String path) {
    Matcher idmt = IDMT_STEM.matcher(path);
    if (idmt.find()) {
      return new Stem(path, idmt.group(1), List.of(idmt.group(1)), "");
    }
    Matcher medley = MEDLEYDB_STEM.matcher(path);
    if (medley.find()) {
      String key = "S" + medley.group(1);
      String tag = clip.tags().getOrDefault("stem_" + key, "");
      Matcher t = MEDLEYDB_TAG.matcher(tag);
      List<String> instruments = t.matches() && !t.group(1).isEmpty() ? List.of(t.group(1).split("\\|"))
          : List.of();
      String component = t.matches() && t.group(2) != null ? t.group(2) : "";
      return new Stem(path, key, instruments, component);
    }
    throw new SeparationInputException(path, "UnknownStemLayout", path
        + ": not an IDMT-SMT-Drums (#HH/#KD/#SD.wav) or MedleyDB (_STEM_NN.wav) stem");
  }
}
