package io.timbre.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbre.eval.MetricsDocument;
import io.timbre.exceptions.IncompatibleArtefactException;
import io.timbre.model.EpochRecord;
import io.timbre.model.ModelProvenance;
import io.timbre.model.Task;
import io.timbre.registry.ChampionRecord;
import io.timbre.table.TableProvenance;
import io.timbre.train.TrainingState;
import io.timbre.util.JsonDocument;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JSON artefacts of a real run, committed as written by Timbre before their document classes existed
 * ({@code ./timbre demo} at d7a0764; metrics.json and curves.json at b695bb4, the same format): each reads through
 * its owner and writes back to the same text, plus the format
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
  void anEvaluationsMetricsRoundTrip() throws Exception {
    ObjectNode original = sample("demo-metrics.json");
    MetricsDocument m = MetricsDocument.parse(JsonDocument.of(original, "demo metrics.json"));
    assertThat(m.task()).isEqualTo(Task.SINGLE_LABEL);
    assertThat(m.value("single_label.accuracy")).isBetween(0.0, 1.0);
    assertThat(m.find("onset.f_measure")).isEmpty();
    assertThat(m.model().runId()).isEqualTo(m.runId());
    assertSameText(m.toJson(), original);
  }

  @Test
  void aRunsCurvesRoundTrip() throws Exception {
    ArrayNode original;
    try (InputStream in = DocumentSamplesTest.class.getResourceAsStream("demo-curves.json")) {
      original = (ArrayNode) JSON.readTree(in);
    }
    List<EpochRecord> curves = EpochRecord.parseCurves(original, "demo curves.json");
    assertThat(curves).extracting(EpochRecord::epoch).containsExactly(1, 2);
    assertThat(JSON.writeValueAsString(EpochRecord.curvesJson(curves))).isEqualTo(JSON.writeValueAsString(original));
  }

  @Test
  void aMissingOrIllTypedKeyNamesTheFileAndTheKey() throws Exception {
    ObjectNode noSplit = sample("demo-metrics.json");
    noSplit.remove("split");
    assertThatThrownBy(() -> MetricsDocument.parse(JsonDocument.of(noSplit, "m.json")))
        .isInstanceOf(IncompatibleArtefactException.class).hasMessage("Cannot read m.json: key 'split' is missing");
    ObjectNode badTopK = sample("demo-metrics.json");
    badTopK.with("config").put("top_k", "three");
    assertThatThrownBy(() -> MetricsDocument.parse(JsonDocument.of(badTopK, "m.json")))
        .isInstanceOf(IncompatibleArtefactException.class)
        .hasMessage("Cannot read m.json: key 'config.top_k' is not an integer");
    MetricsDocument m = MetricsDocument.parse(JsonDocument.of(sample("demo-metrics.json"), "m.json"));
    assertThatThrownBy(() -> m.value("single_label.nope")).isInstanceOf(IncompatibleArtefactException.class)
        .hasMessageContaining("'single_label.nope'");
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
