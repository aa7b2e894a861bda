package io.timbre.model;

import io.timbre.backend.LayerHelpers;
import io.timbre.model.drnn.DrnnGraph;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

/**
 * Builds the DL4J network a {@link ModelSpec} describes for a given input shape. The same spec, shape and seed give
 * the same configuration and initial parameters, which is what makes runs reproducible and resumable.
 *
 * <ul>
 *   <li>{@code cnn}: blocks of 3×3 ("same") convolution → batch norm → activation → max-pool, then global pooling,
 *       a dropout-regularised dense layer and the head (Han et al. 2017). Input: [batch, 1, frames, mel bands].</li>
 *   <li>{@code lstm}/{@code bilstm}: stacked LSTMs with forget-gate bias 1 (Jozefowicz et al. 2015); dropout only on
 *       the non-recurrent connections between layers and into the head (Zaremba et al. 2014 — DL4J's layer dropout
 *       acts on a layer's input activations, never on the recurrent state). Input: [batch, bands, steps].</li>
 *   <li>{@code crnn}: 1-D convolutions over time (bands as input channels) → batch norm → activation, then a
 *       bidirectional LSTM: time resolution is kept, so it also serves frame-level heads.</li>
 *   <li>{@code frame_lstm}: stacked LSTMs (forget-gate bias 1) or GRUs, dropout between layers only, and a linear
 *       output of one frame per step that also sees the current frame, trained with MSE on the next frame (GRUV;
 *       Glover): {@link NextFrameGraph}.</li>
 * </ul>
 */
public final class NetworkFactory {
  private NetworkFactory() {}

  /**
   * @param frames time steps per example (segment frames for cnn, chunk length for recurrent networks)
   * @param bins feature bins per frame
   * @param outputs classes / channels of the head ({@link ModelSpec#outputs})
   */
  public static MultiLayerConfiguration configuration(ModelSpec spec, int frames, int bins, int outputs, long seed) {
    NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
        .seed(seed)
        .weightInit(spec.resolvedWeightInit().equals("he") ? WeightInit.RELU : WeightInit.XAVIER)
        .updater(updater(spec))
        .l2(spec.l2())
        .list();
    switch (spec.architecture()) {
      case CNN -> cnn(b, spec, frames, bins);
      case LSTM, BILSTM -> recurrent(b, spec, spec.architecture() == Architecture.BILSTM);
      case CRNN -> {
        conv1d(b, spec, frames);
        recurrent(b, spec, true);
      }
      case DRNN, FRAME_LSTM -> throw new IllegalArgumentException(spec.architecture().key() + " is a "
          + "ComputationGraph: build it with createModel");
      default -> throw new IllegalStateException(spec.architecture().toString());
    }
    head(b, spec, outputs);
    b.setInputType(spec.architecture().recurrent() ? InputType.recurrent(bins, frames)
        : InputType.convolutional(frames, bins, 1));
    return b.build();
  }

  /**
   * A fresh, initialised network of any architecture: a {@link MultiLayerNetwork}, or for {@code drnn} a
   * {@link org.deeplearning4j.nn.graph.ComputationGraph} ({@link DrnnGraph}) whose input is the features and the
   * mixture magnitude side by side ({@code 2 × bins}) and whose {@code outputs} are sources × bins; for {@code
   * frame_lstm} the {@link NextFrameGraph}.
   */
  public static Model createModel(ModelSpec spec, int frames, int bins, int outputs, long seed) {
    if (spec.architecture() == Architecture.FRAME_LSTM) {
      LayerHelpers.configure();
      return NextFrameGraph.create(NextFrameGraph.configuration(bins, frames, spec.cell(), spec.recurrentUnits(),
          spec.recurrentLayers(), spec.dropout(), spec.inputNoise(), updater(spec), spec.l2(), seed));
    }
    if (spec.architecture() != Architecture.DRNN) {
      return create(spec, frames, bins, outputs, seed);
    }
    LayerHelpers.configure();
    return DrnnGraph.create(DrnnGraph.configuration(new DrnnGraph.Shape(bins, outputs / bins, frames), spec.cell(),
        spec.recurrentUnits(), spec.recurrentLayers(), spec.dropout(), spec.discriminativeGamma(), updater(spec),
        spec.l2(), seed));
  }

  /** A fresh, initialised network. */
  public static MultiLayerNetwork create(ModelSpec spec, int frames, int bins, int outputs, long seed) {
    LayerHelpers.configure();
    MultiLayerNetwork net = new MultiLayerNetwork(configuration(spec, frames, bins, outputs, seed));
    net.init();
    return net;
  }

  static IUpdater updater(ModelSpec spec) {
    ISchedule lr = switch (spec.lrSchedule()) {
      case "step" -> new StepSchedule(ScheduleType.EPOCH, spec.learningRate(), spec.lrDecay(), spec.lrStepEpochs());
      case "exponential" -> new ExponentialSchedule(ScheduleType.EPOCH, spec.learningRate(), spec.lrDecay());
      default -> new MapSchedule(ScheduleType.EPOCH, java.util.Map.of(0, spec.learningRate()));
    };
    return spec.updater().equals("nesterov") ? new Nesterovs(lr, spec.momentum()) : new Adam(lr);
  }

