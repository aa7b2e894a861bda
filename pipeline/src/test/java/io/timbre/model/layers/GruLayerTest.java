package io.timbre.model.layers;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** The hand-written GRU: one step against the equations in plain doubles, BPTT against finite differences. */
class GruLayerTest {
  private static MultiLayerNetwork net(int in, int units, int out, int layers, DataType type, long seed,
      org.nd4j.linalg.learning.config.IUpdater updater) {
    NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(seed).dataType(type)
        .weightInit(WeightInit.XAVIER).updater(updater).list();
    for (int i = 0; i < layers; i++) {
      b.layer(new Gru.Builder().nOut(units).biasInit(0.1 * (i + 1)).build());
    }
    b.layer(new RnnOutputLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).nOut(out).build());
    MultiLayerConfiguration conf = b.setInputType(InputType.recurrent(in)).build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  private static double sigmoid(double v) {
    return 1 / (1 + Math.exp(-v));
  }

  @Test
  void twoStepsEqualTheEquationsComputedByHand() {
    int in = 3;
    int units = 4;
    MultiLayerNetwork net = net(in, units, 2, 1, DataType.DOUBLE, 5, new NoOp());
    Nd4j.getRandom().setSeed(11);
    INDArray x = Nd4j.randn(DataType.DOUBLE, 1, in, 2);
    INDArray out = net.getLayer(0).activate(x, false,
        org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
    double[][] w = net.getLayer(0).getParam(GruParams.WEIGHT_KEY).toDoubleMatrix();
    double[][] u = net.getLayer(0).getParam(GruParams.RECURRENT_WEIGHT_KEY).toDoubleMatrix();
    double[] bias = net.getLayer(0).getParam(GruParams.BIAS_KEY).toDoubleVector();
    double[] h = new double[units];
    for (int t = 0; t < 2; t++) {
      double[] next = new double[units];
      double[] r = new double[units];
      double[] z = new double[units];
      for (int j = 0; j < units; j++) {
        double ar = bias[j];
        double az = bias[units + j];
        for (int i = 0; i < in; i++) {
          ar += x.getDouble(0, i, t) * w[i][j];
          az += x.getDouble(0, i, t) * w[i][units + j];
        }
        for (int k = 0; k < units; k++) {
          ar += h[k] * u[k][j];
          az += h[k] * u[k][units + j];
        }
        r[j] = sigmoid(ar);
        z[j] = sigmoid(az);
      }
      for (int j = 0; j < units; j++) {
        double an = bias[2 * units + j];
        for (int i = 0; i < in; i++) {
          an += x.getDouble(0, i, t) * w[i][2 * units + j];
        }
        for (int k = 0; k < units; k++) {
          an += r[k] * h[k] * u[k][2 * units + j];
        }
        double n = Math.tanh(an);
        next[j] = (1 - z[j]) * n + z[j] * h[j];
      }
      h = next;
      for (int j = 0; j < units; j++) {
        assertThat(out.getDouble(0, j, t)).as("h[%s] at step %s", j, t)
            .isCloseTo(h[j], org.assertj.core.data.Offset.offset(1e-12));
      }
    }
  }

  @Test
  void gradientsMatchFiniteDifferencesWithAMask() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      MultiLayerNetwork net = net(3, 4, 2, 2, DataType.DOUBLE, 42, new NoOp());
      Nd4j.getRandom().setSeed(7);
      INDArray x = Nd4j.randn(DataType.DOUBLE, 2, 3, 5);
      INDArray y = Nd4j.randn(DataType.DOUBLE, 2, 2, 5);
      INDArray mask = Nd4j.create(new double[][] {{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}});
      boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
          .inputMask(mask).labelMask(mask).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
          .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false));
      assertThat(ok).as("GRU gradient check").isTrue();
    } finally {
      Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }
  }

  @Test
  void stepByStepEqualsTheWholeSequenceAndTheJsonRoundTrips() throws Exception {
    MultiLayerNetwork net = net(3, 5, 3, 2, DataType.FLOAT, 3, new Adam(1e-2));
    Nd4j.getRandom().setSeed(2);
    INDArray x = Nd4j.randn(DataType.FLOAT, 1, 3, 6);
    INDArray whole = net.output(x);
    net.rnnClearPreviousState();
    for (int t = 0; t < 6; t++) {
      INDArray step = net.rnnTimeStep(x.get(NDArrayIndex.all(), NDArrayIndex.all(),
          NDArrayIndex.interval(t, t + 1)));
      for (int c = 0; c < 3; c++) {
        assertThat(step.getDouble(0, c, 0)).isCloseTo(whole.getDouble(0, c, t),
            org.assertj.core.data.Offset.offset(1e-5));
      }
    }
    MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson());
    assertThat(back).isEqualTo(net.getLayerWiseConfigurations());
    assertThat(back.getConf(0).getLayer()).isInstanceOf(Gru.class);
  }

  @Test
  void learnsToPredictTheNextValueOfASine() {
    MultiLayerNetwork net = net(1, 16, 1, 1, DataType.FLOAT, 9, new Adam(1e-2));
    int steps = 40;
    INDArray x = Nd4j.create(DataType.FLOAT, 8, 1, steps);
    INDArray y = Nd4j.create(DataType.FLOAT, 8, 1, steps);
    for (int e = 0; e < 8; e++) {
      for (int t = 0; t < steps; t++) {
        x.putScalar(e, 0, t, Math.sin(0.3 * t + e));
        y.putScalar(e, 0, t, Math.sin(0.3 * (t + 1) + e));
      }
    }
    double before = net.score(new org.nd4j.linalg.dataset.DataSet(x, y));
    for (int i = 0; i < 300; i++) {
      net.fit(x, y);
    }
    double after = net.score(new org.nd4j.linalg.dataset.DataSet(x, y));
    assertThat(after).as("MSE before %s, after %s", before, after).isLessThan(before / 20);
  }
}
