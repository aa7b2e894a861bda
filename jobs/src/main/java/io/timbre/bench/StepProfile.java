package io.timbre.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import one.profiler.AsyncProfiler;

/**
 * Where the CPU time of a stretch of training steps goes, sampled by async-profiler (its {@code itimer} event: no
 * perf_events permission needed) and classified by the stack of each sample: the innermost DL4J layer or ND4J
 * component on the stack names the part (convolution, batch norm, pooling, activation, dense, LSTM, loss, updater,
 * data), and whether the layer was called forward or backward. Samples of the JVM's own threads (GC, JIT compiler)
 * form their own part.
 */
final class StepProfile {
  /** A part of a training step and the stack frames that place a sample in it, innermost rule first. */
  private record Rule(String part, List<String> frames) {}

  private static final List<Rule> RULES = List.of(
      new Rule("updater (Adam)", List.of("org/nd4j/linalg/learning/", "BaseMultiLayerUpdater",
          "UpdaterBlock", "org/deeplearning4j/nn/updater/")),
      new Rule("loss", List.of("org/nd4j/linalg/lossfunctions/", "computeScore", "BaseOutputLayer.computeGradient")),
      new Rule("activation", List.of("org/nd4j/linalg/activations/", "ActivationLayer")),
      new Rule("batch norm", List.of("BatchNormalization", "MKLDNNBatchNormHelper")),
      new Rule("pooling", List.of("SubsamplingLayer", "GlobalPoolingLayer", "MKLDNNSubsamplingHelper",
          "MaskedReductionUtil")),
      new Rule("convolution", List.of("ConvolutionLayer", "Convolution1DLayer", "MKLDNNConvHelper")),
      new Rule("LSTM", List.of("LSTMHelpers", "/recurrent/")),
      new Rule("dense / output", List.of("DenseLayer", "OutputLayer", "RnnOutputLayer", "BaseLayer.preOutput")),
      new Rule("regularisation (l2)", List.of("org/nd4j/linalg/learning/regularization/",
          "applyGradientNormalization")),
      new Rule("data (batches, iterator)", List.of("DataSetIterator", "org/nd4j/linalg/dataset/")));

  private final AsyncProfiler profiler;

  private StepProfile(AsyncProfiler profiler) {
    this.profiler = profiler;
  }

  /** The profiler of this JVM, or null (with the reason printed) where it cannot load. */
  static StepProfile load(java.io.PrintStream log) {
    try {
      return new StepProfile(AsyncProfiler.getInstance());
    } catch (RuntimeException | LinkageError e) {
      log.println("(no step breakdown: async-profiler did not load: " + e.getMessage() + ")");
      return null;
    }
  }

  void start() throws java.io.IOException {
    profiler.execute("start,event=itimer,interval=1ms,threads");
  }

  /** Stops sampling and returns each part's share of the samples, largest first. */
  Map<String, Double> stop() throws java.io.IOException {
    profiler.execute("stop");
    String collapsed = profiler.execute("collapsed");
    Map<String, Long> samples = new LinkedHashMap<>();
    long total = 0;
    for (String line : collapsed.split("\n")) {
      int space = line.lastIndexOf(' ');
      if (space < 0) {
        continue;
      }
      long n = Long.parseLong(line.substring(space + 1).strip());
      samples.merge(classify(line.substring(0, space)), n, Long::sum);
      total += n;
    }
    Map<String, Double> shares = new LinkedHashMap<>();
    long all = total;
    samples.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> shares.put(e.getKey(), e.getValue() / (double) all));
    return shares;
  }

  /** The part of one collapsed stack (thread first, then root to leaf, ';'-separated). */
  static String classify(String stack) {
    String[] frames = stack.split(";");
    String thread = frames[0];
    if (thread.contains("GC Thread") || thread.contains("CompilerThread") || thread.contains("G1 ")
        || thread.contains("VM Thread")) {
      return "JVM (GC, JIT)";
    }
    for (int i = frames.length - 1; i >= 0; i--) {
      for (Rule r : RULES) {
        for (String f : r.frames()) {
          if (frames[i].contains(f)) {
            return r.part() + direction(frames, i, r.part());
          }
        }
      }
    }
    for (String f : frames) {
      if (f.contains("MultiLayerNetwork") || f.contains("org/deeplearning4j")) {
        return "other DL4J (workspaces, graph)";
      }
    }
    return "other";
  }

  /** " forward" or " backward" for a layer part, by the nearest layer method below the matched frame. */
  private static String direction(String[] frames, int at, String part) {
    if (part.startsWith("updater") || part.startsWith("loss") || part.startsWith("data")
        || part.startsWith("regularisation")) {
      return "";
    }
    for (int i = at; i >= 0; i--) {
      if (frames[i].contains("backpropGradient") || frames[i].contains("calcBackpropGradients")) {
        return " backward";
      }
      if (frames[i].contains(".activate") || frames[i].contains("preOutput") || frames[i].contains("ffToLayer")
          || frames[i].contains("feedForward")) {
        return " forward";
      }
    }
    return "";
  }
}
