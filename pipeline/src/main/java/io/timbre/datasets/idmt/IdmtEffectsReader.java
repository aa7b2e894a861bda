package io.timbre.datasets.idmt;

import io.timbre.datasets.AudioProbe;
import io.timbre.datasets.ClipRef;
import io.timbre.datasets.DatasetException;
import io.timbre.datasets.DatasetRoot;
import io.timbre.datasets.GroupSplitReader;
import io.timbre.datasets.LayoutFiles;
import io.timbre.datasets.QuarantineRecord;
import io.timbre.datasets.QuarantineRecord.Stage;
import io.timbre.datasets.Xml;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.w3c.dom.Element;

/**
 * IDMT-SMT-Audio-Effects (Stein et al. 2010) as unpacked (the release's nested zips extracted in place):
 *
 * <pre>
 * Bass monophon[2]/Samples/&lt;EffectFolder&gt;/&lt;ABC-DDEFF-GHHI-KKKKK&gt;.wav   Lists/&lt;EffectFolder&gt;/&lt;list&gt;.xml
 * Gitarre monophon[2]/…   Gitarre polyphon[2]/…
 * </pre>
 *
 * <p>Every label is decoded from the file name (instrument, instrument setting, play style, MIDI pitch, string and
 * fret — or root and chord type for polyphonic files —, fx group, type and setting, running number) and checked
 * against the folder; the XML lists are cross-checked against it and their list ids attached. The "…2" folders are the
 * second halves of the same subsets, so audio is indexed across both (a list in the first half names files stored
 * in the second). The class label is the effect folder (12 classes; {@code EQ} is fx type 12, the amp simulation).
 * There is no official split: clips are split by seed with the clean note (A, B, C and DDEFF) as the group, so a
 * note's 33 effect variants never straddle train and test.
 */
public final class IdmtEffectsReader extends GroupSplitReader {
  public static final String NAME = "idmt-effects";
  public static final List<String> SUBSETS = List.of("Bass monophon", "Gitarre monophon", "Gitarre polyphon");
  public static final int SAMPLE_RATE = 44100;
  static final Pattern FILE = Pattern.compile("^([BGP])(\\d)(\\d)-(\\d{5})-(\\d)(\\d{2})(\\d)-(\\d+)\\.wav$");

  /** 70/15/15 split by clean note, seed 0. */
  public IdmtEffectsReader() {
    this(DEFAULT_VALIDATION, DEFAULT_TEST, 0L);
  }

  public IdmtEffectsReader(double validationFraction, double testFraction, long seed) {
    super(NAME, "IDMT-SMT-Audio-Effects", SAMPLE_RATE, validationFraction, testFraction, seed);
  }

  @Override
  protected void list(DatasetRoot root, AudioProbe probe, List<ClipRef> clips,
      List<QuarantineRecord> quarantine) throws IOException {
    boolean found = false;
    for (String subset : SUBSETS) {
      Map<String, Integer> clipIndexByFileId = new HashMap<>();
      List<FileStatus> lists = new ArrayList<>();
      for (String half : List.of("", "2")) {
        FileStatus dir = root.child(root.path(), subset + half);
        if (dir == null || !dir.isDirectory()) {
          continue;
        }
        found = true;
        for (FileStatus f : probe.prefetch(root.filesBelow(dir.getPath()))) {
          String rel = root.relative(f.getPath());
          String[] parts = rel.split("/");
          String name = f.getPath().getName();
          if (parts.length == 4 && parts[1].equals("Samples") && LayoutFiles.hasExtension(name, "wav")) {
            ClipRef clip = sample(root, f, subset, half, parts[2], probe, quarantine);
            if (clip != null) {
              clipIndexByFileId.put(LayoutFiles.stem(name), clips.size());
              clips.add(clip);
            }
          } else if (parts.length == 4 && parts[1].equals("Lists") && LayoutFiles.hasExtension(name, "xml")) {
            lists.add(f);
          } else if (!LayoutFiles.isDocumentationOrLitter(name)) {
            quarantine.add(new QuarantineRecord(f.getPath().toString(), NAME, Stage.LIST, "UnexpectedFile",
                f.getPath() + ": not part of the layout (<subset>/Samples/<Effect>/<id>.wav or "
                    + "<subset>/Lists/<Effect>/<list>.xml)"));
          }
        }
      }
      for (FileStatus list : lists) {
        crossCheck(root, list, clips, clipIndexByFileId, quarantine);
      }
    }
    if (!found) {
      boolean zips = root.children(root.path()).stream()
          .anyMatch(s -> LayoutFiles.hasExtension(s.getPath().getName(), "zip"));
      throw new DatasetException("Cannot read IDMT-SMT-Audio-Effects: none of the folders "
          + String.join(", ", SUBSETS) + " (or their '2' halves) under " + root
          + (zips ? "; the release ships them as nested zips: unzip them in place first" : ""));
    }
  }

