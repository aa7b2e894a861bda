package io.timbre.documents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbre.model.ModelProvenance;
import io.timbre.registry.ChampionRecord;
import io.timbre.table.TableProvenance;
import io.timbre.train.TrainingState;
import io.timbre.util.JsonDocument;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * The JSON artefacts of a real run, committed as written by Timbre before their document classes existed
 * ({@code ./timbre demo} at d7a0764): each reads through its owner and writes back to the same text, plus the format
 * version where the file had none. Files users already have keep loading.
 */
class DocumentSamplesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode sample(String name) throws Exception {
    try (InputStream in = DocumentSamplesTest.class.getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return (ObjectNode) JSON.readTree(in);
    }
  }

  private static void assertSameText(ObjectNode written, ObjectNode original) throws Exception {
    ObjectNode w = written.deepCopy();
    if (!original.has("version") && !original.has("format")) {
      // Documents versioned by a "format" string had one already; the others gain an integer "version".
      assertThat(w.remove("version")).as("format version added").isNotNull();
    }
    // Text, not trees: Jackson tells an int node from a long node of the same value.
    assertThat(JSON.writeValueAsString(w)).isEqualTo(JSON.writeValueAsString(original));
  }

  @Test
  void aTableProvenanceRoundTrips() throws Exception {
    ObjectNode original = sample("demo-table-provenance.json");
    TableProvenance p = TableProvenance.parse(JsonDocument.of(original, "demo _provenance.json"));
    assertThat(p.dataset()).isEqualTo("irmas");
    assertThat(p.labelVocabulary()).hasSize(11);
    assertSameText(p.toJson(), original);
  }

  @Test
  void aModelProvenanceRoundTrips() throws Exception {
    ObjectNode original = sample("demo-model.json");
    ModelProvenance m = ModelProvenance.parse(JsonDocument.of(original, "demo model.json"));
    assertThat(m.experiment()).isEqualTo("irmas-cnn");
    assertThat(m.table().tableInfo().sampleRate()).isEqualTo(m.table().spec().get("sample_rate").asInt());
    assertThat(m.labels()).isEqualTo(m.labelVocabulary());
    assertSameText(m.toJson(), original);
  }

  @Test
  void aCheckpointStateRoundTrips() throws Exception {
    ObjectNode original = sample("demo-state.json");
    TrainingState s = TrainingState.parse(JsonDocument.of(original, "demo state.json"));
    assertThat(s.curves()).hasSize(s.epoch());
    assertThat(s.best()).isNotNull();
    assertSameText(s.toJson(), original);
  }

  @Test
  void aChampionRecordRoundTrips() throws Exception {
    ObjectNode original = sample("demo-champion.json");
    ChampionRecord c = ChampionRecord.parse(JsonDocument.of(original, "demo champion.json"));
    assertThat(c.task()).isEqualTo("irmas-cnn");
    assertThat(c.metric()).isEqualTo("single_label.accuracy");
    assertSameText(c.toJson(), original);
  }
}
