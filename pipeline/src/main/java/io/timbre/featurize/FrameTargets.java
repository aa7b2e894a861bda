package io.timbre.featurize;

import io.timbre.datasets.ClipRef;
import io.timbre.datasets.NoteEvent;
import io.timbre.datasets.TimeSeries;
import io.timbre.generation.FrameRepresentation;
import io.timbre.separation.SourceGrouping;
import io.timbre.separation.SourceMagnitudes;
import java.io.Serializable;
import java.util.List;
import java.util.TreeSet;

/**
 * Per-frame targets aligned to the STFT frame times t·hop/sr (frame t is centred there with center=True):
 * one channel per onset class (a 1 at the frame nearest each onset: drum instruments, or "onset" for unlabelled
 * notes) and one per melody annotation (f0 in Hz at the frame time from the nearest annotation sample; 0 =
 * unvoiced). A clip without a melody channel's annotation (absent, or quarantined as unreadable) has NaN there —
 * "not annotated", never 0, which would teach a melody model that the track has no melody.
 *
 * <p>A separation table's targets are instead each source's magnitude spectrum ({@link #separation}): one channel per
 * source, {@code bins} values wide, computed from the clip's stems by {@link SourceMagnitudes}.
 *
 * <p>A generation table's features are the clip's STFT frames in a {@link FrameRepresentation} and its target is the
 * next such frame: one channel, {@code next_<representation>} (so the representation travels with the channel names
 * into every model trained on the table), as wide as a frame.
 *
 * @param channels channel names, in table order (stored in the table's provenance)
 * @param sources the separation sources, or null for onset/melody targets
 * @param frames the generation table's frame representation, or null
 */
public record FrameTargets(List<String> channels, SourceGrouping sources, FrameRepresentation frames)
    implements Serializable {
  private static final long serialVersionUID = 1L;
  static final String MELODY_SUFFIX = "_f0_hz";

  public FrameTargets {
    channels = List.copyOf(channels);
  }

  /** Onset/melody channels. */
  public FrameTargets(List<String> channels) {
    this(channels, null, null);
  }

  /** A separation table's targets: the sources' magnitude spectra, in the grouping's order. */
  public static FrameTargets separation(SourceGrouping sources) {
    return new FrameTargets(sources.names(), sources, null);
  }

  /** A generation table's target: the next frame in {@code frames}' representation. */
  public static FrameTargets generation(FrameRepresentation frames) {
    return new FrameTargets(List.of(frames.nextFrameChannel()), null, frames);
  }

  public boolean generation() {
    return frames != null;
  }

  public boolean separation() {
    return sources != null;
  }

  /**
   * Values per frame: one per channel, a spectrum of {@code bins} per source, or a generation table's whole next frame
   * ({@code bins} = its features' width).
   */
  public int width(int bins) {
    return separation() ? channels.size() * bins : generation() ? bins : channels.size();
  }

  /** The channels a listing's clips need: onset classes sorted, then melody1/melody2 f0 if present. */
  public static FrameTargets of(List<ClipRef> clips) {
    TreeSet<String> onsets = new TreeSet<>();
    TreeSet<String> melodies = new TreeSet<>();
    for (ClipRef c : clips) {
      for (NoteEvent e : c.events()) {
        onsets.add(e.label().isEmpty() ? "onset" : e.label());
      }
      for (TimeSeries s : c.series()) {
        if (s.name().equals("melody1") || s.name().equals("melody2")) {
          melodies.add(s.name() + MELODY_SUFFIX);
        }
      }
    }
    List<String> all = new java.util.ArrayList<>(onsets);
    all.addAll(melodies);
    return new FrameTargets(List.copyOf(all));
  }

  public boolean isEmpty() {
    return channels.isEmpty();
  }

  /** frames × channels targets of one clip. */
  public float[] compute(ClipRef clip, int frames, int sampleRate, int hop) {
    int c = channels.size();
    float[] out = new float[frames * c];
    for (int ch = 0; ch < c; ch++) {
      String name = channels.get(ch);
      boolean annotated = !name.endsWith(MELODY_SUFFIX) || clip.series().stream().anyMatch(s ->
          (s.name() + MELODY_SUFFIX).equals(name) && s.length() > 0);
      if (!annotated) {
        for (int t = 0; t < frames; t++) {
          out[t * c + ch] = Float.NaN;
        }
      }
    }
    double frameRate = sampleRate / (double) hop;
    for (NoteEvent e : clip.events()) {
      int ch = channels.indexOf(e.label().isEmpty() ? "onset" : e.label());
      int t = (int) Math.round(e.onsetSec() * frameRate);
      if (ch >= 0 && t >= 0 && t < frames) {
        out[t * c + ch] = 1f;
      }
    }
    for (TimeSeries s : clip.series()) {
      int ch = channels.indexOf(s.name() + MELODY_SUFFIX);
      if (ch < 0 || s.length() == 0) {
        continue;
      }
      double[] times = s.times();
      double[] f0 = s.columns()[0];
      int k = 0;
      for (int t = 0; t < frames; t++) {
        double time = t / frameRate;
        while (k + 1 < times.length && Math.abs(times[k + 1] - time) <= Math.abs(times[k] - time)) {
          k++;
        }
        double step = times.length > 1 ? times[1] - times[0] : Double.POSITIVE_INFINITY;
        boolean covered = Math.abs(times[k] - time) <= step;
        out[t * c + ch] = covered ? (float) Math.max(0, f0[k]) : 0f;
      }
    }
    return out;
  }
}
