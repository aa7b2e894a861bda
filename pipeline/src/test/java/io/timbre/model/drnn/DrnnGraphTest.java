package io.timbre.model.drnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/** The DRNN's joint mask and discriminative loss: gradients, the mask's invariant, serialisation. */
class DrnnGraphTest {
  private static INDArray input(int batch, int bins, int frames, long seed) {
    Nd4j.getRandom().setSeed(seed);
    INDArray features = Nd4j.randn(DataType.DOUBLE, batch, bins, frames);
    INDArray mixture = Nd4j.rand(DataType.DOUBLE, batch, bins, frames).addi(0.1);
    return Nd4j.concat(1, features, mixture);
  }

  @ParameterizedTest
  @CsvSource({"lstm, 2, 0.0", "bilstm, 3, 0.05", "rnn, 2, 0.1"})
  void gradientsMatchFiniteDifferences(String cell, int sources, double gamma) {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      int bins = 3;
      int frames = 4;
      ComputationGraphConfiguration conf = DrnnGraph.configuration(new DrnnGraph.Shape(bins, sources, frames), cell,
          4, 2, 0.0, gamma, new NoOp(), 0.0, 42);
      conf.setDataType(DataType.DOUBLE);
      ComputationGraph net = DrnnGraph.create(conf);
      INDArray in = input(2, bins, frames, 7);
      INDArray labels = Nd4j.rand(DataType.DOUBLE, 2, (long) sources * bins, frames);
      boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
          .inputs(new INDArray[] {in}).labels(new INDArray[] {labels}).epsilon(1e-6).maxRelError(1e-3)
          .minAbsoluteError(1e-8).print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false));
      assertThat(ok).as("gradient check %s, %s sources, gamma %s", cell, sources, gamma).isTrue();
    } finally {
      Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }
  }

  @Test
  void estimatesAreNonNegativeAndSumToTheMixture() {
    int bins = 5;
    int sources = 3;
    ComputationGraph net = DrnnGraph.create(DrnnGraph.configuration(new DrnnGraph.Shape(bins, sources, 6), "lstm",
        8, 1, 0.0, 0.0, new Adam(1e-3), 0.0, 1));
    INDArray in = input(3, bins, 6, 3).castTo(DataType.FLOAT);
    INDArray y = net.outputSingle(in);
    assertThat(y.shape()).containsExactly(3, sources * bins, 6);
    assertThat(y.minNumber().doubleValue()).isGreaterThanOrEqualTo(0);
    INDArray sum = y.reshape('c', 3, sources, bins, 6).sum(1);
    INDArray mixture = in.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
        org.nd4j.linalg.indexing.NDArrayIndex.interval(bins, 2 * bins), org.nd4j.linalg.indexing.NDArrayIndex.all());
    assertThat(sum.sub(mixture).amaxNumber().doubleValue()).isLessThan(1e-5);
  }

  @Test
  void withoutTheDiscriminativeTermTheLossIsDl4jsMse() {
    INDArray labels = Nd4j.rand(DataType.DOUBLE, 6, 8);
    INDArray pre = Nd4j.rand(DataType.DOUBLE, 6, 8);
    INDArray mask = Nd4j.create(new double[] {1, 1, 0, 1, 1, 1}, 6, 1);
    DiscriminativeMse mine = new DiscriminativeMse(2, 0.0);
    LossMSE dl4j = new LossMSE();
    var fn = Activation.IDENTITY.getActivationFunction();
    assertThat(mine.computeScore(labels, pre, fn, mask, true))
        .isCloseTo(dl4j.computeScore(labels, pre, fn, mask, true), org.assertj.core.data.Offset.offset(1e-12));
    assertThat(mine.computeGradient(labels, pre, fn, mask).sub(dl4j.computeGradient(labels, pre, fn, mask))
        .amaxNumber().doubleValue()).isLessThan(1e-12);
    assertThatThrownBy(() -> new DiscriminativeMse(3, 0.5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gamma");
  }

  @Test
  void configurationAndModelSurviveJsonAndModelSerializer() throws IOException {
    ComputationGraphConfiguration conf = DrnnGraph.configuration(new DrnnGraph.Shape(4, 2, 5), "bilstm", 3, 2, 0.2,
        0.05, new Adam(1e-3), 1e-5, 9);
    assertThat(ComputationGraphConfiguration.fromJson(conf.toJson())).isEqualTo(conf);
    ComputationGraph net = DrnnGraph.create(conf);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ModelSerializer.writeModel(net, bytes, true);
    ComputationGraph back = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()),
        true);
    INDArray in = input(2, 4, 5, 1).castTo(DataType.FLOAT);
    assertThat(back.outputSingle(in)).isEqualTo(net.outputSingle(in));
  }
}
