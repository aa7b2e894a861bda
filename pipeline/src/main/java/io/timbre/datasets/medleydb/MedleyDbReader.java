package io.timbre.datasets.medleydb;

import io.timbre.datasets.AudioProbe;
import io.timbre.datasets.ClipRef;
import io.timbre.datasets.DatasetException;
import io.timbre.datasets.DatasetRoot;
import io.timbre.datasets.GroupSplitReader;
import io.timbre.datasets.QuarantineRecord;
import io.timbre.datasets.QuarantineRecord.Stage;
import io.timbre.datasets.TimeSeries;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * MedleyDB v1/v2 (Bittner et al. 2014/2016): audio as released plus the annotations and metadata of marl/medleydb:
 *
 * <pre>
 * Audio/&lt;id&gt;/&lt;id&gt;_MIX.wav, &lt;id&gt;_STEMS/&lt;id&gt;_STEM_&lt;NN&gt;.wav, [&lt;id&gt;_METADATA.yaml]
 * Metadata/&lt;id&gt;_METADATA.yaml                                   (where not beside the audio)
 * Annotations/Melody/Melody{1,2,3}/&lt;id&gt;_MELODY{1,2,3}.csv       (dense 256-sample grid, 0 Hz = unvoiced)
 * Annotations/Activation_Confidence/{v2,original}/&lt;id&gt;_ACTIVATION_CONF.lab
 * </pre>
 *
 * <p>One clip per track: the mix first, then its stems in S01… order; labels = the stems' instruments (a stem's
 * {@code instrument} may be a list); tags from the YAML ({@code 'yes'/'no'} strings kept as such); series melody1,
 * melody2, melody3 (one column per ranked melody, MELODY3's width varies by track) and activation (per stem). Stems
 * named in the errata are left out of {@code audioPaths} and quarantined with the reason. Group key = artist, so
 * splits are artist-conditional as {@code medleydb.utils.artist_conditional_split} makes them.
 */
public final class MedleyDbReader extends GroupSplitReader {
  public static final String NAME = "medleydb";
  public static final int SAMPLE_RATE = 44100;
  /** Melody annotations are on a 256-sample grid at 44.1 kHz. */
  public static final double MELODY_HOP = 256.0 / 44100;

  private final Errata errata;

  public MedleyDbReader() {
    this(Errata.bundled(), DEFAULT_VALIDATION, DEFAULT_TEST, 0L);
  }

  public MedleyDbReader(Errata errata, double validationFraction, double testFraction, long seed) {
    super(NAME, "MedleyDB", SAMPLE_RATE, validationFraction, testFraction, seed);
    this.errata = errata;
  }

  @Override
  protected void list(DatasetRoot root, AudioProbe probe, List<ClipRef> clips,
      List<QuarantineRecord> quarantine) throws IOException {
    FileStatus audio = root.child(root.path(), "Audio");
    if (audio == null || !audio.isDirectory()) {
      throw new DatasetException("Cannot read MedleyDB: no Audio/ folder under " + root);
    }
    Path annotations = childDir(root, root.path(), "Annotations");
    Path melody = annotations == null ? null : childDir(root, annotations, "Melody");
    Path activation = annotations == null ? null : childDir(root, annotations, "Activation_Confidence");
    Path metadataDir = childDir(root, root.path(), "Metadata");
    for (FileStatus track : root.children(audio.getPath())) {
      if (!track.isDirectory()) {
        continue;
      }
      ClipRef clip = track(root, track, metadataDir, melody, activation, probe, quarantine);
      if (clip != null) {
        clips.add(clip);
      }
    }
  }

  private static Path childDir(DatasetRoot root, Path dir, String name) throws IOException {
    FileStatus s = root.child(dir, name);
    return s != null && s.isDirectory() ? s.getPath() : null;
  }

  private ClipRef track(DatasetRoot root, FileStatus trackDir, Path metadataDir, Path melody, Path activation,
      AudioProbe probe, List<QuarantineRecord> quarantine) throws IOException {
    String id = trackDir.getPath().getName();
    FileStatus mix = root.child(trackDir.getPath(), id + "_MIX.wav");
    String where = trackDir.getPath().toString();
    if (mix == null) {
      quarantine.add(new QuarantineRecord(where, NAME, Stage.LIST, "MissingAudio", where + ": no " + id
          + "_MIX.wav in the track folder"));
      return null;
    }
    String mixPath = mix.getPath().toString();
    FileStatus meta = root.child(trackDir.getPath(), id + "_METADATA.yaml");
    if (meta == null && metadataDir != null) {
      meta = root.child(metadataDir, id + "_METADATA.yaml");
    }
    if (meta == null) {
      quarantine.add(new QuarantineRecord(mixPath, NAME, Stage.ANNOTATE, "MissingMetadata", mixPath + ": no "
          + id + "_METADATA.yaml beside it or in Metadata/"));
      return null;
    }
    TrackMetadata metadata;
    try {
      metadata = TrackMetadata.parse(root.readText(meta.getPath(), 1 << 20), id);
    } catch (IOException e) {
      quarantine.add(new QuarantineRecord(mixPath, NAME, Stage.ANNOTATE, "BadMetadata", mixPath + ": "
          + meta.getPath().getName() + ": " + e.getMessage().split("\n")[0]));
      return null;
    }
    if (probe.probe(mix, quarantine) == null) {
      return null;
    }
    SortedMap<String, String> tags = new TreeMap<>(metadata.tags());
    // Stems in S01… order.
    List<String> paths = new ArrayList<>(List.of(mixPath));
    TreeSet<String> instruments = new TreeSet<>();
    String stemDir = metadata.stemDir();
    FileStatus stemFolder = root.child(trackDir.getPath(), stemDir);
    int kept = 0;
    for (TrackMetadata.Stem stem : metadata.stems()) {
      instruments.addAll(stem.instruments());
      String file = stem.filename();
      tags.put("stem_" + stem.key(), String.join("|", stem.instruments())
          + (stem.component().isEmpty() ? "" : " (" + stem.component() + ")"));
      FileStatus f = stemFolder == null || file.isEmpty() ? null : root.child(stemFolder.getPath(), file);
      String expected = where + "/" + stemDir + "/" + file;
      if (f == null) {
        quarantine.add(new QuarantineRecord(expected, NAME, Stage.LIST, "MissingAudio", expected
            + ": stem " + stem.key() + " named in " + meta.getPath().getName() + " is missing"));
        continue;
      }
      String why = errata.reason(file);
      if (why != null) {
        quarantine.add(new QuarantineRecord(f.getPath().toString(), NAME, Stage.LIST, "Errata", f.getPath()
            + ": excluded, " + why));
        tags.put("stem_" + stem.key() + "_excluded", why);
        continue;
      }
      paths.add(f.getPath().toString());
      kept++;
    }
    tags.put("n_stems", Integer.toString(metadata.stems().size()));
    tags.put("n_stems_used", Integer.toString(kept));
    List<TimeSeries> series = new ArrayList<>(melodySeries(root, melody, id, quarantine));
    tags.put("has_melody", series.isEmpty() ? "no" : "yes");
    activationSeries(root, activation, id, tags, quarantine).ifPresent(series::add);
    return new ClipRef(root.relative(mix.getPath()), NAME, paths, ClipRef.TRAIN, List.copyOf(instruments), tags,
        List.of(), series, "medleydb:" + metadata.artist(), mix.getLen());
  }

  /** The track's melody annotations (MELODY1–3) that parse; a malformed one is quarantined. */
  private static List<TimeSeries> melodySeries(DatasetRoot root, Path melody, String id,
      List<QuarantineRecord> quarantine) throws IOException {
    List<TimeSeries> series = new ArrayList<>();
    if (melody == null) {
      return series;
    }
    for (int k = 1; k <= 3; k++) {
      Path dir = childDir(root, melody, "Melody" + k);
      FileStatus f = dir == null ? null : root.child(dir, id + "_MELODY" + k + ".csv");
      if (f == null) {
        continue;
      }
      try {
        series.add(Csv.series("melody" + k, root.readText(f.getPath(), 64 << 20), k == 3 ? "f0_rank" : "f0",
            false));
      } catch (IllegalArgumentException e) {
        quarantine.add(new QuarantineRecord(f.getPath().toString(), NAME, Stage.ANNOTATE, "BadAnnotation",
            f.getPath() + ": " + e.getMessage()));
      }
    }
    return series;
  }

  /** The track's instrument activation confidences, from the newest annotation version present (v2, original). */
  private static java.util.Optional<TimeSeries> activationSeries(DatasetRoot root, Path activation, String id,
      SortedMap<String, String> tags, List<QuarantineRecord> quarantine) throws IOException {
    if (activation == null) {
      return java.util.Optional.empty();
    }
    for (String version : List.of("v2", "original")) {
      Path dir = childDir(root, activation, version);
      FileStatus f = dir == null ? null : root.child(dir, id + "_ACTIVATION_CONF.lab");
      if (f == null) {
        continue;
      }
      try {
        TimeSeries s = Csv.series("activation", root.readText(f.getPath(), 64 << 20), null, true);
        tags.put("activation_version", version);
        return java.util.Optional.of(s);
      } catch (IllegalArgumentException e) {
        quarantine.add(new QuarantineRecord(f.getPath().toString(), NAME, Stage.ANNOTATE, "BadAnnotation",
            f.getPath() + ": " + e.getMessage()));
        return java.util.Optional.empty();
      }
    }
    return java.util.Optional.empty();
  }

}
