package io.timbre.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NetworkFactoryTest {
  static ModelSpec spec(String hocon) {
    return ModelSpec.parse(ConfigFactory.parseString("model { " + hocon + " }"), "test");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "architecture = cnn, task = single_label                                   | 4 | 0",
      "architecture = cnn, task = multi_label, activation = prelu, global_pooling = max | 4 | 0",
      "architecture = cnn, activation = elu, updater = nesterov, lr_schedule = step, batch_norm = false | 4 | 0",
      "architecture = lstm, task = single_label, recurrent_layers = 2          | 4 | 0",
      "architecture = bilstm, task = multi_label, lr_schedule = exponential    | 4 | 0",
      "architecture = bilstm, task = onset                                     | 3 | 1",
      "architecture = lstm, task = melody, melody_bins = 12                    | 13 | 1",
      "architecture = crnn, task = onset, conv_channels = [8, 8]              | 3 | 1",
      "architecture = crnn, task = single_label, activation = prelu           | 4 | 0",
  })
  void everyArchitectureAndHeadBuildsAndRuns(String hocon, int outputs, int frameLevel) {
    ModelSpec s = spec(hocon);
    int frames = 20;
    int bins = 16;
    MultiLayerNetwork net = NetworkFactory.create(s, frames, bins, outputs, 1);
    INDArray x = s.architecture().recurrent() ? Nd4j.rand(new int[] {2, bins, frames})
        : Nd4j.rand(new int[] {2, 1, frames, bins});
    INDArray y = net.output(x);
    if (frameLevel == 1) {
      assertThat(y.shape()).containsExactly(2, outputs, frames);
    } else {
      assertThat(y.shape()).containsExactly(2, outputs);
    }
    assertThat(y.sumNumber().doubleValue()).isFinite();
  }

  @Test
  void vggStyleBlocksStackConvolutionsBeforeEachPoolingAndDropOutAfterIt() {
    MultiLayerNetwork net = NetworkFactory.create(spec("conv_channels = [4, 8], convs_per_block = 2, pool = 3, "
        + "block_dropout = 0.25, batch_norm = false, dense_units = 16"), 43, 128, 11, 1);
    assertThat(NetworkFactory.describe(net.getLayerWiseConfigurations())).containsExactly(
        "ConvolutionLayer", "ActivationLayer", "ConvolutionLayer", "ActivationLayer", "SubsamplingLayer",
        "DropoutLayer", "ConvolutionLayer", "ActivationLayer", "ConvolutionLayer", "ActivationLayer",
        "SubsamplingLayer", "DropoutLayer", "GlobalPoolingLayer", "DenseLayer", "OutputLayer");
    assertThat(net.output(Nd4j.rand(new int[] {2, 1, 43, 128})).shape()).containsExactly(2, 11);
  }

  @Test
  void theShippedHan2017ExperimentBuildsThePapersNetwork() {
    ModelSpec han = io.timbre.train.Experiment.load(new java.io.File("../conf/experiments/irmas-han2017.conf"))
        .model();
    MultiLayerNetwork net = NetworkFactory.create(han, 43, 128, 11, 1);
    // Eight 3x3 convolutions 32,32,64,64,128,128,256,256 (1 171 680 weights and biases), dense 256 -> 1024
    // (263 168), softmax 1024 -> 11 (11 275).
    assertThat(net.numParams()).isEqualTo(1_171_680 + 263_168 + 11_275);
    assertThat(net.output(Nd4j.rand(new int[] {2, 1, 43, 128})).shape()).containsExactly(2, 11);
  }

  @Test
  void specsWithoutTheBlockKeysKeepTheirProvenanceMap() {
    // Experiments written before convs_per_block and block_dropout existed keep their fingerprint (resume checks it).
    assertThat(spec("architecture = cnn").toMap()).doesNotContainKeys("convs_per_block", "block_dropout");
    assertThat(spec("convs_per_block = 2, block_dropout = 0.25").toMap()).containsEntry("convs_per_block", 2)
        .containsEntry("block_dropout", 0.25);
  }

  @Test
  void sameSeedSameInitialParameters() {
    ModelSpec s = spec("architecture = cnn");
    INDArray a = NetworkFactory.create(s, 20, 16, 4, 7).params();
    INDArray b = NetworkFactory.create(s, 20, 16, 4, 7).params();
    INDArray c = NetworkFactory.create(s, 20, 16, 4, 8).params();
    assertThat(a.equalsWithEps(b, 0)).isTrue();
    assertThat(a.equalsWithEps(c, 1e-6)).isFalse();
  }

  @Test
  void lstmForgetGateBiasIsOneAndDropoutIsNotOnTheFirstLayer() {
    MultiLayerNetwork net = NetworkFactory.create(spec("architecture = lstm, recurrent_layers = 2, dropout = 0.3"),
        10, 8, 3, 1);
    var first = (org.deeplearning4j.nn.conf.layers.LSTM) net.getLayerWiseConfigurations().getConf(0).getLayer();
    var second = (org.deeplearning4j.nn.conf.layers.LSTM) net.getLayerWiseConfigurations().getConf(1).getLayer();
    assertThat(first.getForgetGateBiasInit()).isEqualTo(1.0);
    assertThat(first.getIDropout()).isNull();
    assertThat(second.getIDropout()).isNotNull();
  }

  @Test
  void badValuesNameTheKey() {
    assertThatThrownBy(() -> spec("activation = swish")).hasMessageContaining("model.activation");
    assertThatThrownBy(() -> spec("conv_channels = []")).hasMessageContaining("model.conv_channels");
    assertThatThrownBy(() -> spec("learning_rate = 0")).hasMessageContaining("model.learning_rate");
    assertThatThrownBy(() -> spec("updater = sgd")).hasMessageContaining("model.updater");
    assertThatThrownBy(() -> spec("task = tagging")).hasMessageContaining("model.task");
  }
}
