package io.timbre.train;

import io.timbre.eval.ModelScorer;
import io.timbre.model.ExampleKey;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * One epoch's dl4j-spark wrapper, whichever the network type: {@link SparkDl4jMultiLayer} for the sequential models,
 * {@link SparkComputationGraph} for the DRNN (single input, single output, so it trains on the same
 * {@code JavaRDD<DataSet>} under the same parameter-averaging master).
 */
interface SparkNetwork {
  static SparkNetwork of(JavaSparkContext sc, Model net, TrainingMaster<?, ?> tm, boolean collectStats) {
    if (net instanceof ComputationGraph g) {
      SparkComputationGraph s = new SparkComputationGraph(sc, g, tm);
      s.setCollectTrainingStats(collectStats);
      return new Graph(s);
    }
    SparkDl4jMultiLayer s = new SparkDl4jMultiLayer(sc, (MultiLayerNetwork) net, tm);
    s.setCollectTrainingStats(collectStats);
    return new Sequential(s);
  }

  void fit(JavaRDD<DataSet> data);

  Model network();

  double score();

  SparkTrainingStats stats();

  double calculateScore(JavaRDD<DataSet> data, boolean average, int batchSize);

  /** Per-example outputs, keyed; masked inference where the network type supports it. */
  JavaPairRDD<ExampleKey, INDArray> predict(JavaPairRDD<ExampleKey, DataSet> examples, boolean masked, int batch);

  record Sequential(SparkDl4jMultiLayer s) implements SparkNetwork {
    @Override
    public void fit(JavaRDD<DataSet> data) {
      s.fit(data);
    }

    @Override
    public Model network() {
      return s.getNetwork();
    }

    @Override
    public double score() {
      return s.getScore();
    }

    @Override
    public SparkTrainingStats stats() {
      return s.getSparkTrainingStats();
    }

    @Override
    public double calculateScore(JavaRDD<DataSet> data, boolean average, int batchSize) {
      return s.calculateScore(data, average, batchSize);
    }

    @Override
    public JavaPairRDD<ExampleKey, INDArray> predict(JavaPairRDD<ExampleKey, DataSet> examples, boolean masked,
        int batch) {
      return ModelScorer.predict(s, examples, masked, batch);
    }
  }

  record Graph(SparkComputationGraph s) implements SparkNetwork {
    @Override
    public void fit(JavaRDD<DataSet> data) {
      s.fit(data);
    }

    @Override
    public Model network() {
      return s.getNetwork();
    }

    @Override
    public double score() {
      return s.getScore();
    }

    @Override
    public SparkTrainingStats stats() {
      return s.getSparkTrainingStats();
    }

    @Override
    public double calculateScore(JavaRDD<DataSet> data, boolean average, int batchSize) {
      return s.calculateScore(data, average, batchSize);
    }

    @Override
    public JavaPairRDD<ExampleKey, INDArray> predict(JavaPairRDD<ExampleKey, DataSet> examples, boolean masked,
        int batch) {
      return ModelScorer.predict(s, examples, batch);
    }
  }
}
