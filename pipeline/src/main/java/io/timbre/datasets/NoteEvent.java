package io.timbre.datasets;

import java.io.Serializable;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One annotated event: a note (guitar/bass XML), a drum hit (drums XML/SVL) or an onset.
 *
 * @param onsetSec onset time in seconds
 * @param offsetSec offset time in seconds, or NaN when the annotation has none (drum hits)
 * @param pitch MIDI pitch, or NaN when unpitched
 * @param label the event's class where it has one (drums: KD, SD, HH), else empty
 * @param attributes every other annotated field by its name in the source format (stringNumber, fretNumber,
 *     excitationStyle, expressionStyle, …), sorted for stable serialisation
 */
public record NoteEvent(double onsetSec, double offsetSec, double pitch, String label,
    SortedMap<String, String> attributes) implements Serializable {
  private static final long serialVersionUID = 1L;

  public NoteEvent {
    attributes = new TreeMap<>(attributes);
  }

  public static NoteEvent onset(double onsetSec, String label) {
    return new NoteEvent(onsetSec, Double.NaN, Double.NaN, label, new TreeMap<>());
  }

  public static NoteEvent note(double onsetSec, double offsetSec, double pitch, Map<String, String> attributes) {
    return new NoteEvent(onsetSec, offsetSec, pitch, "", new TreeMap<>(attributes));
  }
}
