package io.timbre.util;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbre.exceptions.IncompatibleArtefactException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads the fields of one JSON artefact by key, each required unless asked with a fallback the format defines: a
 * missing or ill-typed key is an {@link IncompatibleArtefactException} naming the file and the key's path, never a
 * silent default. The document classes ({@code TableProvenance}, {@code ModelProvenance}, ...) read through it.
 */
public final class JsonDocument {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode node;
  private final String source;
  private final String path;

  private JsonDocument(JsonNode node, String source, String path) {
    this.node = node;
    this.source = source;
    this.path = path;
  }

  /** Parses bytes read from {@code source} (a path or URI, used in messages); the root must be an object. */
  public static JsonDocument parse(byte[] bytes, String source) {
    JsonNode n;
    try {
      n = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new IncompatibleArtefactException("Cannot read " + source + ": not JSON: " + e.getMessage(), e);
    }
    return of(n, source);
  }

  /** Wraps a parsed tree read from {@code source}; the root must be an object. */
  public static JsonDocument of(JsonNode node, String source) {
    if (node == null || !node.isObject()) {
      throw new IncompatibleArtefactException("Cannot read " + source + ": not a JSON object");
    }
    return new JsonDocument(node, source, "");
  }

  public String source() {
    return source;
  }

  /**
   * The integer format version under {@code key}, at most {@code current}: a newer file is refused (upgrade Timbre);
   * a file without the key predates it and has format 1.
   */
  public int formatVersion(String key, int current) {
    int version = has(key) ? int32(key) : 1;
    if (version > current) {
      throw new IncompatibleArtefactException("Cannot read " + source + ": format version " + version
          + " is newer than this Timbre reads (" + current + "); upgrade Timbre");
    }
    return version;
  }

  /** Refuses a file whose {@code format} string is not {@code expected} (another kind of file, or another version). */
  public void requireFormat(String expected) {
    String format = string("format");
    if (!expected.equals(format)) {
      throw new IncompatibleArtefactException("Cannot read " + source + ": format '" + format + "' is not " + expected
          + " (another kind of file, or written by another Timbre version)");
    }
  }

  /** The tree, for documents that carry an embedded object verbatim (a spec, a policy). */
  public JsonNode node() {
    return node;
  }

  public boolean has(String key) {
    return node.has(key) && !node.get(key).isNull();
  }

