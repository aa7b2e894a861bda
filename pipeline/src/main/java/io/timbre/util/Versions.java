package io.timbre.util;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** Versions of the libraries a model was made with, for provenance (read from the jars' Maven metadata). */
public final class Versions {
  private Versions() {}

  /** Spark, DL4J, ND4J (and its backend), Hadoop, Java and Timbre's code version. */
  public static Map<String, String> all(String sparkVersion) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("timbre", CodeVersion.get());
    m.put("spark", sparkVersion);
    m.put("deeplearning4j", maven("org.deeplearning4j", "deeplearning4j-nn"));
    m.put("dl4j_spark", maven("org.deeplearning4j", "dl4j-spark3_2.12"));
    m.put("nd4j_backend", backend());
    m.put("hadoop", org.apache.hadoop.util.VersionInfo.getVersion());
    m.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
    return m;
  }

  static String maven(String group, String artifact) {
    String res = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
    try (InputStream in = Versions.class.getResourceAsStream(res)) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  static String backend() {
    try {
      return org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getSimpleName() + " "
          + maven("org.nd4j", "nd4j-native") + maven("org.nd4j", "nd4j-cuda-11.6").replace("unknown", "");
    } catch (RuntimeException e) {
      return "unknown";
    }
  }
}