  private static void cnn(NeuralNetConfiguration.ListBuilder b, ModelSpec spec, int frames, int bins) {
    long h = frames;
    long w = bins;
    for (int channels : spec.convChannels()) {
      for (int k = 0; k < spec.convsPerBlock(); k++) {
        b.layer(new ConvolutionLayer.Builder(spec.convKernel(), spec.convKernel()).nOut(channels)
            .convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build());
        if (spec.batchNorm()) {
          b.layer(new BatchNormalization.Builder().build());
        }
        b.layer(activation(spec, new long[] {channels, h, w}));
      }
      h = (h + spec.pool() - 1) / spec.pool();
      w = (w + spec.pool() - 1) / spec.pool();
      if (spec.pool() > 1) {
        b.layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(spec.pool(), spec.pool())
            .stride(spec.pool(), spec.pool()).convolutionMode(ConvolutionMode.Same).build());
      }
      if (spec.blockDropout() > 0) {
        b.layer(new DropoutLayer.Builder(1 - spec.blockDropout()).build());
      }
    }
    b.layer(new GlobalPoolingLayer.Builder(pooling(spec)).build());
  }

  /**
   * No batch norm here whatever {@code batch_norm} says: DL4J 1.0.0-M2.1's BatchNormalization mis-reads the 3-D
   * activations of Convolution1DLayer (it fails with "input.size(1) does not match", see NetworkFactoryTest).
   */
  private static void conv1d(NeuralNetConfiguration.ListBuilder b, ModelSpec spec, int frames) {
    for (int channels : spec.convChannels()) {
      b.layer(new Convolution1DLayer.Builder(spec.convKernel()).nOut(channels)
          .convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build());
      b.layer(activation(spec, new long[] {channels, frames}));
    }
  }

  private static void recurrent(NeuralNetConfiguration.ListBuilder b, ModelSpec spec, boolean bidirectional) {
    for (int i = 0; i < spec.recurrentLayers(); i++) {
      boolean afterRecurrent = i > 0;
      double retain = afterRecurrent && spec.dropout() > 0 ? 1 - spec.dropout() : 0;
      LSTM.Builder lstm = new LSTM.Builder().nOut(spec.recurrentUnits()).activation(Activation.TANH)
          .forgetGateBiasInit(1.0);
      if (retain > 0) {
        lstm.dropOut(retain);
      }
      LSTM layer = lstm.build();
      b.layer(bidirectional ? new Bidirectional(Bidirectional.Mode.CONCAT, layer) : layer);
    }
    if (!spec.task().frameLevel()) {
      b.layer(new GlobalPoolingLayer.Builder(pooling(spec)).build());
    }
  }

  private static void head(NeuralNetConfiguration.ListBuilder b, ModelSpec spec, int outputs) {
    double retain = 1 - spec.dropout();
    if (!spec.task().frameLevel() && spec.denseUnits() > 0) {
      DenseLayer.Builder dense = new DenseLayer.Builder().nOut(spec.denseUnits())
          .activation(spec.activation().equals("prelu") ? Activation.IDENTITY : activationFn(spec));
      if (spec.dropout() > 0) {
        dense.dropOut(retain);
      }
      b.layer(dense.build());
      if (spec.activation().equals("prelu")) {
        b.layer(new PReLULayer.Builder().inputShape(spec.denseUnits()).build());
      }
    }
    Layer out = switch (spec.task()) {
      case SINGLE_LABEL -> withDropout(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX)
          .nOut(outputs), spec).build();
      case MULTI_LABEL -> withDropout(new OutputLayer.Builder(LossFunction.XENT).activation(Activation.SIGMOID)
          .nOut(outputs), spec).build();
      case ONSET -> withDropout(new RnnOutputLayer.Builder(LossFunction.XENT).activation(Activation.SIGMOID)
          .nOut(outputs), spec).build();
      case MELODY -> withDropout(new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX)
          .nOut(outputs), spec).build();
      case SEPARATION, GENERATION -> throw new IllegalArgumentException(spec.task().key() + " networks are graphs: "
          + "see createModel");
    };
    b.layer(out);
  }

  private static <T extends org.deeplearning4j.nn.conf.layers.BaseLayer.Builder<T>> T withDropout(T builder,
      ModelSpec spec) {
    if (spec.dropout() > 0) {
      builder.dropOut(1 - spec.dropout());
    }
    return builder;
  }

  /**
   * @param shape the activations' shape without the batch axis; DL4J's PReLULayer needs it explicitly (it does not
   *     take it from the input type and fails at init with a NullPointerException otherwise)
   */
  private static Layer activation(ModelSpec spec, long[] shape) {
    if (spec.activation().equals("prelu")) {
      // One slope per channel, shared over time and frequency.
      return shape.length == 3 ? new PReLULayer.Builder().inputShape(shape).sharedAxes(2, 3).build()
          : new PReLULayer.Builder().inputShape(shape).sharedAxes(2).build();
    }
    return new ActivationLayer.Builder().activation(activationFn(spec)).build();
  }

  private static Activation activationFn(ModelSpec spec) {
    return switch (spec.activation()) {
      case "elu" -> Activation.ELU;
      case "leakyrelu" -> Activation.LEAKYRELU;
      case "tanh" -> Activation.TANH;
      default -> Activation.RELU;
    };
  }

  private static PoolingType pooling(ModelSpec spec) {
    return spec.globalPooling().equals("max") ? PoolingType.MAX : PoolingType.AVG;
  }

  /** The layer names of a configuration, for logs and provenance. */
  public static List<String> describe(MultiLayerConfiguration conf) {
    return conf.getConfs().stream().map(c -> c.getLayer().getClass().getSimpleName()).toList();
  }
}
