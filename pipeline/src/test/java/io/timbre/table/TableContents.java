package io.timbre.table;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timbre.store.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** What a reader sees of a published table, for tests that compare tables after failures with a reference run. */
final class TableContents {
  private TableContents() {}

  /**
   * Every row of every part of the published version as one SHA-256 per row (the run id aside): clip ids, content
   * hashes, each segment's features and targets. Two tables are equal iff these sets are.
   */
  static TreeSet<String> digests(SparkSession spark, String table) throws Exception {
    TreeSet<String> out = new TreeSet<>();
    for (String part : TableVersion.PARTS) {
      for (Row r : FeatureTable.read(spark, table, part).collectAsList()) {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update(part.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < r.size(); i++) {
          String column = r.schema().fields()[i].name();
          if (!column.equals("run_id")) {
            d.update(column.getBytes(StandardCharsets.UTF_8));
            d.update(String.valueOf(r.get(i) instanceof scala.collection.Seq<?> s ? s.mkString(",") : r.get(i))
                .getBytes(StandardCharsets.UTF_8));
          }
        }
        out.add(part + ":" + HexFormat.of().formatHex(d.digest()));
      }
    }
    return out;
  }

  /** Asserts that the published provenance counts exactly the rows the published version holds. */
  static void assertProvenanceDescribesTheRows(SparkSession spark, String table, Configuration conf)
      throws Exception {
    TableVersion v = TableVersion.require(table, conf, "check");
    JsonNode p = new ObjectMapper().readTree(AtomicFiles.read(new Path(v.provenanceLocation()), conf));
    long clips = 0;
    long segments = 0;
    long quarantined = 0;
    for (JsonNode run : p.path("runs")) {
      clips += run.path("clips_ok").asLong(-1);
      segments += run.path("segments").asLong(-1);
      quarantined += run.path("quarantined").asLong(-1);
    }
    assertThat(FeatureTable.read(spark, table, "clips").count()).as("clips of %s", table).isEqualTo(clips);
    assertThat(FeatureTable.read(spark, table, "segments").count()).as("segments of %s", table).isEqualTo(segments);
    assertThat(FeatureTable.read(spark, table, "quarantine").count()).as("quarantine of %s", table)
        .isEqualTo(quarantined);
  }
}