  private JsonNode required(String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      throw new IncompatibleArtefactException("Cannot read " + source + ": key '" + path + key + "' is missing");
    }
    return v;
  }

  private IncompatibleArtefactException illTyped(String key, String want) {
    return new IncompatibleArtefactException("Cannot read " + source + ": key '" + path + key + "' is not " + want);
  }

  public String string(String key) {
    JsonNode v = required(key);
    if (!v.isTextual()) {
      throw illTyped(key, "a string");
    }
    return v.asText();
  }

  /** A string the format declares optional: {@code fallback} when absent. */
  public String string(String key, String fallback) {
    return has(key) ? string(key) : fallback;
  }

  public long integer(String key) {
    JsonNode v = required(key);
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw illTyped(key, "an integer");
    }
    return v.asLong();
  }

  public int int32(String key) {
    long v = integer(key);
    if (v != (int) v) {
      throw illTyped(key, "a 32-bit integer");
    }
    return (int) v;
  }

  /**
   * A number; Jackson writes a non-finite double as the string "NaN", "Infinity" or "-Infinity", which reads back as
   * that double.
   */
  public double number(String key) {
    Double v = asDouble(required(key));
    if (v == null) {
      throw illTyped(key, "a number");
    }
    return v;
  }

  private static Double asDouble(JsonNode v) {
    if (v.isNumber()) {
      return v.asDouble();
    }
    if (v.isTextual() && NON_FINITE.contains(v.asText())) {
      return Double.parseDouble(v.asText());
    }
    return null;
  }

  private static final List<String> NON_FINITE = List.of("NaN", "Infinity", "-Infinity");

  /** A number the format declares optional (a metric not every evaluation has): empty when absent. */
  public OptionalDouble optionalNumber(String key) {
    return has(key) ? OptionalDouble.of(number(key)) : OptionalDouble.empty();
  }

  /** An object the format declares optional (a section not every evaluation has): empty when absent. */
  public Optional<JsonDocument> optionalObject(String key) {
    return has(key) ? Optional.of(object(key)) : Optional.empty();
  }

  /** A list of integers. */
  public List<Long> integerList(String key) {
    JsonNode v = required(key);
    if (!v.isArray()) {
      throw illTyped(key, "a list of integers");
    }
    List<Long> out = new ArrayList<>();
    for (JsonNode x : v) {
      if (!x.isIntegralNumber() || !x.canConvertToLong()) {
        throw illTyped(key, "a list of integers");
      }
      out.add(x.asLong());
    }
    return Collections.unmodifiableList(out);
  }

  /** A list of numbers (non-finite ones as Jackson writes them, see {@link #number}). */
  public double[] numberArray(String key) {
    JsonNode v = required(key);
    if (!v.isArray()) {
      throw illTyped(key, "a list of numbers");
    }
    double[] out = new double[v.size()];
    for (int i = 0; i < out.length; i++) {
      Double x = asDouble(v.get(i));
      if (x == null) {
        throw illTyped(key, "a list of numbers");
      }
      out[i] = x;
    }
    return out;
  }

  /** A list of lists of integers (a matrix such as a confusion matrix), row by row. */
  public List<long[]> integerRows(String key) {
    JsonNode v = required(key);
    if (!v.isArray()) {
      throw illTyped(key, "a list of lists of integers");
    }
    List<long[]> out = new ArrayList<>();
    for (JsonNode row : v) {
      if (!row.isArray()) {
        throw illTyped(key, "a list of lists of integers");
      }
      long[] r = new long[row.size()];
      for (int i = 0; i < r.length; i++) {
        if (!row.get(i).isIntegralNumber()) {
          throw illTyped(key, "a list of lists of integers");
        }
        r[i] = row.get(i).asLong();
      }
      out.add(r);
    }
    return Collections.unmodifiableList(out);
  }

  /** Whether the value under {@code key} is a JSON integer (not a fraction), for a printer that keeps the difference. */
  public boolean isInteger(String key) {
    return has(key) && node.get(key).isIntegralNumber();
  }

  public boolean bool(String key) {
    JsonNode v = required(key);
    if (!v.isBoolean()) {
      throw illTyped(key, "true or false");
    }
    return v.asBoolean();
  }

  public JsonDocument object(String key) {
    JsonNode v = required(key);
    if (!v.isObject()) {
      throw illTyped(key, "an object");
    }
    return new JsonDocument(v, source, path + key + ".");
  }

  public List<String> strings(String key) {
    JsonNode v = required(key);
    if (!v.isArray()) {
      throw illTyped(key, "a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode x : v) {
      if (!x.isTextual()) {
        throw illTyped(key, "a list of strings");
      }
      out.add(x.asText());
    }
    return Collections.unmodifiableList(out);
  }

  public List<JsonDocument> objects(String key) {
    JsonNode v = required(key);
    if (!v.isArray()) {
      throw illTyped(key, "a list of objects");
    }
    List<JsonDocument> out = new ArrayList<>();
    int i = 0;
    for (JsonNode x : v) {
      if (!x.isObject()) {
        throw illTyped(key, "a list of objects");
      }
      out.add(new JsonDocument(x, source, path + key + "[" + i++ + "]."));
    }
    return Collections.unmodifiableList(out);
  }

  /** An object of numbers, in document order. */
  public Map<String, Double> numbers(String key) {
    JsonDocument o = object(key);
    Map<String, Double> out = new LinkedHashMap<>();
    o.node.fieldNames().forEachRemaining(k -> out.put(k, o.number(k)));
    return Collections.unmodifiableMap(out);
  }

  /** An object of integers, in key order. */
  public SortedMap<String, Long> integers(String key) {
    JsonDocument o = object(key);
    SortedMap<String, Long> out = new TreeMap<>();
    o.node.fieldNames().forEachRemaining(k -> out.put(k, o.integer(k)));
    return Collections.unmodifiableSortedMap(out);
  }

  /** The keys of this object in document order. */
  public List<String> keys() {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  /** The embedded object under {@code key}, verbatim. */
  public ObjectNode tree(String key) {
    JsonNode v = required(key);
    if (!v.isObject()) {
      throw illTyped(key, "an object");
    }
    return v.deepCopy();
  }

  /** A fresh mutable map copy of a string-to-string object. */
  public Map<String, String> stringMap(String key) {
    JsonDocument o = object(key);
    Map<String, String> out = new LinkedHashMap<>();
    for (String k : o.keys()) {
      out.put(k, o.string(k));
    }
    return out;
  }
}
