package io.timbre.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.timbre.datasets.DatasetListing;
import io.timbre.datasets.DatasetRoot;
import io.timbre.datasets.irmas.IrmasReader;
import io.timbre.features.FeatureSpec;
import io.timbre.sampledata.IrmasGenerator;
import io.timbre.sampledata.SampleManifest;
import io.timbre.spark.Sessions;
import io.timbre.store.EmbeddedS3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3 round trip against a real S3-API server on 127.0.0.1: a generated IRMAS uploaded to a bucket, listed and
 * ingested from {@code s3a://} into an {@code s3a://} table with the magic S3A committer, and read back with Spark.
 */
class IngestS3Test {
  @Test
  void ingestsFromS3aIntoS3aAndReadsTheTableBack(@TempDir Path tmp) throws Exception {
    SampleManifest m = new IrmasGenerator(0.6, 1.0).generate(tmp.resolve("irmas"), 8, 1);
    Files.write(tmp.resolve("irmas/IRMAS-TrainingData/voi/[voi][pop_roc]9999__1.wav"), new byte[7]);
    try (EmbeddedS3Server s3 = EmbeddedS3Server.start("datasets", "tables")) {
      org.apache.hadoop.conf.Configuration conf = s3.hadoopConfiguration();
      FileSystem fs = FileSystem.get(java.net.URI.create("s3a://datasets/"), conf);
      fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(tmp.resolve("irmas").toUri()),
          new org.apache.hadoop.fs.Path("s3a://datasets/irmas"));

      DatasetListing listing = new IrmasReader().read(DatasetRoot.open("s3a://datasets/irmas", conf));
      assertThat(listing.clips()).hasSize(m.entries().size());
      assertThat(listing.quarantine()).hasSize(1);

      Map<String, String> sparkConf = new HashMap<>();
      s3.hadoopSettings().forEach((k, v) -> sparkConf.put("spark.hadoop." + k, v));
      sparkConf.putAll(io.timbre.store.S3ACommitters.magicSparkSettings());
      SparkSession spark = Sessions.create("ingest-s3-test", "local[2]", sparkConf);
      try {
        FeatureSpec spec = FeatureSpec.builder().nMels(40).segmentSeconds(0.5).build();
        IngestSummary s = IngestJob.run(spark, new IngestOptions("irmas", "s3a://datasets/irmas", "s3a://tables/",
            spec, false, 0.0, 0.0, 0, 0, 10, s3.hadoopSettings()));
        assertThat(s.table()).isEqualTo("s3a://tables/irmas/" + spec.id());
        assertThat(s.clipsOk()).isEqualTo(m.entries().size());
        List<Row> clips = io.timbre.table.FeatureTable.read(spark, s.table(), "clips").collectAsList();
        assertThat(clips.stream().map(r -> r.<String>getAs("clip_id")).collect(Collectors.toSet()))
            .isEqualTo(m.byId().keySet());
        assertThat(clips).allSatisfy(r -> assertThat(r.<String>getAs("path")).startsWith("s3a://datasets/irmas/"));
        long segments = io.timbre.table.FeatureTable.read(spark, s.table(), "segments").count();
        assertThat(segments).isEqualTo(s.segments()).isGreaterThan(m.entries().size());
        List<Row> q = io.timbre.table.FeatureTable.read(spark, s.table(), "quarantine").collectAsList();
        assertThat(q).hasSize(1);
        assertThat(q.get(0).<String>getAs("path")).endsWith("9999__1.wav");
        FileSystem tables = FileSystem.get(java.net.URI.create("s3a://tables/"), conf);
        assertThat(tables.exists(new org.apache.hadoop.fs.Path(s.table() + "/" + io.timbre.table.TableVersion.POINTER)))
            .isTrue();
        // The magic committer wrote the table: its _SUCCESS is committer JSON, not an empty marker.
        String segmentsDir = io.timbre.table.TableVersion.current(s.table(), spark.sparkContext()
            .hadoopConfiguration()).locations("segments").get(0);
        assertThat(tables.getFileStatus(new org.apache.hadoop.fs.Path(segmentsDir + "/_SUCCESS")).getLen())
            .isGreaterThan(0);
      } finally {
        spark.stop();
      }
    }
  }
}
