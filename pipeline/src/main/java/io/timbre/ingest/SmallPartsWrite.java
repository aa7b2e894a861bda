package io.timbre.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbre.datasets.ClipRef;
import io.timbre.datasets.QuarantineRecord;
import io.timbre.featurize.ClipResult;
import io.timbre.spark.ScopedSqlConf;
import io.timbre.table.FeatureTable;
import io.timbre.table.SegmentsWrite;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import scala.collection.JavaConverters;

/**
 * A version's two small parts, {@code clips} and {@code quarantine}: rows built on the driver from the clip summaries,
 * each part written by one task. Each write is mostly Spark's fixed per-write cost, so the two run side by side.
 */
final class SmallPartsWrite {
  // Annotation maps in key order, so a clip's annotations serialise to the same text on every run.
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private SmallPartsWrite() {}

  /**
   * Writes {@code <data>/clips} (the clips that featurised) and {@code <data>/quarantine} (every refusal); returns only
   * once both writes have ended, and throws the first failure with any second one suppressed.
   */
  static void write(SparkSession spark, String dataset, String data, List<ClipResult> clips,
      List<QuarantineRecord> quarantine, String specId, String runId) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Row> clipRows = new ArrayList<>();
    for (ClipResult r : clips) {
      clipRows.add(clipRow(r, specId));
    }
    List<Row> qRows = new ArrayList<>();
    for (QuarantineRecord q : quarantine) {
      qRows.add(RowFactory.create(q.path(), q.dataset(), q.stage().name(), q.errorClass(), q.message(), specId,
          runId));
    }
    ExecutorService side = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "timbre-ingest-quarantine-writer");
      t.setDaemon(true);
      return t;
    });
    try (ScopedSqlConf interpreted = ScopedSqlConf.set(spark, SegmentsWrite.interpreted())) {
      Future<?> quarantineWritten = side.submit(() -> {
        sc.setJobDescription("timbre ingest " + dataset + ": write quarantine");
        spark.createDataFrame(qRows, FeatureTable.QUARANTINE).coalesce(1).write().mode(SaveMode.ErrorIfExists)
            .parquet(data + "/quarantine");
      });
      RuntimeException failure = null;
      try {
        sc.setJobDescription("timbre ingest " + dataset + ": write clips");
        spark.createDataFrame(clipRows, FeatureTable.CLIPS).coalesce(1)
            .write().mode(SaveMode.ErrorIfExists).partitionBy("split").parquet(data + "/clips");
      } catch (RuntimeException e) {
        failure = e;
      }
      // Always wait for the other write, so nothing is still writing once this method has returned or thrown.
      try {
        quarantineWritten.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = withSuppressed(failure, new IllegalStateException("Interrupted while writing " + data
            + "/quarantine", e));
      } catch (ExecutionException e) {
        failure = withSuppressed(failure, e.getCause() instanceof RuntimeException re ? re
            : new IllegalStateException("Cannot write " + data + "/quarantine: " + e.getCause(), e.getCause()));
      }
      if (failure != null) {
        throw failure;
      }
    } finally {
      side.shutdownNow();
    }
  }

  private static RuntimeException withSuppressed(RuntimeException first, RuntimeException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  private static Row clipRow(ClipResult r, String specId) {
    ClipRef c = r.clip();
    ObjectNode ann = JSON.createObjectNode();
    ann.set("events", JSON.valueToTree(c.events()));
    ann.set("series", JSON.valueToTree(c.series()));
    String annotations;
    try {
      annotations = JSON.writeValueAsString(ann);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialise the annotations of " + c.id(), e);
    }
    return RowFactory.create(c.id(), c.dataset(), c.audioPath(), c.audioPaths().toArray(new String[0]),
        c.sizeBytes(), r.sha256(), r.durationSec(), r.sourceRate(), r.sourceChannels(), r.sourceBits(),
        r.sourceEncoding(), c.labels().toArray(new String[0]),
        JavaConverters.mapAsScalaMapConverter(new HashMap<>(c.tags())).asScala(), annotations, c.groupKey(),
        r.frames(), r.segments().size(), specId, c.split());
  }
}
