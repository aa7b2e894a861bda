package io.timbre.datasets.idmt;

import io.timbre.datasets.NoteEvent;
import io.timbre.datasets.Xml;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The {@code instrumentRecording} annotation schema of IDMT-SMT-Guitar and IDMT-SMT-Bass(-Single-Track):
 * {@code globalParameter} (audioFileName, instrument, instrumentTuning, pickupSetting/pickUpSetting, …) and
 * {@code transcription/event} notes (pitch, onsetSec, offsetSec, fretNumber, stringNumber, excitationStyle,
 * expressionStyle, …).
 */
final class InstrumentRecordingXml {
  /** Parsed content. */
  record Recording(Map<String, String> global, List<NoteEvent> events, int[] tuning, boolean tuningAssumed,
      int pitchMismatches) {}

  private InstrumentRecordingXml() {}

  /**
   * @param defaultTuning open-string MIDI pitches to assume when instrumentTuning is missing (low string first)
   * @throws IllegalArgumentException naming the field for anything malformed
   */
  static Recording parse(Element root, String source, int[] defaultTuning) {
    if (!root.getTagName().equals("instrumentRecording")) {
      throw new IllegalArgumentException(source + ": root element is <" + root.getTagName()
          + ">, expected <instrumentRecording>");
    }
    Map<String, String> global = new TreeMap<>();
    for (Element g : Xml.children(root, "globalParameter")) {
      for (Node n = g.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element e) {
          // pickUpSetting (bass files) and pickupSetting (guitar files) are one field.
          String key = e.getTagName().equals("pickUpSetting") ? "pickupSetting" : e.getTagName();
          global.merge(key, e.getTextContent().strip(), (a, b) -> a + "|" + b);
        }
      }
    }
    int[] tuning = defaultTuning;
    boolean assumed = true;
    String t = global.get("instrumentTuning");
    if (t != null && !t.isBlank()) {
      String[] parts = t.split(",");
      tuning = new int[parts.length];
      for (int i = 0; i < parts.length; i++) {
        tuning[i] = (int) number(parts[i], "instrumentTuning", source);
      }
      assumed = false;
    }
    List<NoteEvent> events = new ArrayList<>();
    int mismatches = 0;
    for (Element tr : Xml.children(root, "transcription")) {
      for (Element ev : Xml.children(tr, "event")) {
        String on = Xml.text(ev, "onsetSec");
        if (on == null) {
          throw new IllegalArgumentException(source + ": event " + (events.size() + 1) + " has no onsetSec");
        }
        double onset = time(on, "onsetSec", source);
        String off = Xml.text(ev, "offsetSec");
        double offset = off == null ? Double.NaN : time(off, "offsetSec", source);
        String p = Xml.text(ev, "pitch");
        double pitch = p == null ? Double.NaN : number(p, "pitch", source);
        Map<String, String> attrs = new TreeMap<>();
        for (Node n = ev.getFirstChild(); n != null; n = n.getNextSibling()) {
          if (n instanceof Element e) {
            String k = e.getTagName();
            if (!k.equals("onsetSec") && !k.equals("offsetSec") && !k.equals("pitch")) {
              attrs.put(k, e.getTextContent().strip());
            }
          }
        }
        String string = attrs.get("stringNumber");
        String fret = attrs.get("fretNumber");
        if (string != null && fret != null && !Double.isNaN(pitch)) {
          int s = (int) number(string, "stringNumber", source);
          int f = (int) number(fret, "fretNumber", source);
          if (s >= 1 && s <= tuning.length && tuning[s - 1] + f != (int) pitch) {
            // Known quirk: kept as annotated, flagged per event and counted.
            attrs.put("pitchMismatch", Integer.toString(tuning[s - 1] + f));
            mismatches++;
          }
        }
        events.add(NoteEvent.note(onset, offset, pitch, attrs));
      }
    }
    return new Recording(global, events, tuning, assumed, mismatches);
  }

  /** A time in seconds: a finite number >= 0 (a negative onset would land before the audio's first frame). */
  static double time(String s, String field, String source) {
    double v = number(s, field, source);
    if (v < 0) {
      throw new IllegalArgumentException(source + ": " + field + " is negative: " + v);
    }
    return v;
  }

  static double number(String s, String field, String source) {
    try {
      double v = Double.parseDouble(s.strip());
      if (!Double.isFinite(v)) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(source + ": " + field + " is not a number: '" + s.strip() + "'");
    }
  }
}
