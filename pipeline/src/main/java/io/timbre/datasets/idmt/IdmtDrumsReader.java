package io.timbre.datasets.idmt;

import io.timbre.datasets.AudioProbe;
import io.timbre.datasets.ClipRef;
import io.timbre.datasets.DatasetException;
import io.timbre.datasets.DatasetRoot;
import io.timbre.datasets.GroupSplitReader;
import io.timbre.datasets.LayoutFiles;
import io.timbre.datasets.NoteEvent;
import io.timbre.datasets.QuarantineRecord;
import io.timbre.datasets.QuarantineRecord.Stage;
import io.timbre.datasets.Xml;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.w3c.dom.Element;

/**
 * IDMT-SMT-Drums V2 as unpacked ({@code IDMT-SMT-DRUMS-V2/} or the folder itself as root):
 *
 * <pre>
 * audio/&lt;Kit&gt;&lt;NN&gt;_&lt;MM&gt;#MIX.wav, #HH.wav, #KD.wav, #SD.wav, &lt;base&gt;#HH#train.wav …
 * annotation_xml/&lt;base&gt;#MIX.xml          (transcription/event: pitch, onsetSec, offsetSec, instrument)
 * annotation_svl/&lt;base&gt;#HH.svl, #KD.svl, #SD.svl   (Sonic Visualiser points: frame / sampleRate)
 * </pre>
 *
 * <p>One clip per mix: the mix first in {@code audioPaths}, then its stems; events from the XML (or, where it is
 * missing, from the three SVL layers) as onsets labelled KD, SD or HH; labels = the instruments annotated. Isolated
 * training hits are attached as tags. Group key = kit and kit number ({@code RealDrum01}), so takes of one kit never
 * straddle splits; no official split exists, so clips are split by seed.
 */
public final class IdmtDrumsReader extends GroupSplitReader {
  public static final String NAME = "idmt-drums";
  public static final String FOLDER = "IDMT-SMT-DRUMS-V2";
  public static final List<String> INSTRUMENTS = List.of("HH", "KD", "SD");
  public static final int SAMPLE_RATE = 44100;
  static final Pattern MIX = Pattern.compile("^((RealDrum|WaveDrum|TechnoDrum)(\\d+)_(\\d+))#MIX\\.wav$");
  static final Pattern STEM = Pattern.compile("^(.+)#(HH|KD|SD)(#train)?\\.wav$");

  public IdmtDrumsReader() {
    this(DEFAULT_VALIDATION, DEFAULT_TEST, 0L);
  }

  public IdmtDrumsReader(double validationFraction, double testFraction, long seed) {
    super(NAME, "IDMT-SMT-Drums", SAMPLE_RATE, validationFraction, testFraction, seed);
  }

