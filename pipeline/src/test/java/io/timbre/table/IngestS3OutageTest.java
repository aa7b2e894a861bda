package io.timbre.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timbre.ingest.IngestJob;
import io.timbre.ingest.IngestOptions;
import io.timbre.ingest.IngestSummary;
import io.timbre.sampledata.IrmasGenerator;
import io.timbre.spark.Sessions;
import io.timbre.store.EmbeddedS3Server;
import io.timbre.store.S3ACommitters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The S3 endpoint stops in the middle of a replacing ingest (tasks writing with the magic committer, the job commit,
 * the provenance, the pointer): the ingest fails, and once the endpoint is back a reader sees the previous table,
 * every row as it was; the next ingest publishes a table equal to a reference run.
 */
class IngestS3OutageTest {
  static EmbeddedS3Server s3;
  static SparkSession spark;
  static Map<String, String> hadoop;
  static TreeSet<String> newRows;
  static int cases;
  @TempDir static Path data;

  @BeforeAll
  static void start() throws Exception {
    new IrmasGenerator(1.0, 1.0).generate(data.resolve("a"), 1, 1);
    new IrmasGenerator(1.0, 1.0).generate(data.resolve("b"), 2, 2);
    s3 = EmbeddedS3Server.start("datasets", "tables");
    hadoop = new HashMap<>(s3.hadoopSettings());
    hadoop.put("fs.s3a.impl", OutageS3AFileSystem.class.getName());
    // An endpoint that is gone fails fast: one attempt, short timeouts (S3A's defaults retry for minutes).
    hadoop.put("fs.s3a.attempts.maximum", "1");
    hadoop.put("fs.s3a.retry.limit", "1");
    hadoop.put("fs.s3a.retry.interval", "50ms");
    hadoop.put("fs.s3a.retry.throttle.limit", "1");
    hadoop.put("fs.s3a.connection.establish.timeout", "2000");
    hadoop.put("fs.s3a.connection.timeout", "5000");
    FileSystem fs = FileSystem.get(java.net.URI.create("s3a://datasets/"), s3.hadoopConfiguration());
    for (String d : new String[] {"a", "b"}) {
      fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(data.resolve(d).toUri()),
          new org.apache.hadoop.fs.Path("s3a://datasets/" + d));
    }
    Map<String, String> sparkConf = new HashMap<>(S3ACommitters.magicSparkSettings());
    hadoop.forEach((k, v) -> sparkConf.put("spark.hadoop." + k, v));
    sparkConf.put("spark.sql.shuffle.partitions", "2");
    spark = Sessions.create("ingest-s3-outage-test", "local[2]", sparkConf);
    newRows = TableContents.digests(spark, ingest("b", "s3a://tables/reference", Duration.ofMinutes(10)).table());
  }

  @AfterAll
  static void stop() throws Exception {
    OutageS3AFileSystem.disarm();
    spark.stop();
    s3.close();
  }

  static Configuration conf() {
    Configuration c = new Configuration(spark.sparkContext().hadoopConfiguration());
    hadoop.forEach(c::set);
    return c;
  }

  static IngestSummary ingest(String dataset, String output, Duration staleAfter) {
    return IngestJob.run(spark, new IngestOptions("irmas", "s3a://datasets/" + dataset, output, TableVersionTest.SPEC,
        false, 0.2, 0.2, 1, 0, 10, hadoop, true, staleAfter));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      ".*/versions/[^/]+/segments/__magic.*part-.*", // tasks writing segments
      ".*/versions/[^/]+/segments/_SUCCESS",         // job commit: the uploads are complete, the marker not yet
      ".*/versions/[^/]+/clips/_SUCCESS",
      ".*/versions/[^/]+/_provenance\\.json",
      ".*/_current\\.json"})                          // the pointer's PUT
  void anEndpointThatStopsMidIngestLeavesThePreviousTableExactlyAsItWas(String stopAt) throws Exception {
    String output = "s3a://tables/case-" + (++cases);
    String table = ingest("a", output, Duration.ofMinutes(10)).table();
    TableVersion before = TableVersion.current(table, conf());
    TreeSet<String> previousRows = TableContents.digests(spark, table);

    java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
    OutageS3AFileSystem.arm(stopAt, () -> {
      stopped.set(true);
      try {
        s3.stopEndpoint();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    try {
      assertThatThrownBy(() -> ingest("b", output, Duration.ofMinutes(10))).isNotNull();
      assertThat(stopped).as("the endpoint was stopped at %s", stopAt).isTrue();
    } finally {
      OutageS3AFileSystem.disarm();
      s3.restartEndpoint();
    }

    assertThat(TableVersion.current(table, conf()).id()).isEqualTo(before.id());
    assertThat(TableContents.digests(spark, table)).as("the previous table, every row").isEqualTo(previousRows);
    TableContents.assertProvenanceDescribesTheRows(spark, table, conf());
    Thread.sleep(1_100); // the failed run could not release its lease while the endpoint was gone
    IngestSummary again = ingest("b", output, Duration.ofSeconds(1));
    assertThat(TableContents.digests(spark, again.table())).as("the re-run's table").isEqualTo(newRows);
    TableContents.assertProvenanceDescribesTheRows(spark, table, conf());
  }
}
