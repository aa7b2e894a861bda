package io.timbre.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timbre.datasets.DatasetException;
import io.timbre.table.TableVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

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
      throw new DatasetException("Cannot train on " + loc + ": no published table there (no "
          + TableVersion.POINTER + " or _provenance.json), so it is not a complete feature table (point --table at "
          + "<tables root>/<dataset>/<spec id> written by `timbre ingest`)");
    }
    Path p = new Path(version.provenanceLocation());
    JsonNode n;
    try (InputStream in = p.getFileSystem(conf).open(p)) {
      n = JSON.readTree(in);
    } catch (IOException e) {
      throw new DatasetException("Cannot read the provenance of table " + loc + ": " + e.getMessage(), e);
    }
    JsonNode spec = n.path("spec");
    if (spec.isMissingNode() || !n.hasNonNull("spec_id")) {
      throw new DatasetException("Cannot train on " + loc + ": its _provenance.json has no spec / spec_id");
    }
    return new TableInfo(loc, n.path("dataset").asText(), n.path("spec_id").asText(), spec.toString(),
        n.path("input_fingerprint").asText(""), strings(n.path("label_vocabulary")),
        strings(n.path("frame_target_channels")), spec.path("sample_rate").asInt(22050),
        spec.path("hop_length").asInt(512), n.path("code_version").asText(""));
  }

  /**
   * The table a model was trained on, as its {@code model.json} recorded it: what inference on new audio needs (the
   * spec, the vocabulary and target channels) without the table itself having to exist any more.
   */
  public static TableInfo fromModel(JsonNode modelProvenance) {
    JsonNode t = modelProvenance.path("table");
    JsonNode spec = t.path("spec");
    if (spec.isMissingNode() || !t.hasNonNull("spec_id")) {
      throw new DatasetException("The model's provenance has no table.spec / table.spec_id: it cannot say which "
          + "features it expects");
    }
    JsonNode vocabulary = t.has("label_vocabulary") ? t.path("label_vocabulary")
        : modelProvenance.path("label_vocabulary");
    return new TableInfo(t.path("location").asText(""), t.path("dataset").asText(""), t.path("spec_id").asText(),
        spec.toString(), t.path("input_fingerprint").asText(""), strings(vocabulary),
        strings(t.path("frame_target_channels")), spec.path("sample_rate").asInt(22050),
        spec.path("hop_length").asInt(512), t.path("code_version").asText(""));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(x -> out.add(x.asText()));
    return out;
  }

  /** Onset channels: every frame-target channel that is not an f0 series. */
  public List<String> onsetChannels() {
    return frameChannels.stream().filter(c -> !c.endsWith("_f0_hz")).toList();
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
