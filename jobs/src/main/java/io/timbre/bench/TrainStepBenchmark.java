package io.timbre.bench;

import io.timbre.backend.LayerHelpers;
import io.timbre.model.ModelSpec;
import io.timbre.model.NetworkFactory;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One core's training step, without Spark: {@code MultiLayerNetwork.fit} on fixed random batches of the model's
 * shape, as each parameter-averaging worker runs it. Per model and per configuration (DL4J's defaults, and Timbre's:
 * oneDNN layer helpers engaged, see {@link LayerHelpers}), interleaved rounds report examples/s, the arithmetic rate
 * (GFLOP/s: multiply-adds of the convolution, dense and LSTM layers counted as 2 FLOPs, a training step as 3 forward
 * passes) and, for Timbre's configuration, where the step's time goes ({@link StepProfile}).
 */
public final class TrainStepBenchmark {
  /** A network to measure: its spec and input shape. */
  public record Model(String name, ModelSpec spec, int frames, int bins, int outputs, int batch) {
    public Model withBatch(int b) {
      return new Model(name, spec, frames, bins, outputs, b);
    }
  }

  /** The two configurations compared in one run. */
  public enum Variant {
    DL4J_DEFAULT("DL4J defaults (built-in layers)", false),
    TIMBRE("Timbre (oneDNN layer helpers)", true);

    final String label;
    final boolean helpers;

    Variant(String label, boolean helpers) {
      this.label = label;
      this.helpers = helpers;
    }
  }

  /** One model's figures in one configuration: medians over the rounds. */
  public record Result(String model, Variant variant, double examplesPerSecond, double gflops,
      Map<String, Double> breakdown, double inferencePerSecond) {}

  private final PrintStream log;
  private final double secondsPerRound;
  private final int rounds;

  public TrainStepBenchmark(PrintStream log, double secondsPerRound, int rounds) {
    this.log = log;
    this.secondsPerRound = secondsPerRound;
    this.rounds = rounds;
  }

  /**
   * The models the issue of training speed is about, from the shipped experiments: {@code irmas-cnn} (43 x 64
   * log-mel patches), a Han et al.-sized CNN (conv 32/64/128/256, dense 256, 43 x 128) and the BiLSTM onset model
   * (100 frames x 128 bands).
   */
  public static List<Model> defaultModels(java.nio.file.Path experiments) {
    io.timbre.train.Experiment cnn = io.timbre.train.Experiment.load(experiments.resolve("irmas-cnn.conf").toFile());
    io.timbre.train.Experiment han = io.timbre.train.Experiment.parseText("name = han-sized\nmodel { conv_channels ="
        + " [32, 64, 128, 256], dense_units = 256, dropout = 0.25 }\ntrain { batch_size_per_worker = 16 }",
        "han-sized CNN (bench)");
    io.timbre.train.Experiment lstm = io.timbre.train.Experiment.load(
        experiments.resolve("idmt-drums-onsets-bilstm.conf").toFile());
    return List.of(
        new Model("irmas-cnn", cnn.model(), 43, 64, 11, cnn.train().batchSizePerWorker()),
        new Model("han-sized cnn", han.model(), 43, 128, 11, han.train().batchSizePerWorker()),
        new Model("bilstm onsets", lstm.model(), 100, 128, 3, lstm.train().batchSizePerWorker()));
  }

