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
import io.timbre.datasets.TimeSeries;
import io.timbre.datasets.Xml;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;

/**
 * IDMT-SMT-Bass-Single-Track ({@code IDMT-SMT-BASS-SINGLE-TRACKS/} or the folder itself):
 * {@code audio/<id>.wav}, {@code annotation/<id>.xml} (instrumentRecording notes; tuning 28,33,38,43) and
 * {@code misc/beats_csv/<id>_beats.csv} (rows {@code time_s,bar.beat}). One clip per track with the notes as events and
 * the beats as a series (columns bar and beat). Group key = the track id up to its first '_'.
 */
public final class IdmtBassSingleTrackReader extends GroupSplitReader {
  public static final String NAME = "idmt-bass-single-track";
  public static final String FOLDER = "IDMT-SMT-BASS-SINGLE-TRACKS";
  static final int[] BASS_TUNING = {28, 33, 38, 43};

  public IdmtBassSingleTrackReader() {
    this(DEFAULT_VALIDATION, DEFAULT_TEST, 0L);
  }

  public IdmtBassSingleTrackReader(double validationFraction, double testFraction, long seed) {
    super(NAME, "IDMT-SMT-Bass-Single-Track", 44100, validationFraction, testFraction, seed);
  }

  @Override
  protected void list(DatasetRoot root, AudioProbe probe, List<ClipRef> clips,
      List<QuarantineRecord> quarantine) throws IOException {
    org.apache.hadoop.fs.Path dir = root.subfolderOrSelf(FOLDER);
    FileStatus audio = root.child(dir, "audio");
    if (audio == null || !audio.isDirectory()) {
      throw new DatasetException("Cannot read IDMT-SMT-Bass-Single-Track: no audio/ folder under " + dir);
    }
    FileStatus annotations = root.child(dir, "annotation");
    FileStatus misc = root.child(dir, "misc");
    FileStatus beatsDir = misc == null ? null : root.child(misc.getPath(), "beats_csv");
    for (FileStatus f : probe.prefetch(root.children(audio.getPath()))) {
      String name = f.getPath().getName();
      String path = f.getPath().toString();
      if (!f.isFile() || !LayoutFiles.hasExtension(name, "wav")) {
        continue;
      }
      String id = LayoutFiles.stem(name);
      FileStatus xml = annotations == null ? null : root.child(annotations.getPath(), id + ".xml");
      if (xml == null) {
        quarantine.add(new QuarantineRecord(path, NAME, Stage.ANNOTATE, "MissingAnnotation", path + ": no "
            + "annotation/" + id + ".xml"));
        continue;
      }
      InstrumentRecordingXml.Recording rec;
      try (InputStream in = root.open(xml.getPath())) {
        rec = InstrumentRecordingXml.parse(Xml.parse(in, xml.getPath().toString()).getDocumentElement(),
            xml.getPath().toString(), BASS_TUNING);
      } catch (IOException | IllegalArgumentException e) {
        quarantine.add(new QuarantineRecord(path, NAME, Stage.ANNOTATE, "BadAnnotation", path + ": "
            + e.getMessage()));
        continue;
      }
      List<TimeSeries> series = new ArrayList<>();
      FileStatus beats = beatsDir == null ? null : root.child(beatsDir.getPath(), id + "_beats.csv");
      if (beats != null) {
        try {
          series.add(beats(root.readText(beats.getPath(), 8 << 20)));
        } catch (IllegalArgumentException e) {
          quarantine.add(new QuarantineRecord(beats.getPath().toString(), NAME, Stage.ANNOTATE, "BadAnnotation",
              beats.getPath() + ": " + e.getMessage()));
        }
      }
      if (probe.probe(f, quarantine) == null) {
        continue;
      }
      SortedMap<String, String> tags = new TreeMap<>();
      rec.global().forEach((k, v) -> tags.put("xml_" + k, v));
      tags.put("pitch_mismatches", Integer.toString(rec.pitchMismatches()));
      tags.put("has_beats", series.isEmpty() ? "no" : "yes");
      List<NoteEvent> events = new ArrayList<>(rec.events());
      events.sort(Comparator.comparingDouble(NoteEvent::onsetSec));
      clips.add(new ClipRef(root.relative(f.getPath()), NAME, List.of(path), ClipRef.TRAIN, List.of(), tags,
          events, series, "idmt-bass-st:" + id.split("_")[0], f.getLen()));
    }
  }

  /** Rows {@code time_s,bar.beat} → series with columns bar and beat. */
  static TimeSeries beats(String text) {
    List<double[]> rows = new ArrayList<>();
    String[] lines = text.split("\r\n|\r|\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] c = line.split(",");
      if (c.length != 2 || !c[1].strip().matches("\\d+\\.\\d+")) {
        throw new IllegalArgumentException("line " + (i + 1) + ": expected 'time_s,bar.beat', got '" + line + "'");
      }
      String[] bb = c[1].strip().split("\\.");
      double t;
      try {
        t = Double.parseDouble(c[0].strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("line " + (i + 1) + ": time is not a number: '" + c[0].strip() + "'");
      }
      rows.add(new double[] {t, Integer.parseInt(bb[0]), Integer.parseInt(bb[1])});
    }
    double[] times = new double[rows.size()];
    double[][] cols = new double[2][rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      times[i] = rows.get(i)[0];
      cols[0][i] = rows.get(i)[1];
      cols[1][i] = rows.get(i)[2];
    }
    return new TimeSeries("beats", times, List.of("bar", "beat"), cols);
  }
}
