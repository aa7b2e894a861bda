package io.timbre.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Makes dropout reproducible under Spark. A DL4J worker draws dropout masks from ND4J's thread-local RNG, and which
 * executor thread runs which worker task — so which RNG state a minibatch sees — varies from run to run. Before each
 * minibatch this hook reseeds the thread's RNG from the run seed, the epoch, the worker's iteration count and a hash
 * of the minibatch's first values: the same minibatch at the same step gets the same masks whatever thread runs it,
 * and different minibatches get different ones.
 */
final class SeededStepHook implements TrainingHook {
  private static final long serialVersionUID = 1L;
  private final long seed;

  SeededStepHook(long seed, int epoch) {
    this.seed = seed * 0x9E3779B97F4A7C15L + epoch;
  }

  @Override
  public void preUpdate(DataSet minibatch, Model model) {
    seed(minibatch.getFeatures(), minibatch.numExamples(), model);
  }

  /** Graphs (the DRNN) are fitted on MultiDataSets: the same seeding from their first input. */
  @Override
  public void preUpdate(MultiDataSet minibatch, Model model) {
    seed(minibatch.getFeatures(0), (int) minibatch.getFeatures(0).size(0), model);
  }

  private void seed(INDArray f, int examples, Model model) {
    long h = seed ^ (io.timbre.model.Networks.iterationCount(model) * 0xC2B2AE3D27D4EB4FL);
    long n = Math.min(32, f.length());
    for (long i = 0; i < n; i++) {
      h = h * 31 + Float.floatToIntBits(f.getFloat(i * (f.length() / n)));
    }
    h += examples;
    Nd4j.getRandom().setSeed(h);
  }

  @Override
  public void postUpdate(DataSet minibatch, Model model) {}

  @Override
  public void postUpdate(MultiDataSet minibatch, Model model) {}
}