  @Override
  protected void list(DatasetRoot root, AudioProbe probe, List<ClipRef> clips,
      List<QuarantineRecord> quarantine) throws IOException {
    org.apache.hadoop.fs.Path dir = root.subfolderOrSelf(FOLDER);
    FileStatus audio = root.child(dir, "audio");
    if (audio == null || !audio.isDirectory()) {
      throw new DatasetException("Cannot read IDMT-SMT-Drums: no audio/ folder under " + dir);
    }
    Map<String, FileStatus> xmls = byName(root, root.child(dir, "annotation_xml"));
    Map<String, FileStatus> svls = byName(root, root.child(dir, "annotation_svl"));
    Map<String, FileStatus> audioFiles = byName(root, audio);
    probe.prefetch(audioFiles.values());
    java.util.Set<String> used = new java.util.HashSet<>();
    for (FileStatus f : audioFiles.values()) {
      String name = f.getPath().getName();
      Matcher m = MIX.matcher(name);
      if (!m.matches()) {
        continue;
      }
      String b = m.group(1);
      String path = f.getPath().toString();
      used.add(name);
      // The mix's companions belong to it whatever becomes of it: never reported as orphans.
      for (String inst : INSTRUMENTS) {
        used.add(b + "#" + inst + ".wav");
        used.add(b + "#" + inst + "#train.wav");
        used.add(b + "#" + inst + ".svl");
      }
      used.add(b + "#MIX.xml");
      List<NoteEvent> events = null;
      FileStatus xml = xmls.get(b + "#MIX.xml");
      if (xml != null) {
        used.add(xml.getPath().getName());
        try (InputStream in = root.open(xml.getPath())) {
          events = xmlEvents(Xml.parse(in, xml.getPath().toString()).getDocumentElement(), xml.getPath()
              .toString());
        } catch (IOException | IllegalArgumentException e) {
          quarantine.add(new QuarantineRecord(path, NAME, Stage.ANNOTATE, "BadAnnotation", path + ": "
              + e.getMessage()));
          continue;
        }
      }
      List<NoteEvent> svlEvents = svlLayers(root, svls, b, used, quarantine);
      if (events == null) {
        if (svlEvents == null || svlEvents.isEmpty()) {
          quarantine.add(new QuarantineRecord(path, NAME, Stage.ANNOTATE, "MissingAnnotation", path
              + ": no usable annotation (" + b + "#MIX.xml or the " + b + "#HH/KD/SD.svl layers)"));
          continue;
        }
        events = svlEvents;
      }
      if (probe.probe(f, quarantine) == null) {
        continue;
      }
      events = new ArrayList<>(events);
      events.sort(Comparator.comparingDouble(NoteEvent::onsetSec).thenComparing(NoteEvent::label));
      List<String> paths = new ArrayList<>(List.of(path));
      java.util.SortedMap<String, String> tags = new TreeMap<>();
      for (String inst : INSTRUMENTS) {
        FileStatus stem = audioFiles.get(b + "#" + inst + ".wav");
        if (stem != null) {
          paths.add(stem.getPath().toString());
          used.add(stem.getPath().getName());
          tags.put("stem_" + inst, root.relative(stem.getPath()));
        }
        FileStatus train = audioFiles.get(b + "#" + inst + "#train.wav");
        if (train != null) {
          used.add(train.getPath().getName());
          tags.put("train_" + inst, root.relative(train.getPath()));
        }
      }
      tags.put("kit", m.group(2));
      tags.put("kit_nr", m.group(3));
      tags.put("take", m.group(4));
      tags.put("annotation", xml != null ? "xml" : "svl");
      List<String> labels = events.stream().map(NoteEvent::label).distinct().sorted().toList();
      clips.add(new ClipRef(root.relative(f.getPath()), NAME, paths, ClipRef.TRAIN, labels, tags, events,
          List.of(), "idmt-drums:" + m.group(2) + m.group(3), f.getLen()));
    }
    reportUnused(List.of(audioFiles, xmls, svls), used, quarantine);
  }

  /**
   * The onsets of a mix's Sonic Visualiser layers (one per instrument present); null when a layer cannot be read (it
   * is quarantined): the mix is then annotated by its XML or not at all.
   */
  private static List<NoteEvent> svlLayers(DatasetRoot root, Map<String, FileStatus> svls, String base,
      java.util.Set<String> used, List<QuarantineRecord> quarantine) {
    List<NoteEvent> events = new ArrayList<>();
    boolean ok = true;
    for (String inst : INSTRUMENTS) {
      FileStatus svl = svls.get(base + "#" + inst + ".svl");
      if (svl == null) {
        continue;
      }
      used.add(svl.getPath().getName());
      try (InputStream in = root.open(svl.getPath())) {
        events.addAll(svlOnsets(Xml.parse(in, svl.getPath().toString(), true).getDocumentElement(), inst,
            svl.getPath().toString()));
      } catch (IOException | IllegalArgumentException e) {
        ok = false;
        quarantine.add(new QuarantineRecord(svl.getPath().toString(), NAME, Stage.ANNOTATE, "BadAnnotation",
            svl.getPath() + ": " + e.getMessage()));
      }
    }
    return ok ? events : null;
  }

