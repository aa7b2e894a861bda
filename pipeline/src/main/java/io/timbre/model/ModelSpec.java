package io.timbre.model;

import com.typesafe.config.Config;
import io.timbre.config.JobConfig;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable description of a network and its optimisation, read from the {@code model} block of an experiment
 * file (keys in snake_case, every key optional, unknown keys are errors naming the key and file). The spec and the
 * table's input shape determine the network exactly ({@link NetworkFactory}); its JSON goes into every run's
 * provenance.
 *
 * @param dropout probability of <em>dropping</em> a unit (DL4J's own API takes the retain probability)
 * @param weightInit {@code he}, {@code xavier}, or {@code auto} (He for the ReLU family, Xavier otherwise)
 * @param threshold decision threshold of sigmoid heads (multi-label, onset peak picking)
 * @param targetWidening onset targets: frames either side of an onset that get target 0.5 (Schlüter &amp; Böck)
 * @param melodyMinMidi melody: MIDI note of the lowest pitch class
 * @param melodyBins melody: number of semitone classes (class 0 is unvoiced, on top of these)
 * @param convsPerBlock cnn: convolutions (each with its batch norm and activation) before each block's pooling; 2 in
 *     VGG-style networks such as Han et al. 2017
 * @param blockDropout cnn: probability of dropping a unit after each block's pooling (0 = none)
 * @param cell drnn: the recurrent cell, {@code lstm}, {@code bilstm} or {@code rnn} (Huang et al.'s simple RNN);
 *     frame_lstm: {@code lstm} or {@code gru}
 * @param discriminativeGamma drnn: weight γ of the discriminative term of Huang et al.'s objective (0 = plain MSE)
 * @param inputNoise frame_lstm: standard deviation of the Gaussian noise added to the (standardised) input frames
 *     while training, never at inference (0 = none)
 */
public record ModelSpec(Architecture architecture, Task task, List<Integer> convChannels, int convKernel, int pool,
    boolean batchNorm, int denseUnits, int recurrentUnits, int recurrentLayers, int maxSequenceSteps,
    double dropout, String activation, String weightInit, double l2, String updater, double learningRate,
    double momentum, String lrSchedule, double lrDecay, int lrStepEpochs, String globalPooling, double threshold,
    int targetWidening, int melodyMinMidi, int melodyBins, int convsPerBlock, double blockDropout, String cell,
    double discriminativeGamma, double inputNoise) implements Serializable {
  private static final long serialVersionUID = 1L;

  static final Set<String> KEYS = Set.of("architecture", "task", "conv_channels", "conv_kernel", "pool",
      "batch_norm", "dense_units", "recurrent_units", "recurrent_layers", "max_sequence_steps", "dropout",
      "activation", "weight_init", "l2", "updater", "learning_rate", "momentum", "lr_schedule", "lr_decay",
      "lr_step_epochs", "global_pooling", "threshold", "target_widening", "melody_min_midi", "melody_bins",
      "convs_per_block", "block_dropout", "cell", "discriminative_gamma", "input_noise");
  static final Set<String> ACTIVATIONS = Set.of("relu", "elu", "prelu", "leakyrelu", "tanh");

  public ModelSpec {
    convChannels = List.copyOf(convChannels);
    if (architecture == Architecture.CNN && task.frameLevel()) {
      throw new IllegalArgumentException("model.architecture: cnn pools time away and cannot do the frame-level "
          + "task '" + task.key() + "'; use lstm, bilstm or crnn");
    }
    if ((architecture == Architecture.DRNN) != (task == Task.SEPARATION)) {
      throw new IllegalArgumentException("model.architecture: source separation needs architecture = drnn with "
          + "task = separation (got " + architecture.key() + " / " + task.key() + ")");
    }
    if ((architecture == Architecture.FRAME_LSTM) != (task == Task.GENERATION)) {
      throw new IllegalArgumentException("model.architecture: next-frame generation needs architecture = frame_lstm "
          + "with task = generation (got " + architecture.key() + " / " + task.key() + ")");
    }
    if (architecture == Architecture.FRAME_LSTM && !cell.equals("lstm") && !cell.equals("gru")) {
      throw new IllegalArgumentException("model.cell: frame_lstm takes cell = lstm or gru (got " + cell + ")");
    }
    if (inputNoise != 0 && architecture != Architecture.FRAME_LSTM) {
      throw new IllegalArgumentException("model.input_noise: only frame_lstm takes input noise (got "
          + architecture.key() + ")");
    }
    if (architecture == Architecture.DRNN && cell.equals("gru")) {
      throw new IllegalArgumentException("model.cell: drnn takes cell = lstm, bilstm or rnn (got gru)");
    }
  }

  /** Parses the {@code model} block of {@code root}; {@code origin} names the file in errors. */
  public static ModelSpec parse(Config root, String origin) {
    JobConfig.Section s = JobConfig.Section.of(root, "model", origin, KEYS);
    Architecture arch;
    Task task;
    try {
      arch = Architecture.parse(s.getString("architecture", "cnn"));
    } catch (IllegalArgumentException e) {
      throw s.invalid("architecture", e.getMessage());
    }
    try {
      task = Task.parse(s.getString("task", "single_label"));
    } catch (IllegalArgumentException e) {
      throw s.invalid("task", e.getMessage());
    }
    List<Integer> conv = s.getIntList("conv_channels", List.of(16, 32, 64));
    if (conv.isEmpty() && (arch == Architecture.CNN || arch == Architecture.CRNN)) {
      throw s.invalid("conv_channels", "needs at least one convolution block for " + arch.key());
    }
    for (int c : conv) {
      if (c < 1 || c > 4096) {
        throw s.invalid("conv_channels", "channel counts must be in [1, 4096], was " + conv);
      }
    }
    String activation = s.getString("activation", "relu").toLowerCase(java.util.Locale.ROOT);
    if (!ACTIVATIONS.contains(activation)) {
      throw s.invalid("activation", "unknown '" + activation + "' (known: " + new java.util.TreeSet<>(ACTIVATIONS)
          + ")");
    }
    String init = oneOf(s, "weight_init", "auto", Set.of("auto", "he", "xavier"));
    String updater = oneOf(s, "updater", "adam", Set.of("adam", "nesterov"));
    String schedule = oneOf(s, "lr_schedule", "none", Set.of("none", "step", "exponential"));
    String pooling = oneOf(s, "global_pooling", "avg", Set.of("avg", "max"));
    try {
      return new ModelSpec(arch, task, conv,
          (int) s.range("conv_kernel", s.getInt("conv_kernel", 3), 1, 15),
          (int) s.range("pool", s.getInt("pool", 2), 1, 8),
          s.getBoolean("batch_norm", true),
          (int) s.range("dense_units", s.getInt("dense_units", 64), 0, 65536),
          (int) s.range("recurrent_units", s.getInt("recurrent_units", 64), 1, 65536),
          (int) s.range("recurrent_layers", s.getInt("recurrent_layers", 1), 1, 8),
          (int) s.range("max_sequence_steps", s.getInt("max_sequence_steps", 100), 2, 100_000),
          s.range("dropout", s.getDouble("dropout", 0.25), 0, 0.95),
          activation, init,
          s.range("l2", s.getDouble("l2", 1e-4), 0, 1),
          updater,
          s.range("learning_rate", s.getDouble("learning_rate", 1e-3), 1e-8, 10),
          s.range("momentum", s.getDouble("momentum", 0.9), 0, 0.9999),
          schedule,
          s.range("lr_decay", s.getDouble("lr_decay", 0.5), 1e-6, 1),
          (int) s.range("lr_step_epochs", s.getInt("lr_step_epochs", 10), 1, 1_000_000),
          pooling,
          s.range("threshold", s.getDouble("threshold", 0.5), 0, 1),
          (int) s.range("target_widening", s.getInt("target_widening", 1), 0, 10),
          (int) s.range("melody_min_midi", s.getInt("melody_min_midi", 36), 0, 127),
          (int) s.range("melody_bins", s.getInt("melody_bins", 60), 1, 128),
          (int) s.range("convs_per_block", s.getInt("convs_per_block", 1), 1, 4),
          s.range("block_dropout", s.getDouble("block_dropout", 0), 0, 0.95),
          oneOf(s, "cell", "lstm", Set.of("lstm", "bilstm", "rnn", "gru")),
          s.range("discriminative_gamma", s.getDouble("discriminative_gamma", 0), 0, 0.49),
          s.range("input_noise", s.getDouble("input_noise", 0), 0, 2));
    } catch (IllegalArgumentException e) {
      if (e.getMessage().startsWith("Cannot read config")) {
        throw e;
      }
      throw new IllegalArgumentException("Cannot read config " + origin + ": " + e.getMessage(), e);
    }
  }

  private static String oneOf(JobConfig.Section s, String key, String dflt, Set<String> allowed) {
    String v = s.getString(key, dflt).toLowerCase(java.util.Locale.ROOT);
    if (!allowed.contains(v)) {
      throw s.invalid(key, "unknown '" + v + "' (known: " + new java.util.TreeSet<>(allowed) + ")");
    }
    return v;
  }

  /** The same spec with another decision threshold (evaluation overrides it). */
  public ModelSpec withThreshold(double t) {
    return new ModelSpec(architecture, task, convChannels, convKernel, pool, batchNorm, denseUnits, recurrentUnits,
        recurrentLayers, maxSequenceSteps, dropout, activation, weightInit, l2, updater, learningRate, momentum,
        lrSchedule, lrDecay, lrStepEpochs, globalPooling, t, targetWidening, melodyMinMidi, melodyBins, convsPerBlock,
        blockDropout, cell, discriminativeGamma, inputNoise);
  }

  /** The weight initialisation actually used: {@code auto} resolved by activation. */
  public String resolvedWeightInit() {
    if (!weightInit.equals("auto")) {
      return weightInit;
    }
    return activation.equals("tanh") ? "xavier" : "he";
  }

  /** Number of outputs per segment (or per frame) given the table's label vocabulary / onset channels. */
  public int outputs(int vocabularySize, int onsetChannels) {
    return switch (task) {
      case SINGLE_LABEL, MULTI_LABEL -> vocabularySize;
      case ONSET -> onsetChannels;
      case MELODY -> melodyBins + 1;
      case SEPARATION -> throw new IllegalStateException("a separation model's outputs are sources x bins");
      case GENERATION -> throw new IllegalStateException("a generation model's outputs are a frame's width");
    };
  }

  /** Snake-case keys in declaration order, as written in experiment files (for provenance). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("architecture", architecture.key());
    m.put("task", task.key());
    m.put("conv_channels", convChannels);
    m.put("conv_kernel", convKernel);
    m.put("pool", pool);
    m.put("batch_norm", batchNorm);
    m.put("dense_units", denseUnits);
    m.put("recurrent_units", recurrentUnits);
    m.put("recurrent_layers", recurrentLayers);
    m.put("max_sequence_steps", maxSequenceSteps);
    m.put("dropout", dropout);
    m.put("activation", activation);
    m.put("weight_init", weightInit);
    m.put("l2", l2);
    m.put("updater", updater);
    m.put("learning_rate", learningRate);
    m.put("momentum", momentum);
    m.put("lr_schedule", lrSchedule);
    m.put("lr_decay", lrDecay);
    m.put("lr_step_epochs", lrStepEpochs);
    m.put("global_pooling", globalPooling);
    m.put("threshold", threshold);
    m.put("target_widening", targetWidening);
    m.put("melody_min_midi", melodyMinMidi);
    m.put("melody_bins", melodyBins);
    // Written only when set, so that the experiments written before these keys existed keep their fingerprints (a
    // resume compares them).
    if (convsPerBlock != 1) {
      m.put("convs_per_block", convsPerBlock);
    }
    if (blockDropout != 0) {
      m.put("block_dropout", blockDropout);
    }
    if (architecture == Architecture.FRAME_LSTM) {
      m.put("cell", cell);
      if (inputNoise != 0) {
        m.put("input_noise", inputNoise);
      }
    }
    if (architecture == Architecture.DRNN) {
      m.put("cell", cell);
      m.put("discriminative_gamma", discriminativeGamma);
    }
    return m;
  }
}
