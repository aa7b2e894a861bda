package io.timbre.model.drnn;

import static io.timbre.util.Checks.check;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Huang et al.'s deep recurrent separation network as a DL4J {@link ComputationGraph}. One input of {@code 2 × bins}
 * channels per frame — the network's features (the first {@code bins}: the mixture's normalised log magnitude) and
 * the mixture's magnitude itself (the second {@code bins}), split by two {@link SubsetVertex}es so the graph trains
 * on plain single-input DataSets, through parameter averaging like every other Timbre model — then:
 *
 * <pre>
 *   features → recurrent layers (LSTM, BiLSTM or simple RNN) → dense (sources × bins, linear: one head per source)
 *   [heads, mixture] → {@link JointMaskVertex} → ŷ (sources × bins) → RnnLossLayer({@link DiscriminativeMse})
 * </pre>
 *
 * <p>The output of {@code output()} is the masked magnitude of every source, source-major per frame.
 */
public final class DrnnGraph {
  public static final String INPUT = "input";
  public static final String OUTPUT = "estimates";

  private DrnnGraph() {}

  /** What a DRNN needs beyond the common optimisation settings. */
  public record Shape(int bins, int sources, int frames) {
    public Shape {
      check(bins > 0 && sources >= 2 && frames > 0, "Cannot build DRNN: bins %s, sources %s, frames %s", bins,
          sources, frames);
    }
  }

  /**
   * @param cell {@code lstm}, {@code bilstm} or {@code rnn} (tanh simple RNN)
   * @param dropout probability of dropping a unit between recurrent layers and into the heads
   */
  public static ComputationGraphConfiguration configuration(Shape shape, String cell, int units, int layers,
      double dropout, double gamma, IUpdater updater, double l2, long seed) {
    check(units > 0 && layers > 0, "Cannot build DRNN: units %s, layers %s", units, layers);
    ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
        .seed(seed).weightInit(WeightInit.XAVIER).updater(updater).l2(l2)
        .graphBuilder()
        .addInputs(INPUT)
        .setInputTypes(InputType.recurrent(2L * shape.bins(), shape.frames()))
        .addVertex("features", new SubsetVertex(0, shape.bins() - 1), INPUT)
        .addVertex("mixture", new SubsetVertex(shape.bins(), 2 * shape.bins() - 1), INPUT);
    String previous = "features";
    for (int i = 0; i < layers; i++) {
      String name = "recurrent" + i;
      org.deeplearning4j.nn.conf.layers.Layer layer = switch (cell) {
        case "rnn" -> withDropout(new SimpleRnn.Builder().nOut(units).activation(Activation.TANH), i, dropout)
            .build();
        case "lstm", "bilstm" -> withDropout(new LSTM.Builder().nOut(units).activation(Activation.TANH)
            .forgetGateBiasInit(1.0), i, dropout).build();
        default -> throw new IllegalArgumentException("Cannot build DRNN: unknown cell '" + cell
            + "' (known: lstm, bilstm, rnn)");
      };
      g.addLayer(name, cell.equals("bilstm") ? new Bidirectional(Bidirectional.Mode.CONCAT, layer) : layer, previous);
      previous = name;
    }
    DenseLayer.Builder heads = new DenseLayer.Builder().nOut((long) shape.sources() * shape.bins())
        .activation(Activation.IDENTITY);
    if (dropout > 0) {
      heads.dropOut(1 - dropout);
    }
    g.addLayer("heads", new TimeDistributed(heads.build()), previous)
        .addVertex("mask", new JointMaskVertex(shape.sources()), "heads", "mixture")
        .addLayer(OUTPUT, new RnnLossLayer.Builder().lossFunction(new DiscriminativeMse(shape.sources(), gamma))
            .activation(Activation.IDENTITY).build(), "mask")
        .setOutputs(OUTPUT);
    return g.build();
  }

  private static <T extends org.deeplearning4j.nn.conf.layers.BaseLayer.Builder<T>> T withDropout(T b, int layer,
      double dropout) {
    // Only between recurrent layers (on a layer's input activations), never on the recurrent state.
    if (layer > 0 && dropout > 0) {
      b.dropOut(1 - dropout);
    }
    return b;
  }

  public static ComputationGraph create(ComputationGraphConfiguration conf) {
    ComputationGraph net = new ComputationGraph(conf);
    net.init();
    return net;
  }
}
