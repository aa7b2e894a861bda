package io.timbre.table;

import io.timbre.ingest.IngestJob;
import io.timbre.ingest.IngestOptions;
import io.timbre.ingest.IngestSummary;
import io.timbre.spark.Sessions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * An ingest in a JVM of its own, for tests that kill it: {@code IngestProcess INPUT OUTPUT STALE_SECONDS [K=V]…} ingests
 * the IRMAS layout under INPUT into OUTPUT with {@link TableVersionTest#SPEC} on local[2], Hadoop settings K=V, breaking
 * a lease older than STALE_SECONDS, prints {@code PUBLISHED <table>} and exits 0, or prints the failure and exits 1.
 */
public final class IngestProcess {
  private IngestProcess() {}

  public static void main(String[] args) {
    int rc = 0;
    try {
      Map<String, String> hadoop = new LinkedHashMap<>();
      for (int i = 3; i < args.length; i++) {
        int eq = args[i].indexOf('=');
        hadoop.put(args[i].substring(0, eq), args[i].substring(eq + 1));
      }
      SparkSession spark = Sessions.create("ingest-process", "local[2]", Map.of("spark.sql.shuffle.partitions", "2"));
      IngestSummary s = IngestJob.run(spark, new IngestOptions("irmas", args[0], args[1], TableVersionTest.SPEC,
          false, 0.2, 0.2, 1, 0, 10, hadoop, true, Duration.ofSeconds(Long.parseLong(args[2]))));
      System.out.println("PUBLISHED " + s.table());
    } catch (Throwable t) {
      t.printStackTrace(System.out);
      rc = 1;
    }
    System.out.flush();
    Runtime.getRuntime().halt(rc); // no shutdown hooks: the test reads what the ingest itself left behind
  }
}
