package io.timbre.features;

import static io.timbre.util.Checks.check;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads a {@link FeatureSpec} from HOCON or JSON: every key optional (the builder's librosa defaults), unknown keys
 * and ill-typed or fractional values refused naming the key and the origin.
 */
final class FeatureSpecParser {
  private FeatureSpecParser() {}

  /** An integer key, refusing a fractional value that HOCON's getInt would truncate (n_mels = 64.5 is not 64). */
  private static int wholeNumber(Config c, String key, String origin) {
    Number n = c.getNumber(key);
    double d = n.doubleValue();
    check(d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE,
        "Cannot read feature spec from %s: %s must be a whole number: %s", origin, key, n);
    return (int) d;
  }

  /** Reads a spec from a config object (a file's root or a {@code features { … }} block), naming {@code origin}. */
  static FeatureSpec fromConfig(Config c, String origin) {
    for (Map.Entry<String, ConfigValue> e : c.root().entrySet()) {
      check(FeatureSpec.KEYS.contains(e.getKey()), "Cannot read feature spec from %s: unknown key '%s' (known: %s)", origin,
          e.getKey(), String.join(", ", new TreeSet<>(FeatureSpec.KEYS)));
    }
    FeatureSpec.Builder b = FeatureSpec.builder();
    try {
      if (c.hasPath("spec_version")) {
        int v = wholeNumber(c, "spec_version", origin);
        check(v == FeatureSpec.SCHEMA_VERSION, "Cannot read feature spec from %s: spec_version %s (this Timbre reads %s)",
            origin, v, FeatureSpec.SCHEMA_VERSION);
      }
      if (c.hasPath("kind")) b.kind(FeatureKind.fromId(c.getString("kind")));
      if (c.hasPath("sample_rate")) b.sampleRate(wholeNumber(c, "sample_rate", origin));
      if (c.hasPath("n_fft")) b.nFft(wholeNumber(c, "n_fft", origin));
      if (c.hasPath("hop_length")) b.hopLength(wholeNumber(c, "hop_length", origin));
      if (c.hasPath("win_length")) b.winLength(wholeNumber(c, "win_length", origin));
      if (c.hasPath("window")) b.window(WindowFunction.fromName(c.getString("window")));
      if (c.hasPath("center")) b.center(c.getBoolean("center"));
      if (c.hasPath("pad_mode")) b.padMode(PadMode.fromId(c.getString("pad_mode")));
      if (c.hasPath("power")) b.power(c.getDouble("power"));
      if (c.hasPath("n_mels")) b.nMels(wholeNumber(c, "n_mels", origin));
      if (c.hasPath("fmin")) b.fmin(c.getDouble("fmin"));
      if (c.hasPath("fmax")) b.fmax(c.getDouble("fmax"));
      if (c.hasPath("mel_scale")) b.melScale(MelScale.fromId(c.getString("mel_scale")));
      if (c.hasPath("mel_norm")) b.melNorm(c.getString("mel_norm"));
      if (c.hasPath("db_ref")) b.dbRef(c.getDouble("db_ref"));
      if (c.hasPath("db_amin")) b.dbAmin(c.getDouble("db_amin"));
      if (c.hasPathOrNull("top_db")) {
        b.topDb(c.getIsNull("top_db") ? null : c.getDouble("top_db"));
      }
      if (c.hasPath("top_db_unit")) b.topDbUnit(TopDbUnit.fromId(c.getString("top_db_unit")));
      if (c.hasPath("n_mfcc")) b.nMfcc(wholeNumber(c, "n_mfcc", origin));
      if (c.hasPath("delta_order")) b.deltaOrder(wholeNumber(c, "delta_order", origin));
      if (c.hasPath("delta_width")) b.deltaWidth(wholeNumber(c, "delta_width", origin));
      if (c.hasPath("segment_seconds")) b.segmentSeconds(c.getDouble("segment_seconds"));
      if (c.hasPath("segment_hop_seconds")) b.segmentHopSeconds(c.getDouble("segment_hop_seconds"));
    } catch (ConfigException.WrongType e) {
      throw new IllegalArgumentException("Cannot read feature spec from " + origin + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("Cannot")) {
        throw e;
      }
      throw new IllegalArgumentException("Cannot read feature spec from " + origin + ": " + e.getMessage(), e);
    }
    return b.build();
  }
}
