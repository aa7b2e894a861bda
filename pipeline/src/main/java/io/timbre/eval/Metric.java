package io.timbre.eval;

import io.timbre.model.Task;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one vocabulary of metric names and their direction, shared by training (validation metrics), early stopping,
 * promotion and the reports. A metric is named by its path under {@code metrics} in an evaluation's
 * {@code metrics.json} ({@code single_label.accuracy}); where training computes the same quantity on the validation
 * split each epoch, it also has the shorter name training reports it by ({@code clip_accuracy}). Every place that
 * takes a metric name accepts both, so {@code promote --metric} and {@code early_stopping.metric} take the same names.
 */
public enum Metric {
  VALIDATION_LOSS(null, "val_loss", false, EnumSet.allOf(Task.class)),
  SINGLE_LABEL_ACCURACY("single_label.accuracy", "clip_accuracy", true, EnumSet.of(Task.SINGLE_LABEL)),
  SINGLE_LABEL_MACRO_F1("single_label.macro_f1", "macro_f1", true, EnumSet.of(Task.SINGLE_LABEL)),
  SINGLE_LABEL_MACRO_F1_OBSERVED("single_label.macro_f1_observed_labels", null, true, EnumSet.of(Task.SINGLE_LABEL)),
  SINGLE_LABEL_WEIGHTED_F1("single_label.weighted_f1", null, true, EnumSet.of(Task.SINGLE_LABEL)),
  /** Equal to the accuracy for one label per clip; training reports it under the name multi-label models use. */
  SINGLE_LABEL_MICRO_F1(null, "micro_f1", true, EnumSet.of(Task.SINGLE_LABEL)),
  MULTI_LABEL_S1_MICRO_F1("multi_label.s1.micro_f1", "micro_f1", true, EnumSet.of(Task.MULTI_LABEL)),
  MULTI_LABEL_S1_MACRO_F1("multi_label.s1.macro_f1", "macro_f1", true, EnumSet.of(Task.MULTI_LABEL)),
  MULTI_LABEL_S2_MICRO_F1("multi_label.s2.micro_f1", null, true, EnumSet.of(Task.MULTI_LABEL)),
  MULTI_LABEL_S2_MACRO_F1("multi_label.s2.macro_f1", null, true, EnumSet.of(Task.MULTI_LABEL)),
  MULTI_LABEL_LRAP("multi_label.lrap", null, true, EnumSet.of(Task.MULTI_LABEL)),
  /** Clips whose thresholded label set equals the truth exactly (training's clip_accuracy for multi-label). */
  MULTI_LABEL_EXACT_MATCH(null, "clip_accuracy", true, EnumSet.of(Task.MULTI_LABEL)),
  /** Segments (not clips) classified right; validation only. */
  EXAMPLE_ACCURACY(null, "example_accuracy", true, EnumSet.of(Task.SINGLE_LABEL)),
  ONSET_F_MEASURE("onset.f_measure", "onset_f1", true, EnumSet.of(Task.ONSET)),
  ONSET_PRECISION("onset.precision", "onset_precision", true, EnumSet.of(Task.ONSET)),
  ONSET_RECALL("onset.recall", "onset_recall", true, EnumSet.of(Task.ONSET)),
  MELODY_OVERALL_ACCURACY("melody.mean.overall_accuracy", "overall_accuracy", true, EnumSet.of(Task.MELODY)),
  MELODY_RAW_PITCH_ACCURACY("melody.mean.raw_pitch_accuracy", "raw_pitch_accuracy", true, EnumSet.of(Task.MELODY)),
  MELODY_RAW_CHROMA_ACCURACY("melody.mean.raw_chroma_accuracy", null, true, EnumSet.of(Task.MELODY)),
  MELODY_VOICING_RECALL("melody.mean.voicing_recall", "voicing_recall", true, EnumSet.of(Task.MELODY)),
  MELODY_VOICING_FALSE_ALARM("melody.mean.voicing_false_alarm", "voicing_false_alarm", false,
      EnumSet.of(Task.MELODY)),
  /**
   * Huang et al.'s GNSDR: the mean over sources of each source's track-length-weighted mean NSDR (SDR of the estimate
   * minus SDR of the mixture), dB.
   */
  SEPARATION_GNSDR("separation.gnsdr", null, true, EnumSet.of(Task.SEPARATION)),
  SEPARATION_MEAN_NSDR("separation.mean.nsdr", null, true, EnumSet.of(Task.SEPARATION)),
  SEPARATION_MEAN_SDR("separation.mean.sdr", null, true, EnumSet.of(Task.SEPARATION)),
  SEPARATION_MEAN_SIR("separation.mean.sir", null, true, EnumSet.of(Task.SEPARATION)),
  SEPARATION_MEAN_SAR("separation.mean.sar", null, true, EnumSet.of(Task.SEPARATION)),
  /**
   * Training's validation metric for separation: 10·log10(Σ|Y|² / Σ(|Y| − |Ŷ|)²) over every source, bin and valid
   * frame of the validation split — the magnitude estimates' SNR, a cheap stand-in for SDR between epochs.
   */
  SEPARATION_SPECTRAL_SNR(null, "spectral_snr_db", true, EnumSet.of(Task.SEPARATION)),
  /**
   * Next-frame generation: mean over held-out valid frames and every value of a frame of (ŷ − y)², frames
   * standardised by the training split's per-value mean and standard deviation (the units the network is trained in,
   * so a quiet bin counts as much as a loud one).
   */
  GENERATION_MSE("generation.model.next_frame_mse", "next_frame_mse", false, EnumSet.of(Task.GENERATION)),
  /** Mean over frames of the log-spectral distance √(mean_k (10·log10 P̂ₖ − 10·log10 Pₖ)²), P = |X|² ≥ 1e-10, dB. */
  GENERATION_LSD("generation.model.log_spectral_distance_db", "log_spectral_distance_db", false,
      EnumSet.of(Task.GENERATION)),
  /** 1 − MSE(model) / MSE(repeat the last frame), on the same frames. */
  GENERATION_GAIN_OVER_REPEAT_LAST("generation.mse_reduction_vs_repeat_last", "mse_reduction_vs_repeat_last", true,
      EnumSet.of(Task.GENERATION)),
  /** 1 − MSE(model) / MSE(the training split's mean frame), on the same frames. */
  GENERATION_GAIN_OVER_MEAN_FRAME("generation.mse_reduction_vs_mean_frame", "mse_reduction_vs_mean_frame", true,
      EnumSet.of(Task.GENERATION));