  private ClipRef sample(DatasetRoot root, FileStatus f, String subset, String half, String folder,
      AudioProbe probe, List<QuarantineRecord> quarantine) {
    String path = f.getPath().toString();
    String name = f.getPath().getName();
    Matcher m = FILE.matcher(name);
    if (!m.matches()) {
      quarantine.add(new QuarantineRecord(path, NAME, Stage.LIST, "BadFileName", path
          + ": not an IDMT effects name (ABC-DDEFF-GHHI-KKKKK.wav)"));
      return null;
    }
    Map<String, String> tags = new TreeMap<>();
    String a = m.group(1);
    String ddeff = m.group(4);
    int group = Integer.parseInt(m.group(5));
    int type = Integer.parseInt(m.group(6));
    int setting = Integer.parseInt(m.group(7));
    String expectedA = subset.startsWith("Bass") ? "B" : subset.endsWith("polyphon") ? "P" : "G";
    EffectType fx = EffectType.ofCode(type);
    EffectType byFolder = EffectType.ofFolder(folder);
    String problem = null;
    if (!a.equals(expectedA)) {
      problem = "instrument code '" + a + "' in the subset '" + subset + half + "' (expected " + expectedA + ")";
    } else if (fx == null) {
      problem = "unknown fx type " + type;
    } else if (byFolder == null) {
      problem = "unknown effect folder '" + folder + "'";
    } else if (fx != byFolder) {
      problem = "fx type " + type + " (" + fx.folder() + ") in the folder '" + folder + "'";
    } else if (group != fx.group()) {
      problem = "fx group " + group + " but fx type " + type + " belongs to group " + fx.group();
    } else if (setting < 1 || setting > fx.settings()) {
      problem = "fx setting " + setting + " (" + fx.folder() + " has 1 to " + fx.settings() + ")";
    }
    if (problem != null) {
      quarantine.add(new QuarantineRecord(path, NAME, Stage.ANNOTATE,
          problem.startsWith("unknown") ? "UnknownLabel" : "LabelMismatch", path + ": " + problem));
      return null;
    }
    if (probe.probe(f, quarantine) == null) {
      return null;
    }
    tags.put("instrument", switch (a) {
      case "B" -> "bass";
      case "G" -> "guitar";
      default -> "guitar_polyphonic";
    });
    tags.put("instrument_setting", m.group(2));
    tags.put("play_style", m.group(3));
    if (a.equals("P")) {
      tags.put("midi_root", ddeff.substring(0, 2));
      tags.put("chord_type", ddeff.substring(2, 4));
    } else {
      tags.put("midi", ddeff.substring(0, 2));
      tags.put("string", ddeff.substring(2, 3));
      tags.put("fret", ddeff.substring(3, 5));
    }
    tags.put("fx_group", Integer.toString(group));
    tags.put("fx_group_name", EffectType.groupName(group));
    tags.put("fx_type", Integer.toString(type));
    tags.put("fx_setting", Integer.toString(setting));
    tags.put("file_nr", m.group(8));
    tags.put("subset", subset);
    tags.put("half", half.isEmpty() ? "1" : "2");
    String cleanNote = a + m.group(2) + m.group(3) + "-" + ddeff;
    return ClipRef.of(root.relative(f.getPath()), NAME, path, ClipRef.TRAIN, List.of(fx.folder()), tags,
        "idmt-fx:" + cleanNote, f.getLen());
  }

  /** Checks an XML list against the clips its entries name; attaches list ids; quarantines disagreements. */
  private void crossCheck(DatasetRoot root, FileStatus list, List<ClipRef> clips, Map<String, Integer> index,
      List<QuarantineRecord> quarantine) {
    String listPath = list.getPath().toString();
    Element content;
    try (InputStream in = root.open(list.getPath())) {
      content = Xml.parse(in, listPath).getDocumentElement();
    } catch (IOException e) {
      quarantine.add(new QuarantineRecord(listPath, NAME, Stage.ANNOTATE, "BadXml", e.getMessage()));
      return;
    }
    Element info = Xml.children(content, "listinformation").stream().findFirst().orElse(null);
    String listId = info == null ? null : Xml.text(info, "listID");
    for (Element af : Xml.children(content, "audiofile")) {
      String fileId = Xml.text(af, "fileID");
      if (fileId == null) {
        continue;
      }
      Integer i = index.get(fileId);
      if (i == null) {
        quarantine.add(new QuarantineRecord(listPath + "#" + fileId, NAME, Stage.ANNOTATE, "ListedAudioMissing",
            listPath + ": lists " + fileId + " but no such .wav is in either half of the subset"));
        continue;
      }
      ClipRef clip = clips.get(i);
      if (clip == null) {
        continue;
      }
      String mismatch = compare(clip, af);
      if (mismatch != null) {
        quarantine.add(new QuarantineRecord(clip.audioPath(), NAME, Stage.ANNOTATE, "XmlMismatch",
            clip.audioPath() + ": " + listPath + " says " + mismatch));
        clips.set(i, null); // removed after all lists are checked (indices stay valid meanwhile)
        continue;
      }
      if (listId != null) {
        clips.set(i, clip.withTag("list_id", listId));
      }
    }
  }

  private static String compare(ClipRef clip, Element af) {
    String[][] fields = {{"fxtype", "fx_type"}, {"fxsetting", "fx_setting"}, {"fxgroup", "fx_group"},
        {"playstyle", "play_style"}, {"instrumentsetting", "instrument_setting"}};
    for (String[] f : fields) {
      String xml = Xml.text(af, f[0]);
      String name = clip.tags().get(f[1]);
      if (xml != null && name != null && !stripZeros(xml).equals(stripZeros(name))) {
        return f[0] + " " + xml + " but the file name says " + name;
      }
    }
    return null;
  }

  private static String stripZeros(String s) {
    String t = s.replaceFirst("^0+(?=.)", "");
    return t;
  }
}
