package io.timbre.datasets.medleydb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.timbre.datasets.AudioProbe;
import io.timbre.datasets.ClipRef;
import io.timbre.datasets.DatasetException;
import io.timbre.datasets.DatasetListing;
import io.timbre.datasets.GroupSplitReader;
import io.timbre.datasets.DatasetRoot;
import io.timbre.datasets.QuarantineRecord;
import io.timbre.datasets.QuarantineRecord.Stage;
import io.timbre.datasets.TimeSeries;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Errata errata;

  /**
   * The metadata as a tree, refusing YAML anchors and aliases: Jackson does not resolve an alias ({@code *i}) but
   * hands over its name as a string, which would become a label. MedleyDB's files use neither.
   */
  static JsonNode readMetadata(String text) throws IOException {
    try (com.fasterxml.jackson.dataformat.yaml.YAMLParser p = (com.fasterxml.jackson.dataformat.yaml.YAMLParser)
        YAML.getFactory().createParser(text)) {
      while (p.nextToken() != null) {
        if (p.isCurrentAlias() || p.getObjectId() != null) {
          throw new IOException("YAML anchors and aliases are not allowed (line " + p.currentLocation().getLineNr()
              + ")");
        }
      }
    }
    return YAML.readTree(text);
  }

  public MedleyDbReader() {
    this(Errata.bundled(), DEFAULT_VALIDATION, DEFAULT_TEST, 0L);
  }

  public MedleyDbReader(Errata errata, double validationFraction, double testFraction, long seed) {
    super(NAME, validationFraction, testFraction, seed);
    this.errata = errata;
  }

  @Override
  public DatasetListing read(DatasetRoot root) {
    List<ClipRef> clips = new ArrayList<>();
    List<QuarantineRecord> quarantine = new ArrayList<>();
    AudioProbe probe = new AudioProbe(root, NAME, SAMPLE_RATE);
    try {
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
    } catch (IOException e) {
      throw new DatasetException("Cannot list MedleyDB under " + root + ": " + e.getMessage(), e);
    }
    return finish(root, probe, clips, quarantine);
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
    JsonNode yaml;
    try {
      yaml = readMetadata(root.readText(meta.getPath(), 1 << 20));
      if (yaml == null || !yaml.isObject()) {
        throw new IOException("not a YAML mapping");
      }
    } catch (IOException e) {
      quarantine.add(new QuarantineRecord(mixPath, NAME, Stage.ANNOTATE, "BadMetadata", mixPath + ": "
          + meta.getPath().getName() + ": " + e.getMessage().split("\n")[0]));
      return null;
    }
    String artist = yaml.path("artist").asText("");
    if (artist.isBlank()) {
      quarantine.add(new QuarantineRecord(mixPath, NAME, Stage.ANNOTATE, "BadMetadata", mixPath + ": "
          + meta.getPath().getName() + " has no artist (needed to keep the artist's tracks in one split)"));
      return null;
    }
    if (probe.probe(mix, quarantine) == null) {
      return null;
    }
    SortedMap<String, String> tags = new TreeMap<>();
    for (String key : List.of("artist", "title", "genre", "has_bleed", "instrumental", "excerpt", "origin",
        "version", "album")) {
      JsonNode v = yaml.get(key);
      if (v != null && !v.isNull() && v.isValueNode()) {
        tags.put(key, v.asText());
      }
    }
    // Stems in S01… order.
    List<String> paths = new ArrayList<>(List.of(mixPath));
    TreeSet<String> instruments = new TreeSet<>();
    JsonNode stems = yaml.path("stems");
    String stemDir = yaml.path("stem_dir").asText(id + "_STEMS");
    FileStatus stemFolder = root.child(trackDir.getPath(), stemDir);
    TreeMap<String, JsonNode> ordered = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = stems.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      ordered.put(e.getKey(), e.getValue());
    }
    int kept = 0;
    for (Map.Entry<String, JsonNode> e : ordered.entrySet()) {
      JsonNode stem = e.getValue();
      JsonNode inst = stem.path("instrument");
      if (inst.isArray()) {
        inst.forEach(i -> instruments.add(i.asText()));
      } else if (!inst.asText("").isBlank()) {
        instruments.add(inst.asText());
      }
      String file = stem.path("filename").asText("");
      String component = stem.path("component").asText("");
      tags.put("stem_" + e.getKey(), (inst.isArray() ? String.join("|", iter(inst)) : inst.asText(""))
          + (component.isEmpty() ? "" : " (" + component + ")"));
      FileStatus f = stemFolder == null ? null : root.child(stemFolder.getPath(), file);
      String expected = where + "/" + stemDir + "/" + file;
      if (f == null) {
        quarantine.add(new QuarantineRecord(expected, NAME, Stage.LIST, "MissingAudio", expected
            + ": stem " + e.getKey() + " named in " + meta.getPath().getName() + " is missing"));
        continue;
      }
      String why = errata.reason(file);
      if (why != null) {
        quarantine.add(new QuarantineRecord(f.getPath().toString(), NAME, Stage.LIST, "Errata", f.getPath()
            + ": excluded, " + why));
        tags.put("stem_" + e.getKey() + "_excluded", why);
        continue;
      }
      paths.add(f.getPath().toString());
      kept++;
    }
    tags.put("n_stems", Integer.toString(ordered.size()));
    tags.put("n_stems_used", Integer.toString(kept));
    List<TimeSeries> series = new ArrayList<>();
    if (melody != null) {
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
    }
    tags.put("has_melody", series.isEmpty() ? "no" : "yes");
    if (activation != null) {
      for (String version : List.of("v2", "original")) {
        Path dir = childDir(root, activation, version);
        FileStatus f = dir == null ? null : root.child(dir, id + "_ACTIVATION_CONF.lab");
        if (f == null) {
          continue;
        }
        try {
          series.add(Csv.series("activation", root.readText(f.getPath(), 64 << 20), null, true));
          tags.put("activation_version", version);
        } catch (IllegalArgumentException e) {
          quarantine.add(new QuarantineRecord(f.getPath().toString(), NAME, Stage.ANNOTATE, "BadAnnotation",
              f.getPath() + ": " + e.getMessage()));
        }
        break;
      }
    }
    return new ClipRef(root.relative(mix.getPath()), NAME, paths, ClipRef.TRAIN, List.copyOf(instruments), tags,
        List.of(), series, "medleydb:" + artist, mix.getLen());
  }

  private static List<String> iter(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