  /** Families whose members are named by the data: a top-k accuracy, a per-label ROC AUC. */
  private static final Pattern TOP_K = Pattern.compile("single_label\\.top_\\d+_accuracy");
  private static final Pattern ROC_AUC = Pattern.compile("multi_label\\.roc_auc\\.[^.]+");

  private final String path;
  private final String validationName;
  private final boolean higherIsBetter;
  private final Set<Task> tasks;

  Metric(String path, String validationName, boolean higherIsBetter, Set<Task> tasks) {
    this.path = path;
    this.validationName = validationName;
    this.higherIsBetter = higherIsBetter;
    this.tasks = tasks;
  }

  /** The path under {@code metrics} in {@code metrics.json}, if evaluations report this metric. */
  public Optional<String> path() {
    return Optional.ofNullable(path);
  }

  /** The name training reports this metric by each epoch, if training computes it. */
  public Optional<String> validationName() {
    return Optional.ofNullable(validationName);
  }

  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  public boolean appliesTo(Task task) {
    return tasks.contains(task);
  }

  /** The metric an evaluation of a task is judged by unless the user names another. */
  public static Metric headline(Task task) {
    return switch (task) {
      case SINGLE_LABEL -> SINGLE_LABEL_ACCURACY;
      case MULTI_LABEL -> MULTI_LABEL_S1_MICRO_F1;
      case ONSET -> ONSET_F_MEASURE;
      case MELODY -> MELODY_OVERALL_ACCURACY;
      case SEPARATION -> SEPARATION_GNSDR;
      case GENERATION -> GENERATION_MSE;
    };
  }

