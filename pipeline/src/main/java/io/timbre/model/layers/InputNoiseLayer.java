package io.timbre.model.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.layers.DropoutLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The computation of {@link InputNoise}: input + noise while training (into a new array), the input otherwise. */
public class InputNoiseLayer extends DropoutLayer {
  public InputNoiseLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(false);
    IDropout noise = layerConf().getIDropout();
    if (!training || noise == null) {
      return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, input);
    }
    INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), input.shape(),
        input.ordering());
    return noise.applyDropout(input, out, getIterationCount(), getEpochCount(), workspaceMgr);
  }

  /** Additive noise passes the gradient through unchanged; padded steps are masked by the layers that consume it. */
  @Override
  public Pair<org.deeplearning4j.nn.gradient.Gradient, INDArray> backpropGradient(INDArray epsilon,
      LayerWorkspaceMgr workspaceMgr) {
    INDArray delta = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, epsilon);
    return new Pair<>(new DefaultGradient(), backpropDropOutIfPresent(delta));
  }
}
