package io.timbre.model;

import static io.timbre.util.Checks.check;

import io.timbre.model.layers.Gru;
import io.timbre.model.layers.InputNoise;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The next-frame network ({@code frame_lstm}) as a DL4J {@link ComputationGraph}:
 *
 * <pre>
 *   frame xₜ (+ Gaussian noise while training, {@link InputNoise})
 *     → recurrent layers (LSTM with forget-gate bias 1, or {@link Gru}; dropout between them only)
 *   [last recurrent output, xₜ as the recurrent layers saw it] → linear output (one frame wide) = the change Δₜ;
 *     the prediction is xₜ + Δₜ
 * </pre>
 *
 * <p>The frame itself reaches the output beside the recurrent state: the linear map of the current frame (a
 * per-value autoregression, which alone predicts a decaying partial's next log magnitude) needs no trip through a
 * bottleneck of bounded units, and the recurrent layers model what it cannot — onsets, vibrato, the context of a
 * note. The residual (Δ, not the frame, is the output; {@link ExampleEncoder} makes the labels next − current) starts
 * an untrained network at the repeat-last-frame predictor.
 */
public final class NextFrameGraph {
  public static final String INPUT = "frame";
  public static final String OUTPUT = "change";
  static final String NOISY_INPUT = "noisy_frame";

  private NextFrameGraph() {}

  /**
   * @param width values per frame
   * @param cell {@code lstm} or {@code gru}
   * @param dropout probability of dropping a unit on the input of every recurrent layer after the first
   * @param inputNoise standard deviation of the Gaussian noise added to the input frames while training (0 = none)
   */
  public static ComputationGraphConfiguration configuration(int width, int frames, String cell, int units,
      int layers, double dropout, double inputNoise, IUpdater updater, double l2, long seed) {
    check(width > 0 && units > 0 && layers > 0, "Cannot build the next-frame network: width %s, units %s, layers %s",
        width, units, layers);
    ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
        .seed(seed).weightInit(WeightInit.XAVIER).updater(updater).l2(l2)
        .graphBuilder()
        .addInputs(INPUT)
        .setInputTypes(InputType.recurrent(width, frames));
    // Training on noisy frames (Bishop 1995: the equivalent of a Tikhonov penalty on the input weights) keeps the
    // network from reading meaning into values that are noise — the phase advance of a bin near silence — and
    // trains it on inputs a little off the data, as its own predictions are once it generates.
    String frame = INPUT;
    if (inputNoise > 0) {
      frame = NOISY_INPUT;
      g.addLayer(NOISY_INPUT, new InputNoise(inputNoise), INPUT);
    }
    String previous = frame;
    for (int i = 0; i < layers; i++) {
      double retain = i > 0 && dropout > 0 ? 1 - dropout : 0;
      org.deeplearning4j.nn.conf.layers.Layer layer = switch (cell) {
        case "lstm" -> {
          LSTM.Builder b = new LSTM.Builder().nOut(units).activation(Activation.TANH).forgetGateBiasInit(1.0);
          if (retain > 0) {
            b.dropOut(retain);
          }
          yield b.build();
        }
        case "gru" -> {
          Gru.Builder b = new Gru.Builder().nOut(units);
          if (retain > 0) {
            b.dropOut(retain);
          }
          yield b.build();
        }
        default -> throw new IllegalArgumentException("Cannot build the next-frame network: unknown cell '" + cell
            + "' (known: lstm, gru)");
      };
      String name = "recurrent" + i;
      g.addLayer(name, layer, previous);
      previous = name;
    }
    return g.addVertex("state_and_frame", new MergeVertex(), previous, frame)
        .addLayer(OUTPUT, new RnnOutputLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).nOut(width)
            .build(), "state_and_frame")
        .setOutputs(OUTPUT)
        .build();
  }

  public static ComputationGraph create(ComputationGraphConfiguration conf) {
    ComputationGraph net = new ComputationGraph(conf);
    net.init();
    return net;
  }
}
