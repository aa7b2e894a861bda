package io.timbre.model.layers;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A gated recurrent unit layer (Cho et al. 2014), which DL4J 1.0.0-M2.1 lacks: the configuration, serialised in the
 * network's JSON like DL4J's own layers. Its parameters are {@link GruParams}'s and its computation {@link GruLayer}'s.
 * Input and output are [batch, features, time] (DL4J's NCW).
 */
public class Gru extends BaseRecurrentLayer {
  private static final long serialVersionUID = 1L;

  protected Gru(Builder builder) {
    super(builder);
  }

  /** For JSON deserialisation. */
  public Gru() {}

  @Override
  public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index,
      INDArray paramsView, boolean initializeParams, DataType dataType) {
    LayerValidation.assertNInNOutSet("Gru", getLayerName(), index, getNIn(), getNOut());
    return LayerWiring.wire(new GruLayer(conf, dataType), conf, initializer(), listeners, index, paramsView,
        initializeParams);
  }

  @Override
  public ParamInitializer initializer() {
    return GruParams.INSTANCE;
  }

  @Override
  public LayerMemoryReport getMemoryReport(InputType inputType) {
    InputType.InputTypeRecurrent in = (InputType.InputTypeRecurrent) inputType;
    long steps = Math.max(1, in.getTimeSeriesLength());
    long params = initializer().numParams(this);
    // Per example: the output, and for training the r, z, n and previous-state activations of every step.
    return new LayerMemoryReport.Builder(getLayerName(), Gru.class, inputType, getOutputType(-1, inputType))
        .standardMemory(params, params)
        .workingMemory(0, 3 * getNOut(), 0, 4 * getNOut() * steps)
        .cacheMemory(0, 0)
        .build();
  }

  /** Builds a {@link Gru}: {@code nOut} units; dropout, weight init and regularisation as for DL4J's layers. */
  public static class Builder extends BaseRecurrentLayer.Builder<Builder> {
    @Override
    @SuppressWarnings("unchecked")
    public Gru build() {
      return new Gru(this);
    }
  }
}
