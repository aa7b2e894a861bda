package io.timbre.table;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbre.exceptions.IncompatibleArtefactException;
import io.timbre.exceptions.StorageException;
import io.timbre.features.FeatureSpec;
import io.timbre.separation.SourceGrouping;
import io.timbre.store.AtomicFiles;
import io.timbre.util.JsonDocument;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * A feature table version's {@code _provenance.json}: what was ingested (dataset, root, spec, every input's size and
 * content hash), with which settings and code, what the table holds (label vocabulary, frame-target channels), and one
 * entry per ingest run that contributed to it. The one reader and writer of that file.
 *
 * <p>Format {@value #FORMAT_VERSION}. Files without a {@code version} key were written before the key existed and have
 * the same fields: they read as format 1. A separation table (frame targets = each source's magnitude spectrum)
 * adds {@code separation_sources}: the sources in target order with the stem rules that made them; other tables
 * have no such key.
 */
public record TableProvenance(int version, int layoutVersion, String dataset, String datasetRoot, String specId,
    ObjectNode spec, String codeVersion, List<String> labelVocabulary, List<String> frameTargetChannels,
    IngestSettings settings, List<Input> inputs, String inputFingerprint,
    SortedMap<String, SortedMap<String, Long>> countsThisRun, SortedMap<String, Long> quarantineThisRun,
    List<Run> runs, SourceGrouping separationSources) {
  public static final int FORMAT_VERSION = 1;
  public static final String FILE_NAME = "_provenance.json";

  static final String VERSION = "version";
  static final String LAYOUT_VERSION = "layout_version";
  static final String DATASET = "dataset";
  static final String DATASET_ROOT = "dataset_root";
  static final String SPEC_ID = "spec_id";
  static final String SPEC = "spec";
  static final String CODE_VERSION = "code_version";
  static final String LABEL_VOCABULARY = "label_vocabulary";
  static final String FRAME_TARGET_CHANNELS = "frame_target_channels";
  static final String CONFIG = "config";
  static final String INPUTS = "inputs";
  static final String INPUT_FINGERPRINT = "input_fingerprint";
  static final String COUNTS_THIS_RUN = "counts_this_run";
  static final String QUARANTINE_THIS_RUN = "quarantine_this_run";
  static final String RUNS = "runs";
  static final String SEPARATION_SOURCES = "separation_sources";
  static final String SOURCE_NAME = "name";
  static final String SOURCE_RULES = "rules";

  private static final ObjectMapper JSON = new ObjectMapper();

  public TableProvenance {
    spec = spec.deepCopy();
    labelVocabulary = List.copyOf(labelVocabulary);
    frameTargetChannels = List.copyOf(frameTargetChannels);
    inputs = List.copyOf(inputs);
    SortedMap<String, SortedMap<String, Long>> counts = new TreeMap<>();
    countsThisRun.forEach((k, v) -> counts.put(k, java.util.Collections.unmodifiableSortedMap(new TreeMap<>(v))));
    countsThisRun = java.util.Collections.unmodifiableSortedMap(counts);
    quarantineThisRun = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(quarantineThisRun));
    runs = List.copyOf(runs);
  }

  /** The ingest settings a table was written with (Hadoop settings by name only: values may be credentials). */
  public record IngestSettings(double validation, double test, long seed, boolean incremental, int partitions,
      List<String> hadoopSettings) {
    static final String VALIDATION = "validation";
    static final String TEST = "test";
    static final String SEED = "seed";
    static final String INCREMENTAL = "incremental";
    static final String PARTITIONS = "partitions";
    static final String HADOOP_SETTINGS = "hadoop_settings";

    public IngestSettings {
      hadoopSettings = List.copyOf(new java.util.TreeSet<>(hadoopSettings));
    }

    static IngestSettings read(JsonDocument d) {
      return new IngestSettings(d.number(VALIDATION), d.number(TEST), d.integer(SEED), d.bool(INCREMENTAL),
          d.int32(PARTITIONS), d.strings(HADOOP_SETTINGS));
    }

    void write(ObjectNode o) {
      o.put(VALIDATION, validation);
      o.put(TEST, test);
      o.put(SEED, seed);
      o.put(INCREMENTAL, incremental);
      o.put(PARTITIONS, partitions);
      o.set(HADOOP_SETTINGS, JSON.valueToTree(hadoopSettings));
    }
  }

  /** One listed input: clip id, size in bytes and the SHA-256 of its content ("" when it was never read). */
  public record Input(String id, long size, String sha256) {
    static final String ID = "id";
    static final String SIZE = "size";
    static final String SHA256 = "sha256";

    static Input read(JsonDocument d) {
      return new Input(d.string(ID), d.integer(SIZE), d.string(SHA256));
    }
  }

  /** One ingest run that wrote (or added to) this table. */
  public record Run(String runId, String finishedAt, boolean incremental, long clipsOk, long clipsAlreadyPresent,
      long quarantined, long segments, double audioHours, double wallSeconds, Map<String, Double> stageSeconds,
      String codeVersion) {
    static final String RUN_ID = "run_id";
    static final String FINISHED_AT = "finished_at";
    static final String INCREMENTAL = "incremental";
    static final String CLIPS_OK = "clips_ok";
    static final String CLIPS_ALREADY_PRESENT = "clips_already_present";
    static final String QUARANTINED = "quarantined";
    static final String SEGMENTS = "segments";
    static final String AUDIO_HOURS = "audio_hours";
    static final String WALL_SECONDS = "wall_seconds";
    static final String STAGE_SECONDS = "stage_seconds";
    static final String CODE_VERSION = "code_version";

    public Run {
      stageSeconds = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(stageSeconds));
    }

    static Run read(JsonDocument d) {
      return new Run(d.string(RUN_ID), d.string(FINISHED_AT), d.bool(INCREMENTAL), d.integer(CLIPS_OK),
          d.integer(CLIPS_ALREADY_PRESENT), d.integer(QUARANTINED), d.integer(SEGMENTS), d.number(AUDIO_HOURS),
          d.number(WALL_SECONDS), d.numbers(STAGE_SECONDS), d.string(CODE_VERSION));
    }

    void write(ObjectNode o) {
      o.put(RUN_ID, runId);
      o.put(FINISHED_AT, finishedAt);
      o.put(INCREMENTAL, incremental);
      o.put(CLIPS_OK, clipsOk);
      o.put(CLIPS_ALREADY_PRESENT, clipsAlreadyPresent);
      o.put(QUARANTINED, quarantined);
      o.put(SEGMENTS, segments);
      o.put(AUDIO_HOURS, audioHours);
      o.put(WALL_SECONDS, wallSeconds);
      o.set(STAGE_SECONDS, JSON.valueToTree(stageSeconds));
      o.put(CODE_VERSION, codeVersion);
    }
  }

  /** The feature spec the table was computed with. */
  public FeatureSpec featureSpec() {
    return FeatureSpec.parse(spec.toString());
  }

  /** Reads the provenance file at {@code location}; a missing, unreadable or ill-formed file is a typed error. */
  public static TableProvenance read(String location, Configuration conf) {
    byte[] bytes;
    try {
      bytes = AtomicFiles.read(new Path(location), conf);
    } catch (java.io.FileNotFoundException e) {
      throw new IncompatibleArtefactException("Cannot read " + location + ": it does not exist", e);
    } catch (IOException e) {
      throw new StorageException("Cannot read " + location + ": " + e.getMessage(), e);
    }
    return parse(JsonDocument.parse(bytes, location));
  }

  /** The document in {@code d} (its source names the file in errors). */
  public static TableProvenance parse(JsonDocument d) {
    int version = d.formatVersion(VERSION, FORMAT_VERSION);
    SortedMap<String, SortedMap<String, Long>> counts = new TreeMap<>();
    JsonDocument c = d.object(COUNTS_THIS_RUN);
    for (String split : c.keys()) {
      counts.put(split, c.integers(split));
    }
    return new TableProvenance(version, d.int32(LAYOUT_VERSION), d.string(DATASET), d.string(DATASET_ROOT),
        d.string(SPEC_ID), d.tree(SPEC), d.string(CODE_VERSION), d.strings(LABEL_VOCABULARY),
        d.strings(FRAME_TARGET_CHANNELS), IngestSettings.read(d.object(CONFIG)),
        d.objects(INPUTS).stream().map(Input::read).toList(), d.string(INPUT_FINGERPRINT), counts,
        d.integers(QUARANTINE_THIS_RUN), d.objects(RUNS).stream().map(Run::read).toList(),
        d.has(SEPARATION_SOURCES) ? new SourceGrouping(d.objects(SEPARATION_SOURCES).stream()
            .map(o -> new SourceGrouping.Source(o.string(SOURCE_NAME), o.strings(SOURCE_RULES))).toList()) : null);
  }

  /** Whether this is a separation table (its frame targets are the sources' magnitude spectra). */
  public boolean separation() {
    return separationSources != null;
  }

  /** The JSON form, keys in the order the file has always had them, the format version first. */
  public ObjectNode toJson() {
    ObjectNode p = JSON.createObjectNode();
    p.put(VERSION, FORMAT_VERSION);
    p.put(LAYOUT_VERSION, layoutVersion);
    p.put(DATASET, dataset);
    p.put(DATASET_ROOT, datasetRoot);
    p.put(SPEC_ID, specId);
    p.set(SPEC, spec.deepCopy());
    p.put(CODE_VERSION, codeVersion);
    p.set(LABEL_VOCABULARY, JSON.valueToTree(labelVocabulary));
    p.set(FRAME_TARGET_CHANNELS, JSON.valueToTree(frameTargetChannels));
    settings.write(p.putObject(CONFIG));
    ArrayNode in = p.putArray(INPUTS);
    for (Input i : inputs) {
      in.addObject().put(Input.ID, i.id()).put(Input.SIZE, i.size()).put(Input.SHA256, i.sha256());
    }
    p.put(INPUT_FINGERPRINT, inputFingerprint);
    p.set(COUNTS_THIS_RUN, JSON.valueToTree(countsThisRun));
    p.set(QUARANTINE_THIS_RUN, JSON.valueToTree(quarantineThisRun));
    ArrayNode r = p.putArray(RUNS);
    runs.forEach(run -> run.write(r.addObject()));
    if (separationSources != null) {
      ArrayNode sources = p.putArray(SEPARATION_SOURCES);
      for (SourceGrouping.Source src : separationSources.sources()) {
        sources.addObject().put(SOURCE_NAME, src.name()).set(SOURCE_RULES, JSON.valueToTree(src.rules()));
      }
    }
    return p;
  }

  /** Writes the file complete or not at all ({@link AtomicFiles}). */
  public void write(String location, Configuration conf) {
    try {
      AtomicFiles.write(new Path(location), conf, JSON.writeValueAsBytes(toJson()));
    } catch (IOException e) {
      throw new StorageException("Cannot write " + location + ": " + e.getMessage(), e);
    }
  }

  /** Input hashes by clip id. */
  public Map<String, String> inputHashes() {
    Map<String, String> m = new TreeMap<>();
    inputs.forEach(i -> m.put(i.id(), i.sha256()));
    return m;
  }
}
