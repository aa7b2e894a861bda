package io.timbre.eval;

import java.io.Serializable;

/**
 * Frame counts for melody extraction in mir_eval's terms ({@code mir_eval.melody}), at semitone resolution: raw pitch
 * accuracy = voiced reference frames whose estimated pitch class is right (whether or not the estimate says voiced)
 * over voiced reference frames; overall accuracy = frames right in both voicing and pitch over all frames; voicing
 * recall and false alarm as usual. Pitch classes are semitones, so "right" means within ±50 cents, as mir_eval's
 * default tolerance. This is the training run's validation figure on the network's own frames; the evaluate job
 * reports mir_eval's definition itself ({@link MelodyMetrics}) next to it. Empty denominators follow mir_eval:
 * voicing recall is 1 without voiced reference frames, the other figures 0.
 */
public record MelodyCounts(long frames, long voicedReference, long voicedRightPitch, long overallRight,
    long voicedDetected, long unvoicedReference, long falseAlarms) implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final MelodyCounts ZERO = new MelodyCounts(0, 0, 0, 0, 0, 0, 0);
  /** What these figures are, as recorded in metrics.json: not mir_eval's resampled-cents definition. */
  public static final String DEFINITION = "Timbre semitone-class frame counts on the network's frames (training "
      + "validation); mir_eval's definition is under 'melody'";

  /**
   * One frame: reference class (0 unvoiced), the estimated voicing and the estimated pitch class (best voiced
   * class, used for raw pitch accuracy even when the estimate says unvoiced).
   */
  public MelodyCounts add(int reference, boolean estimatedVoiced, int estimatedPitch) {
    boolean refVoiced = reference > 0;
    boolean pitchRight = refVoiced && estimatedPitch == reference;
    boolean overall = refVoiced ? (estimatedVoiced && pitchRight) : !estimatedVoiced;
    return new MelodyCounts(frames + 1, voicedReference + (refVoiced ? 1 : 0), voicedRightPitch + (pitchRight ? 1 : 0),
        overallRight + (overall ? 1 : 0), voicedDetected + (refVoiced && estimatedVoiced ? 1 : 0),
        unvoicedReference + (refVoiced ? 0 : 1), falseAlarms + (!refVoiced && estimatedVoiced ? 1 : 0));
  }

  public MelodyCounts plus(MelodyCounts o) {
    return new MelodyCounts(frames + o.frames, voicedReference + o.voicedReference,
        voicedRightPitch + o.voicedRightPitch, overallRight + o.overallRight, voicedDetected + o.voicedDetected,
        unvoicedReference + o.unvoicedReference, falseAlarms + o.falseAlarms);
  }

  public double rawPitchAccuracy() {
    return voicedReference == 0 ? 0 : voicedRightPitch / (double) voicedReference;
  }

  public double overallAccuracy() {
    return frames == 0 ? 0 : overallRight / (double) frames;
  }

  public double voicingRecall() {
    return voicedReference == 0 ? 1 : voicedDetected / (double) voicedReference;
  }

  public double voicingFalseAlarm() {
    return unvoicedReference == 0 ? 0 : falseAlarms / (double) unvoicedReference;
  }
}
