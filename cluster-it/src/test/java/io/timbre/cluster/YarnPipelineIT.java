package io.timbre.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline on YARN as on EMR: {@code spark-submit --master yarn --deploy-mode cluster}, the driver in a YARN
 * container, the experiment and the feature spec shipped with {@code --files} and named by their bare names, the
 * table, the runs and the metrics on HDFS. Spark's jars are on the node already ({@code spark.yarn.jars=local:…}, as
 * an EMR node has them); the shaded jar travels through HDFS's staging folder as it does on a cluster.
 */
class YarnPipelineIT {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tmp;
  static SparkHome spark;
  static MiniYarnHdfs hadoop;

  @BeforeAll
  static void startYarn() throws Exception {
    spark = SparkHome.fromBuild();
    hadoop = MiniYarnHdfs.start(tmp.resolve("hadoop"), 12 * 1024);
  }

  @AfterAll
  static void stopYarn() {
    if (hadoop != null) {
      hadoop.close();
    }
  }

  static TimbreSubmit onYarn() {
    return new TimbreSubmit(spark, "yarn", tmp.resolve("events"))
        .env("HADOOP_CONF_DIR", hadoop.confDir().toString())
        .option("--deploy-mode", "cluster")
        .conf("spark.yarn.jars", "local:" + spark.home.resolve("jars") + "/*")
        .conf("spark.executor.instances", "2")
        .conf("spark.driver.memory", "1g")
        .conf("spark.yarn.appMasterEnv.OMP_NUM_THREADS", "1")
        // Every JVM on loopback, whatever the machine's name resolves to.
        .conf("spark.yarn.appMasterEnv.SPARK_LOCAL_IP", "127.0.0.1")
        .conf("spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1");
  }

  @Test
  void ingestsTrainsAndEvaluatesInClusterDeployModeOnHdfs() throws Exception {
    Path logs = tmp.resolve("logs");
    Path data = tmp.resolve("data");
    StandalonePipelineIT.ok(new TimbreSubmit(spark, "local[1]", tmp.resolve("events")).run(logs, "make-sample-data",
        "make-sample-data", "--dataset", "irmas", "--out", data.toString(), "--clips-per-class", "8", "--seed", "4"));
    String spec = spark.repo.resolve("conf/specs/logmel-1s.conf").toString();
    String experiment = spark.repo.resolve("conf/experiments/irmas-cnn.conf").toString();
    String hdfs = hadoop.hdfsUri();

    StandalonePipelineIT.ok(onYarn().option("--files", spec).run(logs, "ingest", "ingest", "--dataset", "irmas",
        "--input", data.toUri().toString(), "--output", hdfs + "/timbre/tables", "--spec", "logmel-1s.conf"));
    // On YARN spark-submit waits for the application and exits non-zero unless it SUCCEEDED.
    StandalonePipelineIT.ok(onYarn().option("--files", spec + "," + experiment)
        .run(logs, "train", "train", "--table", hdfs + "/timbre/tables/irmas", "--spec", "logmel-1s.conf",
            "--model", "irmas-cnn.conf", "--out", hdfs + "/timbre/runs", "--run-id", "yarn", "--epochs", "2"));
    EventLog events = EventLog.newest(tmp.resolve("events"));
    assertThat(events.executorsThatRan("fit")).as("executors that fitted").hasSize(2);

    StandalonePipelineIT.ok(onYarn().option("--files", spec).run(logs, "evaluate", "evaluate", "--run",
        hdfs + "/timbre/runs/irmas-cnn/yarn", "--table", hdfs + "/timbre/tables/irmas", "--spec", "logmel-1s.conf",
        "--split", "validation", "--out", hdfs + "/timbre/metrics"));
    FileSystem fs = hadoop.fileSystem();
    assertThat(fs.exists(new org.apache.hadoop.fs.Path("/timbre/runs/irmas-cnn/yarn/model.json"))).isTrue();
    JsonNode metrics;
    try (InputStream in = fs.open(new org.apache.hadoop.fs.Path("/timbre/metrics/irmas-cnn/yarn/metrics.json"))) {
      metrics = JSON.readTree(in);
    }
    assertThat(metrics.path("split").asText()).isEqualTo("validation");
    assertThat(metrics.path("metrics").path("single_label").path("accuracy").isNumber()).isTrue();
    assertThat(Files.exists(tmp.resolve("events"))).isTrue();
  }
}
