package io.timbre.datasets.medleydb;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * MedleyDB's documented audio errata as an exclusion list: file name → reason. The bundled list is ERRATA.md of
 * marl/medleydb; a user list in the same TSV form (file name, error type, description) can replace it.
 */
public final class Errata {
  private final Map<String, String> reasons;

  private Errata(Map<String, String> reasons) {
    this.reasons = Collections.unmodifiableMap(reasons);
  }

  /** The bundled list. */
  public static Errata bundled() {
    try (InputStream in = Errata.class.getResourceAsStream("errata.tsv")) {
      return parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the bundled MedleyDB errata", e);
    }
  }

  public static Errata none() {
    return new Errata(Map.of());
  }

  /** Parses TSV lines {@code file<TAB>type<TAB>description}; '#' starts a comment. */
  public static Errata parse(InputStream in) throws IOException {
    Map<String, String> m = new TreeMap<>();
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String line;
    int n = 0;
    while ((line = r.readLine()) != null) {
      n++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t");
      if (f.length < 2) {
        throw new IOException("errata line " + n + ": expected 'file<TAB>type<TAB>description': " + line);
      }
      m.put(f[0].strip(), "errata type " + f[1].strip() + (f.length > 2 ? " (" + f[2].strip() + ")" : ""));
    }
    return new Errata(m);
  }

  /** Why this file is excluded, or null. */
  public String reason(String fileName) {
    return reasons.get(fileName);
  }

  public int size() {
    return reasons.size();
  }
}
