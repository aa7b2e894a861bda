package io.timbre.util;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version and git commit this code was built from, recorded in every table's and model's provenance. */
public final class CodeVersion {
  private static final String VALUE = load();

  private CodeVersion() {}

  /** "0.1.0-SNAPSHOT+abc1234" (with "-dirty" when built from uncommitted changes). */
  public static String get() {
    return VALUE;
  }

  private static String load() {
    Properties p = new Properties();
    try (InputStream in = CodeVersion.class.getResourceAsStream("/io/timbre/build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    String v = p.getProperty("version", "unknown");
    String c = p.getProperty("commit", "");
    if (c.isEmpty() || c.startsWith("${")) {
      return v;
    }
    return v + "+" + c + ("true".equals(p.getProperty("dirty")) ? "-dirty" : "");
  }
}
