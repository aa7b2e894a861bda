package io.timbre.datasets.idmt;

import io.timbre.datasets.AudioProbe;
import io.timbre.datasets.ClipRef;
import io.timbre.datasets.DatasetException;
import io.timbre.datasets.DatasetRoot;
import io.timbre.datasets.GroupSplitReader;
import io.timbre.datasets.LayoutFiles;
import io.timbre.datasets.QuarantineRecord;
import io.timbre.datasets.QuarantineRecord.Stage;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;

/**
 * IDMT-SMT-Bass isolated notes ({@code IDMT-SMT-BASS/} or the folder itself as root), in the layout one public path
 * shows: {@code <PS|ES>/<technique>/BS_<bass>_EQ_<eq>_<pluck>_<expression>_<a>_<b>.wav} — PS the plucking-style set
 * (FS finger, PK pick, MU muted, ST slap-thumb, SP slap-pluck), ES the expression-style set (NO, VI vibrato, BE bend,
 * HA harmonic, DN dead note). The layout is inferred from that path and the paper (datasets.md marks it [I]): the
 * reader is strict about it and quarantines what does not fit, naming the rule. Label = the technique folder,
 * checked against the name; group key = bass and EQ setting (one recording set-up).
 */
public final class IdmtBassReader extends GroupSplitReader {
  public static final String NAME = "idmt-bass";
  public static final String FOLDER = "IDMT-SMT-BASS";
  public static final Set<String> PLUCKING = Set.of("FS", "PK", "MU", "ST", "SP");
  public static final Set<String> EXPRESSION = Set.of("NO", "VI", "BE", "HA", "DN");
  static final Pattern FILE =
      Pattern.compile("^BS_(\\d+)_EQ_(\\d+)_([A-Z]{2})_([A-Z]{2})_(\\d+)_(\\d+)\\.wav$");

  public IdmtBassReader() {
    this(DEFAULT_VALIDATION, DEFAULT_TEST, 0L);
  }

  public IdmtBassReader(double validationFraction, double testFraction, long seed) {
    super(NAME, "IDMT-SMT-Bass", 44100, validationFraction, testFraction, seed);
  }

  @Override
  protected void list(DatasetRoot root, AudioProbe probe, List<ClipRef> clips,
      List<QuarantineRecord> quarantine) throws IOException {
    org.apache.hadoop.fs.Path dir = root.subfolderOrSelf(FOLDER);
    boolean any = false;
    for (String set : List.of("PS", "ES")) {
      FileStatus setDir = root.child(dir, set);
      if (setDir == null || !setDir.isDirectory()) {
        continue;
      }
      any = true;
      for (FileStatus f : probe.prefetch(root.filesBelow(setDir.getPath()))) {
        String name = f.getPath().getName();
        String path = f.getPath().toString();
        if (!LayoutFiles.hasExtension(name, "wav")) {
          if (!LayoutFiles.isDocumentationOrLitter(name)) {
            quarantine.add(new QuarantineRecord(path, NAME, Stage.LIST, "UnexpectedFile", path
                + ": not a .wav in the " + set + " set"));
          }
          continue;
        }
        String technique = f.getPath().getParent().getName();
        Matcher m = FILE.matcher(name);
        Set<String> allowed = set.equals("PS") ? PLUCKING : EXPRESSION;
        if (!m.matches()) {
          quarantine.add(new QuarantineRecord(path, NAME, Stage.LIST, "BadFileName", path
              + ": not BS_<bass>_EQ_<eq>_<pluck>_<expression>_<a>_<b>.wav"));
          continue;
        }
        String named = set.equals("PS") ? m.group(3) : m.group(4);
        if (!allowed.contains(technique)) {
          quarantine.add(new QuarantineRecord(path, NAME, Stage.ANNOTATE, "UnknownLabel", path
              + ": technique folder '" + technique + "' is not one of " + new java.util.TreeSet<>(allowed)));
          continue;
        }
        if (!named.equals(technique) || !PLUCKING.contains(m.group(3)) || !EXPRESSION.contains(m.group(4))) {
          quarantine.add(new QuarantineRecord(path, NAME, Stage.ANNOTATE, "LabelMismatch", path
              + ": name says pluck " + m.group(3) + ", expression " + m.group(4) + " but it is in " + set + "/"
              + technique));
          continue;
        }
        if (probe.probe(f, quarantine) == null) {
          continue;
        }
        Map<String, String> tags = new TreeMap<>();
        tags.put("set", set);
        tags.put("bass", m.group(1));
        tags.put("eq", m.group(2));
        tags.put("plucking_style", m.group(3));
        tags.put("expression_style", m.group(4));
        tags.put("index_a", m.group(5));
        tags.put("index_b", m.group(6));
        clips.add(ClipRef.of(root.relative(f.getPath()), NAME, path, ClipRef.TRAIN, List.of(technique), tags,
            "idmt-bass:BS_" + m.group(1) + "_EQ_" + m.group(2), f.getLen()));
      }
    }
    if (!any) {
      throw new DatasetException("Cannot read IDMT-SMT-Bass: no PS/ or ES/ folder under " + dir);
    }
  }
}
