package io.timbre.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Proves the pinned stack works together on Java 17 with the build's JVM flags: Spark local mode writes and reads a
 * Parquet {@code array<float>} column, ND4J's native CPU backend loads, and DL4J trains by Spark parameter averaging
 * (Kryo with ND4J's registrator). Each of these broke at some point without the pins in the POM (see STACK notes).
 */
class StackSmokeTest {
  private static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = SparkSession.builder().master("local[2]").appName("stack-smoke")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .config("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator")
        .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void parquetArrayOfFloatRoundTrips(@TempDir Path tmp) {
    StructType schema = new StructType().add("id", DataTypes.StringType)
        .add("features", DataTypes.createArrayType(DataTypes.FloatType, false));
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      List<Float> f = new ArrayList<>();
      for (int k = 0; k < 64; k++) {
        f.add(i + k / 64f);
      }
      rows.add(RowFactory.create("clip-" + i, f));
    }
    String path = tmp.resolve("t").toUri().toString();
    spark.createDataFrame(rows, schema).write().parquet(path);
    Dataset<Row> back = spark.read().parquet(path);
    assertThat(back.count()).isEqualTo(100);
    Row r = back.where("id = 'clip-7'").first();
    assertThat(r.<Float>getList(1)).hasSize(64).startsWith(7f, 7f + 1 / 64f);
  }

  @Test
  void nd4jNativeBackendLoadsAndDl4jTrainsByParameterAveraging() {
    assertThat(Nd4j.getBackend().getClass().getSimpleName()).isEqualTo("CpuBackend");
    INDArray a = Nd4j.create(new float[] {1, 2, 3, 4}, new long[] {2, 2});
    assertThat(a.mmul(a).getFloat(0, 0)).isEqualTo(7f);

    // Two separable Gaussian blobs; a tiny MLP must learn them across two Spark workers.
    java.util.Random rnd = new java.util.Random(1);
    List<DataSet> data = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      int label = i % 2;
      INDArray x = Nd4j.create(new float[] {(float) (rnd.nextGaussian() * 0.5 + (label == 0 ? -2 : 2)),
          (float) (rnd.nextGaussian() * 0.5)}, new long[] {1, 2});
      INDArray y = Nd4j.zeros(1, 2).putScalar(0, label, 1f);
      data.add(new DataSet(x, y));
    }
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).updater(new Adam(0.05)).list()
        .layer(new DenseLayer.Builder().nIn(2).nOut(8).activation(Activation.RELU).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(2)
            .activation(Activation.SOFTMAX).build())
        .build();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaRDD<DataSet> rdd = sc.parallelize(data, 2);
    ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(1)
        .batchSizePerWorker(16).averagingFrequency(3).workerPrefetchNumBatches(0)
        .rddTrainingApproach(org.deeplearning4j.spark.api.RDDTrainingApproach.Direct).build();
    SparkDl4jMultiLayer net = new SparkDl4jMultiLayer(sc, new MultiLayerNetwork(conf), tm);
    for (int epoch = 0; epoch < 3; epoch++) {
      net.fit(rdd);
    }
    double accuracy = net.evaluate(rdd).accuracy();
    assertThat(accuracy).isGreaterThan(0.95);
    tm.deleteTempFiles(sc);
  }
}
