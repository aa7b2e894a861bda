package io.timbre.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Session SQL settings that hold for one block of work and are put back as they were afterwards, for settings that
 * Spark reads from the session rather than from a writer's options (the Parquet list layout, planned writes).
 *
 * <pre>{@code
 * try (ScopedSqlConf ignored = ScopedSqlConf.set(spark, Map.of("spark.sql.x", "true"))) {
 *   df.write()...;
 * }
 * }</pre>
 *
 * <p>Not for sessions that run other writes concurrently from other threads: they would see the settings too.
 */
public final class ScopedSqlConf implements AutoCloseable {
  private final SparkSession spark;
  /** Previous values; null where the key was unset. */
  private final Map<String, String> previous = new LinkedHashMap<>();

  private ScopedSqlConf(SparkSession spark, Map<String, String> settings) {
    this.spark = spark;
    for (Map.Entry<String, String> e : settings.entrySet()) {
      previous.put(e.getKey(), spark.conf().contains(e.getKey()) ? spark.conf().get(e.getKey()) : null);
      spark.conf().set(e.getKey(), e.getValue());
    }
  }

  /** Applies {@code settings} to the session until {@link #close()}. */
  public static ScopedSqlConf set(SparkSession spark, Map<String, String> settings) {
    return new ScopedSqlConf(spark, settings);
  }

  @Override
  public void close() {
    for (Map.Entry<String, String> e : previous.entrySet()) {
      if (e.getValue() == null) {
        spark.conf().unset(e.getKey());
      } else {
        spark.conf().set(e.getKey(), e.getValue());
      }
    }
  }
}
