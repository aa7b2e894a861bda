package io.timbre.train;

import io.timbre.features.FeatureSpec;
import io.timbre.ingest.IngestJob;
import io.timbre.ingest.IngestOptions;
import io.timbre.ingest.IngestSummary;
import io.timbre.sampledata.SampleData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.SparkSession;

/**
 * Generated datasets ingested into feature tables, made once per test JVM and shared by the training tests (the
 * generation and ingest are tested elsewhere; here they are inputs).
 */
public final class TrainingData {
  /** 64 log-mel bands, 1 s segments: small enough to train in CI, the shape the cnn experiments use. */
  public static final FeatureSpec SPEC = FeatureSpec.builder().nMels(64).segmentSeconds(1.0).build();

  private static final Map<String, String> TABLES = new ConcurrentHashMap<>();
  private static Path root;

  private TrainingData() {}

  private static void delete(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort at JVM exit
    }
  }

  /** The table of a generated dataset ({@code clipsPerClass} as the generator takes it). */
  public static synchronized String table(SparkSession spark, String dataset, int clipsPerClass, FeatureSpec spec) {
    String key = dataset + "/" + clipsPerClass + "/" + spec.id();
    return TABLES.computeIfAbsent(key, k -> {
      try {
        if (root == null) {
          root = Files.createTempDirectory("timbre-training-data");
          Path dir = root;
          Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
        }
        Path in = root.resolve("in-" + dataset + "-" + clipsPerClass);
        SampleData.generate(dataset, in, 11, clipsPerClass);
        IngestSummary s = IngestJob.run(spark, new IngestOptions(dataset, in.toString(),
            root.resolve("tables").toString(), spec, false, 0.2, 0.2, 3, 0, 1000, Map.of()));
        return s.table();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}