  /** The metric early stopping watches unless the experiment names another. */
  public static Metric defaultValidation(Task task) {
    return switch (task) {
      case SINGLE_LABEL -> SINGLE_LABEL_ACCURACY;
      case MULTI_LABEL -> MULTI_LABEL_S1_MICRO_F1;
      case ONSET -> ONSET_F_MEASURE;
      case MELODY -> MELODY_RAW_PITCH_ACCURACY;
      case SEPARATION -> SEPARATION_SPECTRAL_SNR;
      case GENERATION -> GENERATION_MSE;
    };
  }

  /** The metric of {@code task} with this path or validation name. */
  public static Optional<Metric> find(String name, Task task) {
    for (Metric m : values()) {
      if (m.appliesTo(task) && (name.equals(m.path) || name.equals(m.validationName))) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  /**
   * The evaluation path a name given for {@code task} refers to: a known metric's path (named by path or validation
   * name), or a member of a data-named family (top-k accuracy, per-label ROC AUC) as given.
   */
  public static String evaluationPath(String name, Task task) {
    Optional<Metric> m = find(name, task);
    if (m.isPresent() && m.get().path == null) {
      throw new IllegalArgumentException("'" + name + "' is computed by training on the validation split only; an "
          + "evaluation of task " + task.key() + " reports " + evaluationNames(task));
    }
    if (m.isPresent()) {
      return m.get().path;
    }
    if (TOP_K.matcher(name).matches() || ROC_AUC.matcher(name).matches()) {
      return name;
    }
    throw new IllegalArgumentException("'" + name + "' is not a metric of an evaluation of task " + task.key()
        + " (use one of " + evaluationNames(task) + ")");
  }

  /**
   * Whether a larger value is better for a metric named by path or validation name, of any task; a path this
   * vocabulary does not list is judged by its last part ({@code melody.voicing_false_alarm} as
   * {@code voicing_false_alarm}).
   */
  public static boolean higherIsBetter(String name) {
    String leaf = name.substring(name.lastIndexOf('.') + 1);
    for (String n : List.of(name, leaf)) {
      for (Metric m : values()) {
        if (n.equals(m.path) || n.equals(m.validationName)
            || (m.path != null && n.equals(m.path.substring(m.path.lastIndexOf('.') + 1)))) {
          return m.higherIsBetter;
        }
      }
    }
    if (TOP_K.matcher(name).matches() || ROC_AUC.matcher(name).matches()) {
      return true;
    }
    throw new IllegalArgumentException("Cannot tell whether more is better for '" + name + "': not a metric Timbre "
        + "reports (evaluations report e.g. " + evaluationNames(Task.SINGLE_LABEL) + ")");
  }

  /** The names early stopping accepts for a task: every validation metric, by either of its names. */
  public static List<String> validationNames(Task task) {
    List<String> out = new ArrayList<>();
    for (Metric m : values()) {
      if (m.appliesTo(task) && m.validationName != null) {
        out.add(m.validationName);
        if (m.path != null) {
          out.add(m.path);
        }
      }
    }
    return out;
  }

  /** The evaluation paths of a task (families shown by pattern). */
  public static List<String> evaluationNames(Task task) {
    List<String> out = new ArrayList<>();
    for (Metric m : values()) {
      if (m.appliesTo(task) && m.path != null) {
        out.add(m.path);
      }
    }
    if (task == Task.SINGLE_LABEL) {
      out.add("single_label.top_<k>_accuracy");
    }
    if (task == Task.MULTI_LABEL) {
      out.add("multi_label.roc_auc.<label>");
    }
    return out;
  }
}
