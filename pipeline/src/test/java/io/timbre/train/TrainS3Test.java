package io.timbre.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.timbre.features.FeatureSpec;
import io.timbre.ingest.IngestJob;
import io.timbre.ingest.IngestOptions;
import io.timbre.ingest.IngestSummary;
import io.timbre.sampledata.IrmasGenerator;
import io.timbre.spark.Sessions;
import io.timbre.store.AtomicFiles;
import io.timbre.store.EmbeddedS3Server;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training against a real S3-API server on 127.0.0.1: the table is read from {@code s3a://}, checkpoints, curves and
 * the model are written to {@code s3a://}, and a run is resumed from its S3 checkpoints.
 */
class TrainS3Test {
  @Test
  void trainsFromAndToS3a(@TempDir Path tmp) throws Exception {
    new IrmasGenerator(1.0, 1.0).generate(tmp.resolve("irmas"), 4, 2);
    try (EmbeddedS3Server s3 = EmbeddedS3Server.start("datasets", "tables", "runs", "metrics")) {
      Configuration conf = s3.hadoopConfiguration();
      FileSystem.get(URI.create("s3a://datasets/"), conf).copyFromLocalFile(false, true,
          new org.apache.hadoop.fs.Path(tmp.resolve("irmas").toUri()),
          new org.apache.hadoop.fs.Path("s3a://datasets/irmas"));
      Map<String, String> sparkConf = new HashMap<>();
      s3.hadoopSettings().forEach((k, v) -> sparkConf.put("spark.hadoop." + k, v));
      SparkSession spark = Sessions.create("train-s3-test", "local[2]", sparkConf);
      try {
        FeatureSpec spec = FeatureSpec.builder().nMels(40).segmentSeconds(0.5).build();
        IngestSummary s = IngestJob.run(spark, new IngestOptions("irmas", "s3a://datasets/irmas", "s3a://tables/",
            spec, false, 0.3, 0.0, 1, 0, 10, s3.hadoopSettings()));
        Experiment ex = Experiment.parse(ConfigFactory.parseString("""
            name = s3-cnn
            model { architecture = cnn, conv_channels = [8], dense_units = 16 }
            train { epochs = 3, batch_size_per_worker = 8, averaging_frequency = 2, workers = 2 }
            """), "test");

        // Two epochs, then "crash" (model.json removed as if the driver died before writing it), then resume.
        Trainer.run(spark, new TrainRequest(s.table(), ex.with(Map.of("train.epochs", 2), ""), "s3a://runs/",
            "r1", false));
        FileSystem runs = FileSystem.get(URI.create("s3a://runs/"), conf);
        org.apache.hadoop.fs.Path run = new org.apache.hadoop.fs.Path("s3a://runs/s3-cnn/r1");
        assertThat(runs.exists(new org.apache.hadoop.fs.Path(run, "model.zip"))).isTrue();
        assertThat(runs.exists(new org.apache.hadoop.fs.Path(run, "curves.json"))).isTrue();
        Checkpoints ckpts = new Checkpoints(run, conf);
        assertThat(ckpts.list()).extracting(org.apache.hadoop.fs.Path::getName)
            .containsExactly("epoch-000001.ckpt", "epoch-000002.ckpt");
        assertThat(ckpts.latestValid()).get().extracting(Checkpoints.Loaded::epoch).isEqualTo(2);
        runs.delete(new org.apache.hadoop.fs.Path(run, "model.json"), false);

        // The fingerprint check needs the same settings: resume with epochs = 2 → 3 is a changed experiment, so
        // resume the 3-epoch experiment from a fresh 3-epoch run stopped after its checkpoints instead.
        RunResult full = Trainer.run(spark, new TrainRequest(s.table(), ex, "s3a://runs/", "r2", false));
        assertThat(full.epochsRun()).isEqualTo(3);
        runs.delete(new org.apache.hadoop.fs.Path("s3a://runs/s3-cnn/r2/model.json"), false);
        runs.delete(new org.apache.hadoop.fs.Path("s3a://runs/s3-cnn/r2/checkpoints/epoch-000003.ckpt"), false);
        RunResult resumed = Trainer.run(spark, new TrainRequest(s.table(), ex, "s3a://runs/", "r2", true));
        assertThat(resumed.epochsRun()).isEqualTo(3);

        JsonNode model = new ObjectMapper().readTree(AtomicFiles.read(
            new org.apache.hadoop.fs.Path("s3a://runs/s3-cnn/r2/model.json"), conf));
        assertThat(model.path("table").path("location").asText()).isEqualTo(s.table());
        assertThat(model.path("resumed_at_epochs").get(0).asInt()).isEqualTo(2);
        assertThat(model.path("label_vocabulary")).hasSize(11);
        // Evaluate the resumed run on S3 as well: metrics, per-class, predictions and report land in s3a://metrics.
        io.timbre.eval.Evaluator.Result ev = io.timbre.eval.Evaluator.run(spark, new io.timbre.eval.Evaluator.Request(
            "s3a://runs/s3-cnn/r2", s.table(), "validation", "s3a://metrics/", Double.NaN, 3));
        assertThat(ev.dir()).isEqualTo("s3a://metrics/s3-cnn/r2");
        FileSystem metrics = FileSystem.get(URI.create("s3a://metrics/"), conf);
        for (String f : new String[] {"metrics.json", "report.html", "predictions.parquet/_SUCCESS",
            "per_class.parquet/_SUCCESS"}) {
          assertThat(metrics.exists(new org.apache.hadoop.fs.Path(ev.dir() + "/" + f))).as(f).isTrue();
        }
        assertThat(new String(AtomicFiles.read(new org.apache.hadoop.fs.Path(ev.dir() + "/report.html"), conf),
            java.nio.charset.StandardCharsets.UTF_8)).contains("<svg", "s3-cnn");
        byte[] zip = AtomicFiles.read(new org.apache.hadoop.fs.Path("s3a://runs/s3-cnn/r2/model.zip"), conf);
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(zip));
        assertThat(net.numParams()).isEqualTo(model.path("parameters").asLong());
      } finally {
        spark.stop();
      }
    }
  }
}
