package io.timbre.backend;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.timbre.model.ModelSpec;
import io.timbre.model.NetworkFactory;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The workaround that engages DL4J's oneDNN layer helpers (DL4J 1.0.0-M2.1 disables them by default and its own
 * check of the backend looks for a class under an old name): helpers are really used, and a network with them
 * computes what DL4J's built-in layers compute, forward and through training steps.
 */
class LayerHelpersTest {
  private String saved;

  @BeforeEach
  void save() {
    saved = System.getProperty(LayerHelpers.DISABLE_PROPERTY);
  }

  @AfterEach
  void restore() {
    if (saved == null) {
      System.clearProperty(LayerHelpers.DISABLE_PROPERTY);
    } else {
      System.setProperty(LayerHelpers.DISABLE_PROPERTY, saved);
    }
  }

  private static ModelSpec cnn() {
    return ModelSpec.parse(ConfigFactory.parseString("model { conv_channels = [8, 16], dense_units = 0, "
        + "dropout = 0, learning_rate = 0.01 }"), "test");
  }

  @Test
  void dl4jsBackendCheckFindsTheCpuBackendUsingOneDnn() {
    assertThat(BaseMKLDNNHelper.mklDnnEnabled()).as("DL4J's helper check (through org.nd4j.nativeblas.Nd4jCpu)")
        .isTrue();
    assertThat(Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend")).isEqualTo("CPU");
  }

  @Test
  void timbreSwitchesHelpersOnUnlessTheUserDecided() {
    System.clearProperty(LayerHelpers.DISABLE_PROPERTY);
    LayerHelpers.configure();
    assertThat(LayerHelpers.enabled()).isTrue();
    System.setProperty(LayerHelpers.DISABLE_PROPERTY, "true"); // the user's choice stands
    LayerHelpers.configure();
    assertThat(LayerHelpers.enabled()).isFalse();
  }

  @Test
  void helperLayersComputeWhatBuiltInLayersCompute() {
    LayerHelpers.set(false);
    MultiLayerNetwork builtIn = NetworkFactory.create(cnn(), 20, 24, 5, 3);
    LayerHelpers.set(true);
    MultiLayerNetwork helped = NetworkFactory.create(cnn(), 20, 24, 5, 3);
    assertThat(LayerHelpers.engaged(builtIn)).isZero();
    // Two blocks of convolution, batch norm and pooling.
    assertThat(LayerHelpers.engaged(helped)).isEqualTo(6);
    assertThat(LayerHelpers.describe(helped)).contains("ConvolutionLayer:MKLDNNConvHelper",
        "BatchNormalization:MKLDNNBatchNormHelper", "SubsamplingLayer:MKLDNNSubsamplingHelper");
    assertThat(helped.params()).isEqualTo(builtIn.params());

    DataSet batch = batch();
    INDArray x = batch.getFeatures();
    INDArray y = batch.getLabels();
    assertClose(helped.output(x), builtIn.output(x), 1e-4);
    // Backward: the same gradient of every parameter.
    builtIn.setInput(x);
    builtIn.setLabels(y);
    builtIn.computeGradientAndScore();
    helped.setInput(x);
    helped.setLabels(y);
    helped.computeGradientAndScore();
    assertThat(helped.score()).isCloseTo(builtIn.score(), org.assertj.core.api.Assertions.within(1e-4));
    assertClose(helped.gradient().gradient(), builtIn.gradient().gradient(), 1e-3);
  }

  @Test
  void trainingWithHelpersFollowsTrainingWithout() {
    // Nesterov momentum, not Adam: Adam divides each gradient by its own magnitude, so float rounding in a
    // parameter whose gradient is ~0 becomes a full step either way; with momentum SGD steps stay proportional.
    ModelSpec sgd = ModelSpec.parse(ConfigFactory.parseString("model { conv_channels = [8, 16], dense_units = 0, "
        + "dropout = 0, updater = nesterov, learning_rate = 0.01 }"), "test");
    LayerHelpers.set(false);
    MultiLayerNetwork builtIn = NetworkFactory.create(sgd, 20, 24, 5, 3);
    LayerHelpers.set(true);
    MultiLayerNetwork helped = NetworkFactory.create(sgd, 20, 24, 5, 3);
    DataSet batch = batch();
    INDArray x = batch.getFeatures();
    for (int step = 0; step < 5; step++) {
      builtIn.fit(batch);
      helped.fit(batch);
    }
    assertClose(helped.params(), builtIn.params(), 1e-3);
    assertClose(helped.output(x), builtIn.output(x), 1e-3);
  }

  /** Eight random 20 x 24 inputs, one-hot over five classes. */
  private static DataSet batch() {
    Nd4j.getRandom().setSeed(9);
    INDArray x = Nd4j.randn(DataType.FLOAT, 8, 1, 20, 24);
    INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 5);
    for (int i = 0; i < 8; i++) {
      y.putScalar(i, i % 5, 1f);
    }
    return new DataSet(x, y);
  }

  private static void assertClose(INDArray actual, INDArray expected, double tolerance) {
    double scale = Math.max(1e-6, expected.norm2Number().doubleValue() / Math.sqrt(expected.length()));
    double worst = actual.sub(expected).amaxNumber().doubleValue() / scale;
    assertThat(worst).as("largest difference relative to the RMS of the expected values").isLessThan(tolerance);
  }
}
