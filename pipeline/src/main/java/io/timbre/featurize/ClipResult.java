package io.timbre.featurize;

import io.timbre.datasets.ClipRef;
import io.timbre.datasets.QuarantineRecord;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What ingest made of one clip: its segments and facts about the file, or the reason it was quarantined.
 *
 * @param sha256 SHA-256 of the whole audio file (null when the file could not be read)
 * @param durationSec duration of the decoded audio
 * @param sourceRate sample rate as found
 * @param sourceChannels channels as found
 * @param sourceBits bits per sample as found
 * @param sourceEncoding encoding as found
 * @param frames STFT frames of the whole clip
 */
public record ClipResult(ClipRef clip, String sha256, double durationSec, int sourceRate, int sourceChannels,
    int sourceBits, String sourceEncoding, int frames, List<Segment> segments, QuarantineRecord failure)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public boolean ok() {
    return failure == null;
  }

  /**
   * What the driver needs back from a task: these facts and the segment boundaries, without features (they went to
   * the table) and without the clip's annotations (the driver has the clip; {@link #withClip} puts it back).
   */
  public ClipResult summary() {
    List<Segment> marks = new ArrayList<>(segments.size());
    for (Segment s : segments) {
      marks.add(new Segment(s.index(), s.startFrame(), s.frames(), s.validFrames(), s.bins(), new float[0],
          new float[0]));
    }
    return new ClipResult(clip.withoutAnnotations(), sha256, durationSec, sourceRate, sourceChannels, sourceBits,
        sourceEncoding, frames, marks, failure);
  }

  /** The same result for {@code full}, the clip this result is of, with its annotations. */
  public ClipResult withClip(ClipRef full) {
    if (!full.id().equals(clip.id())) {
      throw new IllegalArgumentException("Cannot attach clip " + full.id() + " to the result of " + clip.id());
    }
    return new ClipResult(full, sha256, durationSec, sourceRate, sourceChannels, sourceBits, sourceEncoding, frames,
        segments, failure);
  }

  static ClipResult failed(ClipRef clip, String sha256, QuarantineRecord failure) {
    return new ClipResult(clip, sha256, 0, 0, 0, 0, null, 0, List.of(), failure);
  }
}
