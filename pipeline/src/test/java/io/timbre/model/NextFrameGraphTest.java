package io.timbre.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NextFrameGraphTest {
  static final int WIDTH = 12;
  static final int FRAMES = 50;

  static ModelSpec spec(String hocon) {
    return ModelSpec.parse(ConfigFactory.parseString("model { architecture = frame_lstm, task = generation, "
        + "recurrent_units = 8, " + hocon + " }"), "test.conf");
  }

  static ComputationGraph graph(ModelSpec s) {
    return (ComputationGraph) NetworkFactory.createModel(s, FRAMES, WIDTH, WIDTH, 7);
  }

  @Test
  void inputNoiseIsAddedWhileTrainingOnlyWithTheGivenDeviation() {
    ComputationGraph noisy = graph(spec("input_noise = 0.3"));
    ComputationGraph plain = graph(spec("input_noise = 0"));
    assertThat(noisy.getVertex(NextFrameGraph.NOISY_INPUT)).isNotNull();
    assertThat(plain.getVertex(NextFrameGraph.NOISY_INPUT)).isNull();
    assertThat(noisy.params()).isEqualTo(plain.params());

    Nd4j.getRandom().setSeed(11);
    INDArray x = Nd4j.randn(DataType.FLOAT, 64, WIDTH, FRAMES);
    // Inference sees the frames as they are: the same output as the network without the noise layer.
    assertThat(noisy.outputSingle(x).equalsWithEps(plain.outputSingle(x), 1e-6)).isTrue();
    // Training sees them with N(0, 0.3²) added.
    Map<String, INDArray> acts = noisy.feedForward(new INDArray[] {x}, true, false);
    INDArray added = acts.get(NextFrameGraph.NOISY_INPUT).sub(x);
    double mean = added.meanNumber().doubleValue();
    double std = added.stdNumber().doubleValue();
    assertThat(mean).isCloseTo(0, org.assertj.core.data.Offset.offset(0.01));
    assertThat(std).isCloseTo(0.3, org.assertj.core.data.Offset.offset(0.01));
  }

  @Test
  void theNoiseLayerSurvivesSavingAndRestoring(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws java.io.IOException {
    ComputationGraph noisy = graph(spec("input_noise = 0.25"));
    java.io.File f = dir.resolve("model.zip").toFile();
    org.deeplearning4j.util.ModelSerializer.writeModel(noisy, f, true);
    ComputationGraph back = org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(f);
    assertThat(back.getConfiguration().toJson()).isEqualTo(noisy.getConfiguration().toJson());
    assertThat(back.getLayer(NextFrameGraph.NOISY_INPUT)).isInstanceOf(io.timbre.model.layers.InputNoiseLayer.class);
    INDArray x = Nd4j.randn(DataType.FLOAT, 2, WIDTH, FRAMES);
    assertThat(back.outputSingle(x)).isEqualTo(noisy.outputSingle(x));
  }

  @Test
  void inputNoiseIsAFrameLstmSettingWrittenOnlyWhenSet() {
    assertThat(spec("input_noise = 0.2").toMap()).containsEntry("input_noise", 0.2);
    assertThat(spec("").toMap()).doesNotContainKey("input_noise");
    assertThatThrownBy(() -> spec("input_noise = -0.1")).hasMessageContaining("model.input_noise");
    assertThatThrownBy(() -> ModelSpec.parse(ConfigFactory.parseString(
        "model { architecture = lstm, task = onset, input_noise = 0.1 }"), "test.conf"))
        .hasMessageContaining("input_noise").hasMessageContaining("test.conf");
  }
}
