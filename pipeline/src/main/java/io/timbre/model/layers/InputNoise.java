package io.timbre.model.layers;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.GaussianNoise;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Additive Gaussian noise on a layer's input while training, identity at inference: DL4J's {@link DropoutLayer} with
 * {@link GaussianNoise}, for sequences. DL4J 1.0.0-M2.1's own {@code DropoutLayer} cannot take masked sequences: it
 * multiplies its [batch, features, time] activations by the [batch, time] mask as a column vector and fails on the
 * shapes ({@code Mismatched shapes}), and it may add the noise in place to its input, which the next-frame network
 * also reads unchanged. {@link InputNoiseLayer} leaves the mask to the layers after it and always writes a new array.
 */
public class InputNoise extends DropoutLayer {
  private static final long serialVersionUID = 1L;

  /** For JSON deserialisation. */
  public InputNoise() {}

  /** @param stddev standard deviation of the noise added to every value while training */
  public InputNoise(double stddev) {
    super(new GaussianNoise(stddev));
  }

  @Override
  public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index,
      INDArray paramsView, boolean initializeParams, DataType dataType) {
    return LayerWiring.wire(new InputNoiseLayer(conf, dataType), conf, initializer(), listeners, index, paramsView,
        initializeParams);
  }
}
