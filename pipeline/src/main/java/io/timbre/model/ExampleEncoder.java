package io.timbre.model;

import io.timbre.table.TableInfo;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

/**
 * Turns rows of a {@code segments} table into DL4J inputs for one model: standardised features shaped for the
 * network ([1, 1, frames, bins] images for {@code cnn}; [1, bins, steps] sequences for recurrent networks, chunked to
 * at most {@code max_sequence_steps} with the last chunk zero-padded and masked) and labels in the table's vocabulary
 * order. Runs on executors; everything it holds is serialisable.
 */
public final class ExampleEncoder implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ModelSpec spec;
  private final Normalizer normalizer;
  private final int bins;
  private final int chunkLength;
  private final int[] onsetChannels;
  private final int melodyChannel;
  private final int outputs;

  /**
   * @param segmentFrames frames per segment in the table
   * @param table the table (vocabulary and frame-target channels)
   */
  public ExampleEncoder(ModelSpec spec, Normalizer normalizer, int segmentFrames, TableInfo table) {
    this.spec = spec;
    this.normalizer = normalizer;
    this.bins = normalizer.bins();
    this.chunkLength = spec.architecture().recurrent() ? Math.min(segmentFrames, spec.maxSequenceSteps())
        : segmentFrames;
    this.onsetChannels = table.onsetChannels().stream().mapToInt(table::channelIndex).toArray();
    this.melodyChannel = table.channelIndex("melody1_f0_hz") >= 0 ? table.channelIndex("melody1_f0_hz")
        : table.channelIndex("melody2_f0_hz");
    this.outputs = spec.task() == Task.SEPARATION ? table.frameChannels().size() * bins
        : spec.task() == Task.GENERATION ? bins : spec.outputs(table.vocabulary().size(), onsetChannels.length);
    if ((spec.task() == Task.GENERATION) != (table.generationFrames() != null)) {
      throw new IllegalArgumentException(spec.task() == Task.GENERATION
          ? "model.task = generation, but table " + table.location() + " is not a generation table "
              + "(frame_target_channels: " + table.frameChannels() + "; ingest it with --frames)"
          : "model.task = " + spec.task().key() + ", but table " + table.location() + " is a generation table "
              + "(its targets are next frames): train architecture = frame_lstm, task = generation on it");
    }
    if (spec.task() == Task.SEPARATION && table.frameChannels().size() < 2) {
      throw new IllegalArgumentException("model.task = separation, but table " + table.location() + " is not a "
          + "separation table (frame_target_channels: " + table.frameChannels() + "; ingest it with --sources)");
    }
    if (spec.task() == Task.ONSET && onsetChannels.length == 0) {
      throw new IllegalArgumentException("model.task = onset, but table " + table.location()
          + " has no onset target channels (frame_target_channels: " + table.frameChannels() + ")");
    }
    if (spec.task() == Task.MELODY && melodyChannel < 0) {
      throw new IllegalArgumentException("model.task = melody, but table " + table.location()
          + " has no melody1_f0_hz / melody2_f0_hz channel (frame_target_channels: " + table.frameChannels() + ")");
    }
    if (!spec.task().frameLevel() && table.vocabulary().isEmpty()) {
      throw new IllegalArgumentException("model.task = " + spec.task().key() + ", but table " + table.location()
          + " has an empty label vocabulary");
    }
  }

  /** Values per time step of the network's input: the bins, and for separation the mixture magnitude beside them. */
  public int inputChannels() {
    return spec.task() == Task.SEPARATION ? 2 * bins : bins;
  }

  /** Time steps per network input. */
  public int chunkLength() {
    return chunkLength;
  }

  public int outputs() {
    return outputs;
  }

  /** Training examples of one row (none for a single-label segment without a label). */
  public List<DataSet> training(Row row) {
    List<DataSet> out = new ArrayList<>();
    for (Tuple2<ExampleKey, DataSet> e : encode(row, true)) {
      out.add(e._2());
    }
    return out;
  }

  /** Keyed training examples of one row (onset targets widened); the key orders them per epoch. */
  public List<Tuple2<ExampleKey, DataSet>> keyedTraining(Row row) {
    return encode(row, true);
  }

  /** Keyed examples of one row (features and masks; truth in the key). */
  public List<Tuple2<ExampleKey, DataSet>> keyed(Row row) {
    return encode(row, false);
  }

  private List<Tuple2<ExampleKey, DataSet>> encode(Row row, boolean training) {
    return encode(row.getString(row.fieldIndex("clip_id")), row.getInt(row.fieldIndex("segment_index")),
        row.getInt(row.fieldIndex("n_frames")), row.getInt(row.fieldIndex("start_frame")),
        row.getInt(row.fieldIndex("n_bins")), floats(row.getList(row.fieldIndex("features"))),
        floats(row.getList(row.fieldIndex("targets"))), floats(row.getList(row.fieldIndex("frame_targets"))),
        row.getInt(row.fieldIndex("n_target_channels")), training);
  }

  /**
   * Network inputs of one freshly featurised segment with no targets (batch inference): the same normalisation and
   * reshaping as for the table rows the model was trained on, so the two can never drift apart.
   */
  public List<Tuple2<ExampleKey, DataSet>> unlabelled(String clipId, io.timbre.featurize.Segment s) {
    if (spec.task().frameLevel()) {
      throw new UnsupportedOperationException("unlabelled examples are for clip-level models");
    }
    return encode(clipId, s.index(), s.frames(), s.startFrame(), s.bins(), s.features().clone(),
        new float[outputs], new float[0], 0, false);
  }

  private List<Tuple2<ExampleKey, DataSet>> encode(String clip, int segment, int frames, int segmentStart,
      int rowBins, float[] x, float[] truthTargets, float[] frameTargets, int channels, boolean training) {
    if (rowBins != bins) {
      throw new IllegalArgumentException("Segment " + clip + "#" + segment + " has " + rowBins + " bins, the model "
          + bins);
    }
    // Separation: the network also takes the mixture magnitude itself, which its joint mask multiplies.
    float[] raw = spec.task() == Task.SEPARATION ? x.clone() : null;
    normalizer.apply(x, bins);
    if ((raw != null || spec.task() == Task.GENERATION) && channels != outputs) {
      throw new IllegalArgumentException("Segment " + clip + "#" + segment + " has " + channels + " frame-target "
          + "values per frame; a separation model of " + outputs / bins + " sources x " + bins + " bins needs "
          + outputs + " (is the table a " + (raw != null ? "separation" : "generation") + " table of this spec?)");
    }
    // Generation: the next frames are standardised like the features, so the loss weighs every value alike and the
    // training mean frame is the zero vector.
    float[] nextFrames = spec.task() == Task.GENERATION ? frameTargets.clone() : null;
    if (nextFrames != null) {
      normalizer.apply(nextFrames, bins);
    }
    // The truth keeps every label (a single-label model is scored on multi-label IRMAS test clips too); the
    // training target of a single-label model is the first label, and unlabelled segments are not trained on.
    if (training && spec.task() == Task.SINGLE_LABEL && sum(truthTargets) == 0) {
      return List.of();
    }
    // A melody model never sees a clip whose melody is not annotated (NaN targets: absent or quarantined), neither
    // to train on nor to be scored on.
    if (spec.task() == Task.MELODY && !melodyAnnotated(frameTargets, frames, channels)) {
      return List.of();
    }
    float[] segmentTargets = spec.task() == Task.SINGLE_LABEL ? firstOnly(truthTargets) : truthTargets;

    List<Tuple2<ExampleKey, DataSet>> out = new ArrayList<>();
    if (!spec.architecture().recurrent()) {
      INDArray f = Nd4j.create(x, new long[] {1, 1, frames, bins}, 'c');
      INDArray l = Nd4j.create(segmentTargets, new long[] {1, segmentTargets.length}, 'c');
      out.add(new Tuple2<>(new ExampleKey(clip, segment, 0, 0, frames, truthTargets, segmentStart), new DataSet(f, l)));
      return out;
    }
    int len = chunkLength;
    int chunks = (frames + len - 1) / len;
    for (int c = 0; c < chunks; c++) {
      int start = c * len;
      int valid = Math.min(len, frames - start);
      int in = inputChannels();
      float[] seq = new float[in * len];
      float[] mask = new float[len];
      for (int t = 0; t < valid; t++) {
        mask[t] = 1f;
        for (int b = 0; b < bins; b++) {
          seq[b * len + t] = x[(start + t) * bins + b];
          if (raw != null) {
            seq[(bins + b) * len + t] = raw[(start + t) * bins + b];
          }
        }
      }
      INDArray f = Nd4j.create(seq, new long[] {1, in, len}, 'c');
      INDArray fm = Nd4j.create(mask, new long[] {1, len}, 'c');
      DataSet ds;
      float[] truth;
      switch (spec.task()) {
        case SINGLE_LABEL, MULTI_LABEL -> {
          ds = new DataSet(f, Nd4j.create(segmentTargets, new long[] {1, segmentTargets.length}, 'c'), fm, null);
          truth = truthTargets;
        }
        case ONSET -> {
          Targets o = onsetTargets(frameTargets, channels, start, valid, training);
          ds = new DataSet(f, Nd4j.create(o.labels(), new long[] {1, onsetChannels.length, len}, 'c'), fm, fm.dup());
          truth = o.truth();
        }
        case SEPARATION -> {
          Targets s = sourceTargets(frameTargets, start, valid);
          ds = new DataSet(f, Nd4j.create(s.labels(), new long[] {1, outputs, len}, 'c'), fm, fm.dup());
          // The truth (frames x sources x bins) is for scoring; training examples, cached for the whole run, do
          // not carry a second copy of their labels.
          truth = training ? new float[0] : s.truth();
        }
        case GENERATION -> {
          Targets g = nextFrameTargets(x, nextFrames, start, valid, training);
          ds = new DataSet(f, Nd4j.create(g.labels(), new long[] {1, outputs, len}, 'c'), fm, fm.dup());
          truth = g.truth();
        }
        case MELODY -> {
          Targets m = melodyTargets(frameTargets, channels, start, valid);
          ds = new DataSet(f, Nd4j.create(m.labels(), new long[] {1, outputs, len}, 'c'), fm, fm.dup());
          truth = m.truth();
        }
        default -> throw new IllegalStateException(spec.task().toString());
      }
      out.add(new Tuple2<>(new ExampleKey(clip, segment, c, start, valid, truth, segmentStart + start), ds));
    }
    return out;
  }

  /** One chunk's training labels ([class][step], chunk length wide) and its truth for scoring ([step][class]). */
  private record Targets(float[] labels, float[] truth) {}

  /**
   * Onsets of one chunk: 1 at each annotated frame; in training, {@code target_widening} frames either side get 0.5
   * (a detector one frame off is nearly right, and a lone positive frame is too rare a target to learn from).
   */
  private Targets onsetTargets(float[] frameTargets, int channels, int start, int valid, boolean training) {
    int len = chunkLength;
    int k = onsetChannels.length;
    float[] labels = new float[k * len];
    float[] truth = new float[valid * k];
    for (int t = 0; t < valid; t++) {
      for (int j = 0; j < k; j++) {
        if (frameTargets[(start + t) * channels + onsetChannels[j]] >= 1f) {
          truth[t * k + j] = 1f;
          labels[j * len + t] = 1f;
          if (training) {
            widen(labels, j * len, t, valid);
          }
        }
      }
    }
    return new Targets(labels, truth);
  }

  private void widen(float[] labels, int offset, int t, int valid) {
    for (int d = 1; d <= spec.targetWidening(); d++) {
      for (int u : new int[] {t - d, t + d}) {
        if (u >= 0 && u < valid && labels[offset + u] < 0.5f) {
          labels[offset + u] = 0.5f;
        }
      }
    }
  }

  /**
   * Sources of one chunk: labels are the sources' magnitudes channel-major ([source × bin][step]); the truth keeps
   * them frame-major ([step][source × bin]) for scoring.
   */
  private Targets sourceTargets(float[] frameTargets, int start, int valid) {
    int len = chunkLength;
    float[] labels = new float[outputs * len];
    float[] truth = new float[valid * outputs];
    System.arraycopy(frameTargets, start * outputs, truth, 0, valid * outputs);
    for (int t = 0; t < valid; t++) {
      for (int c = 0; c < outputs; c++) {
        labels[c * len + t] = truth[t * outputs + c];
      }
    }
    return new Targets(labels, truth);
  }

  /**
   * Next frames of one chunk, standardised. The network predicts the change from the current frame (a residual
   * connection around it: {@link Task#GENERATION}), so the labels are next − current, channel-major ([value][step]);
   * for scoring, the truth holds each valid step's standardised current frame and then its next frame.
   */
  private Targets nextFrameTargets(float[] x, float[] next, int start, int valid, boolean training) {
    int len = chunkLength;
    float[] labels = new float[outputs * len];
    float[] truth = training ? new float[0] : new float[valid * 2 * outputs];
    for (int t = 0; t < valid; t++) {
      for (int c = 0; c < outputs; c++) {
        labels[c * len + t] = next[(start + t) * outputs + c] - x[(start + t) * outputs + c];
      }
      if (!training) {
        System.arraycopy(x, (start + t) * outputs, truth, t * 2 * outputs, outputs);
        System.arraycopy(next, (start + t) * outputs, truth, t * 2 * outputs + outputs, outputs);
      }
    }
    return new Targets(labels, truth);
  }

  /** Melody of one chunk: a one-hot semitone class per frame (0 unvoiced); truth keeps the f0 in Hz. */
  private Targets melodyTargets(float[] frameTargets, int channels, int start, int valid) {
    int len = chunkLength;
    float[] labels = new float[outputs * len];
    float[] truth = new float[valid];
    for (int t = 0; t < valid; t++) {
      float f0 = frameTargets[(start + t) * channels + melodyChannel];
      int cls = pitchClass(f0);
      truth[t] = Math.max(0f, f0);
      labels[cls * len + t] = 1f;
    }
    return new Targets(labels, truth);
  }

  private boolean melodyAnnotated(float[] frameTargets, int frames, int channels) {
    for (int t = 0; t < frames; t++) {
      if (Float.isNaN(frameTargets[t * channels + melodyChannel])) {
        return false;
      }
    }
    return true;
  }

  /** Melody class of an f0 in Hz: 0 = unvoiced, else 1 + the semitone above {@code melody_min_midi}, clamped. */
  public int pitchClass(double f0) {
    return new MelodyClasses(spec.melodyMinMidi(), spec.melodyBins()).of(f0);
  }

  private static float[] firstOnly(float[] multiHot) {
    float[] one = new float[multiHot.length];
    for (int i = 0; i < multiHot.length; i++) {
      if (multiHot[i] > 0) {
        one[i] = 1f;
        break;
      }
    }
    return one;
  }

  private static float sum(float[] a) {
    float s = 0;
    for (float v : a) {
      s += v;
    }
    return s;
  }

  static float[] floats(List<?> list) {
    float[] out = new float[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) list.get(i)).floatValue();
    }
    return out;
  }
}