  /** Every file no mix claimed: an orphaned stem or annotation, or a file that is not part of the layout. */
  private static void reportUnused(List<Map<String, FileStatus>> folders, java.util.Set<String> used,
      List<QuarantineRecord> quarantine) {
    for (Map<String, FileStatus> files : folders) {
      for (FileStatus f : files.values()) {
        String name = f.getPath().getName();
        if (used.contains(name) || LayoutFiles.isDocumentationOrLitter(name)) {
          continue;
        }
        boolean stemOrAnnotation = STEM.matcher(name).matches() || name.endsWith(".xml") || name.endsWith(".svl");
        quarantine.add(new QuarantineRecord(f.getPath().toString(), NAME, Stage.LIST,
            stemOrAnnotation ? "OrphanFile" : "UnexpectedFile", f.getPath() + (stemOrAnnotation
                ? ": no <Kit><NN>_<MM>#MIX.wav it belongs to" : ": not part of the IDMT-SMT-Drums layout")));
      }
    }
  }

  private static Map<String, FileStatus> byName(DatasetRoot root, FileStatus dir) throws IOException {
    Map<String, FileStatus> m = new TreeMap<>();
    if (dir != null && dir.isDirectory()) {
      for (FileStatus f : root.children(dir.getPath())) {
        if (f.isFile()) {
          m.put(f.getPath().getName(), f);
        }
      }
    }
    return m;
  }

  /** transcription/event → onsets labelled by instrument. */
  static List<NoteEvent> xmlEvents(Element root, String source) {
    List<NoteEvent> out = new ArrayList<>();
    for (Element t : Xml.all(root, "transcription")) {
      for (Element e : Xml.children(t, "event")) {
        String inst = Xml.text(e, "instrument");
        String onset = Xml.text(e, "onsetSec");
        if (inst == null || onset == null || !INSTRUMENTS.contains(inst)) {
          throw new IllegalArgumentException(source + ": event without a valid instrument (HH, KD, SD) and "
              + "onsetSec: instrument=" + inst + " onsetSec=" + onset);
        }
        double on = InstrumentRecordingXml.time(onset, "onsetSec", source);
        String off = Xml.text(e, "offsetSec");
        String pitch = Xml.text(e, "pitch");
        out.add(new NoteEvent(on, off == null ? Double.NaN : InstrumentRecordingXml.time(off, "offsetSec", source),
            pitch == null ? Double.NaN : number(pitch, "pitch", source), inst, new TreeMap<>()));
      }
    }
    return out;
  }

  /** Sonic Visualiser point layer → onsets at frame / sampleRate. */
  static List<NoteEvent> svlOnsets(Element sv, String inst, String source) {
    Element model = Xml.all(sv, "model").stream().findFirst()
        .orElseThrow(() -> new IllegalArgumentException(source + ": no <model> element"));
    double rate = number(model.getAttribute("sampleRate"), "model@sampleRate", source);
    if (rate <= 0) {
      throw new IllegalArgumentException(source + ": model@sampleRate " + rate);
    }
    List<NoteEvent> out = new ArrayList<>();
    for (Element p : Xml.all(sv, "point")) {
      double frame = number(p.getAttribute("frame"), "point@frame", source);
      double onset = frame / rate;
      if (frame < 0 || !Double.isFinite(onset)) {
        throw new IllegalArgumentException(source + ": point@frame " + frame + " at " + rate + " Hz is not a time >= 0");
      }
      out.add(NoteEvent.onset(onset, inst));
    }
    return out;
  }

  private static double number(String s, String field, String source) {
    try {
      double v = Double.parseDouble(s.strip());
      if (!Double.isFinite(v)) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(source + ": " + field + " is not a number: '" + s + "'");
    }
  }
}
