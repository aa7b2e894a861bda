package io.timbre.table;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.timbre.exceptions.IncompatibleArtefactException;
import io.timbre.features.FeatureSpec;
import java.io.Serializable;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * What training needs to know about a feature table, read from its {@code _provenance.json} (whose presence marks a
 * complete table): the spec, the label vocabulary in table order, the per-frame target channels and the input
 * fingerprint that a model's provenance records.
 */
public record TableInfo(String location, String dataset, String specId, String specJson, String inputFingerprint,
    List<String> vocabulary, List<String> frameChannels, int sampleRate, int hopLength, String codeVersion)
    implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  public TableInfo {
    vocabulary = List.copyOf(vocabulary);
    frameChannels = List.copyOf(frameChannels);
  }

  /**
   * Reads the provenance of the published version of the table at {@code location} ({@link TableVersion}); a table
   * without one, or an unreadable provenance, is a typed error naming the table.
   */
  public static TableInfo read(String location, Configuration conf) {
    String loc = location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
    TableVersion version = TableVersion.current(loc, conf);
    if (version == null) {
      throw new IncompatibleArtefactException("Cannot train on " + loc + ": no published table there (no "
          + TableVersion.POINTER + " or _provenance.json), so it is not a complete feature table (point --table at "
          + "<tables root>/<dataset>/<spec id> written by `timbre ingest`)");
    }
    TableProvenance p = TableProvenance.read(version.provenanceLocation(), conf);
    FeatureSpec spec = p.featureSpec();
    return new TableInfo(loc, p.dataset(), p.specId(), p.spec().toString(), p.inputFingerprint(),
        p.labelVocabulary(), p.frameTargetChannels(), spec.sampleRate(), spec.hopLength(), p.codeVersion());
  }

  /** Onset channels: every frame-target channel that is not an f0 series (none in a generation table). */
  public List<String> onsetChannels() {
    if (generationFrames() != null) {
      return List.of();
    }
    return frameChannels.stream().filter(c -> !c.endsWith("_f0_hz")).toList();
  }

  /** A generation table's frame representation, or null for any other table. */
  public io.timbre.generation.FrameRepresentation generationFrames() {
    return io.timbre.generation.FrameRepresentation.ofChannels(frameChannels);
  }

  /** Index in the frame targets of a channel, or -1. */
  public int channelIndex(String channel) {
    return frameChannels.indexOf(channel);
  }

  /** Frames per second of the table's STFT. */
  public double frameRate() {
    return sampleRate / (double) hopLength;
  }
}
