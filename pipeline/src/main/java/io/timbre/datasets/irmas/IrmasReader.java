package io.timbre.datasets.irmas;

import io.timbre.datasets.AudioProbe;
import io.timbre.datasets.ClipRef;
import io.timbre.datasets.DatasetException;
import io.timbre.datasets.DatasetListing;
import io.timbre.datasets.DatasetReader;
import io.timbre.datasets.DatasetRoot;
import io.timbre.datasets.GroupSplitter;
import io.timbre.datasets.QuarantineRecord;
import io.timbre.datasets.QuarantineRecord.Stage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;

/**
 * IRMAS (Bosch et al. 2012) exactly as unpacked from its four Zenodo zips:
 *
 * <pre>
 * IRMAS-TrainingData/&lt;inst&gt;/[&lt;inst&gt;][&lt;genre&gt;]&lt;NNNN&gt;__&lt;k&gt;.wav
 * IRMAS-TrainingData/&lt;inst&gt;/&lt;PPP&gt;__[&lt;inst&gt;][dru|nod][&lt;genre&gt;]&lt;NNNN&gt;__&lt;k&gt;.wav
 * IRMAS-TestingData-Part1/Part1/&lt;title&gt;-&lt;n&gt;.wav + .txt
 * IRMAS-TestingData-Part2/IRTestingData-Part2/&lt;title&gt;-&lt;n&gt;.wav + .txt
 * IRMAS-TestingData-Part3/Part3/&lt;title&gt;-&lt;n&gt;.wav + .txt
 * </pre>
 *
 * <p>Training clips are single-label (folder = first tag; a mismatch is quarantined), with genre, drums and source
 * tags; test excerpts are multi-label from their .txt (one code per line, trailing whitespace stripped). Clip ids
 * are relative paths, so the 45 files whose {@code NNNN__k} collides across instrument folders are all kept. Group
 * keys: the source recording {@code NNNN} for training, the song title (the name before {@code -<n>}) for testing.
 * The genre code {@code cla} (classical) and the instrument code {@code cla} (clarinet) are kept apart by position.
 */
public final class IrmasReader implements DatasetReader {
  public static final String NAME = "irmas";
  /** The 11 instrument codes, in the order of the dataset's documentation. */
  public static final List<String> INSTRUMENTS = List.of("cel", "cla", "flu", "gac", "gel", "org", "pia", "sax",
      "tru", "vio", "voi");
  public static final Set<String> GENRES = Set.of("cou_fol", "cla", "pop_roc", "lat_sou", "jaz_blu");
  public static final String TRAINING_DIR = "IRMAS-TrainingData";
  public static final List<String> TESTING_DIRS = List.of("IRMAS-TestingData-Part1", "IRMAS-TestingData-Part2",
      "IRMAS-TestingData-Part3");
  public static final int SAMPLE_RATE = 44100;

  static final Pattern TRAIN_PLAIN = Pattern.compile("^\\[(\\w{3})\\]\\[(\\w+)\\](\\d{4})__(\\d)\\.wav$");
  static final Pattern TRAIN_DRUMS =
      Pattern.compile("^(\\d{3})__\\[(\\w{3})\\]\\[(dru|nod)\\]\\[(\\w+)\\](\\d{4})__(\\d)\\.wav$");
  static final Pattern TEST_NAME = Pattern.compile("^(.*)-(\\d+)\\.wav$", Pattern.DOTALL);

  private final double validationFraction;
  private final long seed;

  /** Official splits only (train, test). */
  public IrmasReader() {
    this(0.0, 0L);
  }