  public List<Result> run(List<Model> models) throws Exception {
    log.printf("one training step per core: %s, ND4J %s, OMP_NUM_THREADS=%s, %d rounds of %.0f s per configuration,"
        + " interleaved%n", System.getProperty("os.arch"), Nd4j.getExecutioner().getEnvironmentInformation()
            .getProperty("backend"), System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)"), rounds,
        secondsPerRound);
    double bound = gemmGflops();
    log.printf(Locale.ROOT, "this core's FP32 matrix-multiply rate (ND4J gemm 1024^3, one thread): %.1f GFLOP/s, the "
        + "practical bound of a training step's arithmetic%n", bound);
    List<Result> out = new ArrayList<>();
    for (Model m : models) {
      out.addAll(measure(m));
    }
    for (Result r : out) {
      log.printf(Locale.ROOT, "%-16s %-34s %6.1f examples/s  %5.1f GFLOP/s = %4.1f %% of the gemm rate%n",
          r.model(), r.variant().label, r.examplesPerSecond(), r.gflops(), 100 * r.gflops() / bound);
    }
    return out;
  }

  /** Best of five 1024 x 1024 x 1024 single-precision products, after one unmeasured. */
  static double gemmGflops() {
    INDArray a = Nd4j.rand(DataType.FLOAT, 1024, 1024);
    INDArray b = Nd4j.rand(DataType.FLOAT, 1024, 1024);
    INDArray c = Nd4j.create(DataType.FLOAT, 1024, 1024);
    Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
    double best = 0;
    for (int i = 0; i < 5; i++) {
      long t0 = System.nanoTime();
      Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
      best = Math.max(best, 2.0 * 1024 * 1024 * 1024 / ((System.nanoTime() - t0) / 1e9) / 1e9);
    }
    return best;
  }

  private List<Result> measure(Model m) throws Exception {
    DataSet[] batches = batches(m, 8);
    MultiLayerNetwork[] nets = new MultiLayerNetwork[Variant.values().length];
    for (Variant v : Variant.values()) {
      LayerHelpers.set(v.helpers);
      nets[v.ordinal()] = NetworkFactory.create(m.spec(), m.frames(), m.bins(), m.outputs(), 7);
      log.printf("%s, %s: layer helpers %s%n", m.name(), v.label, LayerHelpers.describe(nets[v.ordinal()]));
    }
    LayerHelpers.configure();
    double flops = 3 * forwardFlops(nets[0], batches[0].getFeatures()) / m.batch();
    double[][] rates = new double[Variant.values().length][rounds];
    for (Variant v : Variant.values()) {
      steps(nets[v.ordinal()], batches, 2.0); // JIT and workspaces warm
    }
    for (int r = 0; r < rounds; r++) {
      for (Variant v : Variant.values()) {
        rates[v.ordinal()][r] = steps(nets[v.ordinal()], batches, secondsPerRound) * m.batch();
      }
    }
    StepProfile profile = StepProfile.load(log);
    List<Result> results = new ArrayList<>();
    for (Variant v : Variant.values()) {
      Map<String, Double> breakdown = Map.of();
      if (profile != null) {
        profile.start();
        steps(nets[v.ordinal()], batches, secondsPerRound);
        breakdown = profile.stop();
      }
      double median = median(rates[v.ordinal()]);
      double inference = inference(nets[v.ordinal()], m, secondsPerRound);
      results.add(new Result(m.name(), v, median, median * flops / 1e9, breakdown, inference));
    }
    print(m, flops, results, rates);
    return results;
  }

  private void print(Model m, double flops, List<Result> results, double[][] rates) {
    log.printf("%n%s: input %d x %d, batch %d, %.1f MFLOP per training example%n", m.name(), m.frames(), m.bins(),
        m.batch(), flops / 1e6);
    for (Result r : results) {
      double[] sorted = rates[r.variant().ordinal()].clone();
      Arrays.sort(sorted);
      log.printf(Locale.ROOT, "  %-34s %8.1f examples/s (%.1f..%.1f)  %6.2f GFLOP/s; inference %.0f examples/s "
          + "(%.1fx training's rate; a step is ~3 forward passes)%n", r.variant().label, r.examplesPerSecond(),
          sorted[0], sorted[sorted.length - 1], r.gflops(), r.inferencePerSecond(),
          r.inferencePerSecond() / r.examplesPerSecond());
    }
    double base = results.get(0).examplesPerSecond();
    log.printf(Locale.ROOT, "  ratio %.2fx (Timbre / DL4J defaults, medians of the same run)%n",
        results.get(1).examplesPerSecond() / base);
    Map<String, Double> before = results.get(0).breakdown();
    Map<String, Double> after = results.get(1).breakdown();
    if (!after.isEmpty()) {
      // Seconds per example in each part: the share of the step times the step's time per example.
      log.printf("  where a training example's time goes (ms; share of CPU samples x time per example):%n"
          + "    %-34s %10s %10s%n", "part", "DL4J", "Timbre");
      java.util.Set<String> parts = new java.util.LinkedHashSet<>(after.keySet());
      parts.addAll(before.keySet());
      for (String part : parts) {
        log.printf(Locale.ROOT, "    %-34s %10.2f %10.2f%n", part,
            1e3 * before.getOrDefault(part, 0.0) / results.get(0).examplesPerSecond(),
            1e3 * after.getOrDefault(part, 0.0) / results.get(1).examplesPerSecond());
      }
    }
  }

  /** Scoring as evaluate and predict run it: output in batches of 64, no training-mode layers. */
  private static double inference(MultiLayerNetwork net, Model m, double seconds) {
    long[] in = m.spec().architecture().recurrent() ? new long[] {64, m.bins(), m.frames()}
        : new long[] {64, 1, m.frames(), m.bins()};
    INDArray x = Nd4j.randn(DataType.FLOAT, in);
    net.output(x);
    long t0 = System.nanoTime();
    long deadline = t0 + (long) (seconds * 1e9);
    int n = 0;
    while (n < 2 || System.nanoTime() < deadline) {
      net.output(x);
      n++;
    }
    return n * 64 / ((System.nanoTime() - t0) / 1e9);
  }

  /** Fits batches in turn for about {@code seconds}; returns steps per second. */
  private static double steps(MultiLayerNetwork net, DataSet[] batches, double seconds) {
    long t0 = System.nanoTime();
    long deadline = t0 + (long) (seconds * 1e9);
    int n = 0;
    while (n < 3 || System.nanoTime() < deadline) {
      net.fit(batches[n % batches.length]);
      n++;
    }
    return n / ((System.nanoTime() - t0) / 1e9);
  }

  /** Fixed random batches of the network's input shape, with targets of its output's shape. */
  private static DataSet[] batches(Model m, int count) {
    Random rng = new Random(11);
    MultiLayerNetwork probe = NetworkFactory.create(m.spec(), m.frames(), m.bins(), m.outputs(), 7);
    long[] in = m.spec().architecture().recurrent() ? new long[] {m.batch(), m.bins(), m.frames()}
        : new long[] {m.batch(), 1, m.frames(), m.bins()};
    DataSet[] out = new DataSet[count];
    for (int i = 0; i < count; i++) {
      INDArray x = Nd4j.randn(DataType.FLOAT, in);
      long[] shape = probe.output(x).shape();
      INDArray y = Nd4j.zeros(DataType.FLOAT, shape);
      if (shape.length == 2) {
        for (int b = 0; b < shape[0]; b++) {
          y.putScalar(b, rng.nextInt((int) shape[1]), 1f);
        }
      } else {
        y.assign(Nd4j.rand(DataType.FLOAT, shape).gt(0.9).castTo(DataType.FLOAT));
      }
      out[i] = new DataSet(x, y);
    }
    return out;
  }

  /**
   * Multiply-adds × 2 of one forward pass of a batch through the convolution, dense/output and LSTM layers (the
   * layers that do arithmetic proportional to their weights; activations, pooling and normalisation are left out).
   */
  static double forwardFlops(MultiLayerNetwork net, INDArray features) {
    List<INDArray> acts = net.feedForward(features, false);
    double flops = 0;
    for (int i = 0; i < net.getnLayers(); i++) {
      var conf = net.getLayer(i).conf().getLayer();
      long[] outShape = acts.get(i + 1).shape();
      if (conf instanceof ConvolutionLayer c) {
        long positions = outShape.length == 4 ? outShape[2] * outShape[3] : outShape[2];
        long kernel = Arrays.stream(c.getKernelSize()).asLongStream().reduce(1, (a, b) -> a * b);
        flops += 2.0 * outShape[0] * positions * kernel * c.getNIn() * c.getNOut();
      } else if (conf instanceof LSTM l) {
        flops += lstmFlops(l, outShape);
      } else if (conf instanceof Bidirectional bi && bi.getFwd() instanceof LSTM l) {
        flops += 2 * lstmFlops(l, outShape);
      } else if (conf instanceof FeedForwardLayer f && (conf instanceof DenseLayer
          || conf instanceof org.deeplearning4j.nn.conf.layers.BaseOutputLayer)) {
        long positions = outShape.length == 3 ? outShape[2] : 1;
        flops += 2.0 * outShape[0] * positions * f.getNIn() * f.getNOut();
      }
    }
    return flops;
  }

  /** Four gates, each a product with the input and the recurrent state, per time step. */
  private static double lstmFlops(LSTM l, long[] outShape) {
    long steps = outShape.length == 3 ? outShape[2] : 1;
    return 2.0 * outShape[0] * steps * 4 * (l.getNIn() + l.getNOut()) * l.getNOut();
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
