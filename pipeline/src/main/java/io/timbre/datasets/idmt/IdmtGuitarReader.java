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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;

/**
 * IDMT-SMT-Guitar V2 ({@code IDMT-SMT-GUITAR_V2/} or the folder itself as root): every {@code audio/<name>.wav} below
 * {@code dataset1/<guitar setting>/}, {@code dataset2/} and {@code dataset3/}, paired with
 * {@code annotation/<name>.xml} beside it (the {@code instrumentRecording} schema: notes with pitch, onset, offset,
 * string, fret, excitation and expression style).
 *
 * <p>Quirks handled: the Lick11 XML whose stem carries an extra suffix ({@code …VSBHD}) is paired by unique prefix;
 * events whose pitch differs from tuning + fret are kept as annotated and flagged ({@code pitchMismatch}); a missing
 * {@code instrumentTuning} means standard tuning (40, 45, 50, 55, 59, 64), tagged {@code tuning_assumed}; 16- and
 * 24-bit, mono and stereo WAVs are all read. WAVs without an XML (dataset4's onset-type annotations in .svl/.csv/.txt
 * among them) are quarantined as {@code MissingAnnotation}. Labels are the expression styles annotated; group key is
 * the guitar setting folder in dataset1, the recording name (before its first '_') elsewhere.
 */
public final class IdmtGuitarReader extends GroupSplitReader {
  public static final String NAME = "idmt-guitar";
  public static final String FOLDER = "IDMT-SMT-GUITAR_V2";
  static final int[] STANDARD_TUNING = {40, 45, 50, 55, 59, 64};

  public IdmtGuitarReader() {
    this(DEFAULT_VALIDATION, DEFAULT_TEST, 0L);
  }

  public IdmtGuitarReader(double validationFraction, double testFraction, long seed) {
    super(NAME, "IDMT-SMT-Guitar", 44100, validationFraction, testFraction, seed);
  }

  @Override
  protected void list(DatasetRoot root, AudioProbe probe, List<ClipRef> clips,
      List<QuarantineRecord> quarantine) throws IOException {
    org.apache.hadoop.fs.Path dir = root.subfolderOrSelf(FOLDER);
    List<FileStatus> files = probe.prefetch(root.filesBelow(dir));
    Map<String, FileStatus> xmlByDirAndStem = new TreeMap<>();
    for (FileStatus f : files) {
      if (LayoutFiles.hasExtension(f.getPath().getName(), "xml")
          && f.getPath().getParent().getName().equals("annotation")) {
        xmlByDirAndStem.put(f.getPath().getParent().getParent().toString() + "|"
            + LayoutFiles.stem(f.getPath().getName()), f);
      }
    }
    Set<String> usedXml = new HashSet<>();
    boolean any = false;
    for (FileStatus f : files) {
      String name = f.getPath().getName();
      if (!LayoutFiles.hasExtension(name, "wav")) {
        continue;
      }
      any = true;
      String path = f.getPath().toString();
      String rel = root.relative(f.getPath());
      String dataset = rel.contains("dataset1/") ? "dataset1" : rel.contains("dataset2/") ? "dataset2"
          : rel.contains("dataset3/") ? "dataset3" : rel.contains("dataset4/") ? "dataset4" : "other";
      org.apache.hadoop.fs.Path recordingDir = f.getPath().getParent().getParent();
      String stem = LayoutFiles.stem(name);
      FileStatus xml = xmlByDirAndStem.get(recordingDir + "|" + stem);
      if (xml == null) {
        xml = uniquePrefixMatch(xmlByDirAndStem, recordingDir + "|" + stem);
      }
      if (xml == null) {
        quarantine.add(new QuarantineRecord(path, NAME, Stage.ANNOTATE, "MissingAnnotation", path + ": no "
            + stem + ".xml in " + recordingDir.getName() + "/annotation/" + (dataset.equals("dataset4")
            ? " (dataset4's .svl/.csv onset annotations are not read)" : "")));
        continue;
      }
      usedXml.add(xml.getPath().toString());
      InstrumentRecordingXml.Recording rec;
      try (InputStream in = root.open(xml.getPath())) {
        rec = InstrumentRecordingXml.parse(Xml.parse(in, xml.getPath().toString()).getDocumentElement(),
            xml.getPath().toString(), STANDARD_TUNING);
      } catch (IOException | IllegalArgumentException e) {
        quarantine.add(new QuarantineRecord(path, NAME, Stage.ANNOTATE, "BadAnnotation", path + ": "
            + e.getMessage()));
        continue;
      }
      if (probe.probe(f, quarantine) == null) {
        continue;
      }
      SortedMap<String, String> tags = new TreeMap<>();
      rec.global().forEach((k, v) -> tags.put("xml_" + k, v));
      tags.put("subset", dataset);
      tags.put("tuning_assumed", rec.tuningAssumed() ? "yes" : "no");
      tags.put("pitch_mismatches", Integer.toString(rec.pitchMismatches()));
      tags.put("annotation", root.relative(xml.getPath()));
      List<String> labels = rec.events().stream().map(e -> e.attributes().getOrDefault("expressionStyle", ""))
          .filter(s -> !s.isEmpty()).distinct().sorted().toList();
      String group = dataset.equals("dataset1") ? "dataset1/" + recordingDir.getName()
          : dataset + "/" + stem.split("_")[0];
      List<NoteEvent> events = new ArrayList<>(rec.events());
      events.sort(java.util.Comparator.comparingDouble(NoteEvent::onsetSec));
      clips.add(new ClipRef(rel, NAME, List.of(path), ClipRef.TRAIN, labels, tags, events, List.of(),
          "idmt-guitar:" + group, f.getLen()));
    }
    if (!any) {
      throw new DatasetException("Cannot read IDMT-SMT-Guitar: no .wav files under " + dir);
    }
    for (FileStatus xml : xmlByDirAndStem.values()) {
      if (!usedXml.contains(xml.getPath().toString())) {
        quarantine.add(new QuarantineRecord(xml.getPath().toString(), NAME, Stage.LIST, "AnnotationWithoutAudio",
            xml.getPath() + ": no matching .wav in audio/"));
      }
    }
  }

  /** The XML in the same recording folder whose stem starts with the WAV's stem, if exactly one does. */
  private static FileStatus uniquePrefixMatch(Map<String, FileStatus> xmls, String key) {
    FileStatus found = null;
    for (Map.Entry<String, FileStatus> e : xmls.entrySet()) {
      if (e.getKey().startsWith(key) && e.getKey().length() > key.length()) {
        if (found != null) {
          return null;
        }
        found = e.getValue();
      }
    }
    return found;
  }
}