  /**
   * @param validationFraction share of training source recordings held out as validation (grouped by NNNN); IRMAS
   *     has no official validation set (EUSIPCO 2017 holds out 15 %)
   * @param seed seed of the group split
   */
  public IrmasReader(double validationFraction, long seed) {
    this.validationFraction = validationFraction;
    this.seed = seed;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public DatasetListing read(DatasetRoot root) {
    List<ClipRef> clips = new ArrayList<>();
    List<QuarantineRecord> quarantine = new ArrayList<>();
    AudioProbe probe = new AudioProbe(root, NAME, SAMPLE_RATE);
    boolean found = false;
    try {
      FileStatus training = root.child(root.path(), TRAINING_DIR);
      if (training != null && training.isDirectory()) {
        found = true;
        readTraining(root, training, probe, clips, quarantine);
      }
      for (String part : TESTING_DIRS) {
        FileStatus dir = root.child(root.path(), part);
        if (dir != null && dir.isDirectory()) {
          found = true;
          readTestingPart(root, dir, probe, clips, quarantine);
        }
      }
    } catch (IOException e) {
      throw new DatasetException("Cannot list IRMAS under " + root + ": " + e.getMessage(), e);
    }
    if (!found) {
      throw new DatasetException("Cannot read IRMAS: no " + TRAINING_DIR + " or " + String.join("/", TESTING_DIRS)
          + " folder under " + root);
    }
    if (validationFraction > 0) {
      clips = new GroupSplitter(seed, validationFraction, 0).splitWithin(clips, ClipRef.TRAIN);
    }
    root.reportUnlisted(NAME, quarantine);
    return new DatasetListing(NAME, root.toString(), probe.withDurations(clips), quarantine);
  }

  private void readTraining(DatasetRoot root, FileStatus training, AudioProbe probe, List<ClipRef> clips,
      List<QuarantineRecord> quarantine) throws IOException {
    for (FileStatus classDir : root.children(training.getPath())) {
      if (!classDir.isDirectory()) {
        unexpected(classDir, "a file at the top of " + TRAINING_DIR + " (only instrument folders belong there)",
            quarantine);
        continue;
      }
      String folder = classDir.getPath().getName();
      for (FileStatus f : probe.prefetch(root.filesBelow(classDir.getPath()))) {
        String name = f.getPath().getName();
        String path = f.getPath().toString();
        if (!name.toLowerCase(java.util.Locale.ROOT).endsWith(".wav")) {
          unexpected(f, "not a .wav file in an IRMAS training folder", quarantine);
          continue;
        }
        if (!f.getPath().getParent().equals(classDir.getPath())) {
          unexpected(f, "nested below the instrument folder " + folder, quarantine);
          continue;
        }
        Map<String, String> tags = new TreeMap<>();
        String instrument;
        String genre;
        String source;
        Matcher plain = TRAIN_PLAIN.matcher(name);
        Matcher drums = TRAIN_DRUMS.matcher(name);
        if (plain.matches()) {
          instrument = plain.group(1);
          genre = plain.group(2);
          source = plain.group(3);
          tags.put("excerpt", plain.group(4));
          tags.put("drums", "unknown");
        } else if (drums.matches()) {
          tags.put("prefix", drums.group(1));
          instrument = drums.group(2);
          tags.put("drums", drums.group(3).equals("dru") ? "yes" : "no");
          genre = drums.group(4);
          source = drums.group(5);
          tags.put("excerpt", drums.group(6));
        } else {
          quarantine.add(new QuarantineRecord(path, NAME, Stage.LIST, "BadFileName", path
              + ": not an IRMAS training name ([inst][genre]NNNN__k.wav or PPP__[inst][dru|nod][genre]NNNN__k.wav)"));
          continue;
        }
        if (!INSTRUMENTS.contains(instrument)) {
          quarantine.add(new QuarantineRecord(path, NAME, Stage.ANNOTATE, "UnknownLabel", path
              + ": unknown instrument code '" + instrument + "' (known: " + String.join(", ", INSTRUMENTS) + ")"));
          continue;
        }
        if (!instrument.equals(folder)) {
          quarantine.add(new QuarantineRecord(path, NAME, Stage.ANNOTATE, "LabelMismatch", path
              + ": file name says instrument '" + instrument + "' but it is in the folder '" + folder + "'"));
          continue;
        }
        if (!GENRES.contains(genre)) {
          quarantine.add(new QuarantineRecord(path, NAME, Stage.ANNOTATE, "UnknownGenre", path
              + ": unknown genre code '" + genre + "' (known: " + String.join(", ", new java.util.TreeSet<>(GENRES))
              + ")"));
          continue;
        }
        if (probe.probe(f, quarantine) == null) {
          continue;
        }
        tags.put("instrument", instrument);
        tags.put("genre", genre);
        tags.put("source", source);
        tags.put("part", "training");
        clips.add(ClipRef.of(root.relative(f.getPath()), NAME, path, ClipRef.TRAIN, List.of(instrument), tags,
            "irmas-train:" + source, f.getLen()));
      }
    }
  }

  private void readTestingPart(DatasetRoot root, FileStatus partDir, AudioProbe probe, List<ClipRef> clips,
      List<QuarantineRecord> quarantine) throws IOException {
    String part = partDir.getPath().getName().substring("IRMAS-TestingData-".length());
    // Files are inside one inner folder (Part1, IRTestingData-Part2, Part3); accept any, and files at this level.
    List<FileStatus> files = new ArrayList<>();
    for (FileStatus f : root.filesBelow(partDir.getPath())) {
      files.add(f);
    }
    probe.prefetch(files);
    Map<String, FileStatus> byName = new HashMap<>();
    for (FileStatus f : files) {
      byName.put(f.getPath().getParent().toString() + "/" + f.getPath().getName(), f);
    }
    Set<String> labelFilesUsed = new java.util.HashSet<>();
    for (FileStatus f : files) {
      String name = f.getPath().getName();
      String path = f.getPath().toString();
      String lower = name.toLowerCase(java.util.Locale.ROOT);
      if (!lower.endsWith(".wav")) {
        continue; // .txt files are handled with their .wav; others below
      }
      String stem = name.substring(0, name.length() - 4);
      String txtKey = f.getPath().getParent().toString() + "/" + stem + ".txt";
      FileStatus txt = byName.get(txtKey);
      if (txt == null) {
        quarantine.add(new QuarantineRecord(path, NAME, Stage.ANNOTATE, "MissingLabels", path
            + ": no label file " + stem + ".txt next to it"));
        continue;
      }
      labelFilesUsed.add(txtKey);
      List<String> labels = new ArrayList<>();
      String problem = parseLabels(root.readText(txt.getPath(), 64 * 1024), labels);
      if (problem != null) {
        quarantine.add(new QuarantineRecord(path, NAME, Stage.ANNOTATE, problem.startsWith("unknown")
            ? "UnknownLabel" : "NoLabels", path + ": label file " + txt.getPath().getName() + ": " + problem));
        continue;
      }
      if (probe.probe(f, quarantine) == null) {
        continue;
      }
      Matcher m = TEST_NAME.matcher(name);
      String title = m.matches() ? m.group(1) : stem;
      Map<String, String> tags = new TreeMap<>();
      tags.put("part", part);
      tags.put("title", title);
      if (m.matches()) {
        tags.put("excerpt", m.group(2));
      }
      tags.put("label_file", root.relative(txt.getPath()));
      clips.add(ClipRef.of(root.relative(f.getPath()), NAME, path, ClipRef.TEST, labels, tags,
          "irmas-test:" + title, f.getLen()));
    }
    for (FileStatus f : files) {
      String name = f.getPath().getName();
      String key = f.getPath().getParent().toString() + "/" + name;
      String lower = name.toLowerCase(java.util.Locale.ROOT);
      if (lower.endsWith(".wav") || labelFilesUsed.contains(key)) {
        continue;
      }
      if (lower.endsWith(".txt") && TEST_NAME.matcher(name.substring(0, name.length() - 4) + ".wav").matches()) {
        quarantine.add(new QuarantineRecord(f.getPath().toString(), NAME, Stage.LIST, "AnnotationWithoutAudio",
            f.getPath() + ": label file without its .wav"));
      } else if (!io.timbre.datasets.LayoutFiles.isDocumentationOrLitter(name)) {
        unexpected(f, "not part of the IRMAS testing layout (<title>-<n>.wav + .txt)", quarantine);
      }
    }
  }

  private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");

  /**
   * Reads a test label file: one instrument code per line, trailing whitespace (tabs) ignored, blank lines skipped,
   * duplicates kept once. Returns null when fine, else what is wrong.
   */
  static String parseLabels(String text, List<String> out) {
    Set<String> labels = new LinkedHashSet<>();
    String[] lines = LINE_BREAK.split(text, -1);
    for (int i = 0; i < lines.length; i++) {
      String code = lines[i].strip();
      if (code.isEmpty()) {
        continue;
      }
      if (!INSTRUMENTS.contains(code)) {
        return "unknown instrument code '" + code + "' on line " + (i + 1) + " (known: "
            + String.join(", ", INSTRUMENTS) + ")";
      }
      labels.add(code);
    }
    if (labels.isEmpty()) {
      return "no instrument codes in the label file";
    }
    out.addAll(labels);
    return null;
  }

  private static void unexpected(FileStatus f, String why, List<QuarantineRecord> quarantine) {
    String name = f.getPath().getName();
    if (io.timbre.datasets.LayoutFiles.isDocumentationOrLitter(name)) {
      return;
    }
    quarantine.add(new QuarantineRecord(f.getPath().toString(), NAME, Stage.LIST, "UnexpectedFile",
        f.getPath() + ": " + why));
  }
}
