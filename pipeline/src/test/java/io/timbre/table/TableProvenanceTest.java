package io.timbre.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbre.exceptions.IncompatibleArtefactException;
import io.timbre.util.JsonDocument;
import java.io.InputStream;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TableProvenance} reads the files ingest has written, refuses ill-formed ones by key, and round-trips. */
class TableProvenanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SAMPLE = "provenance-format-unversioned.json";

  private static ObjectNode sample() throws Exception {
    try (InputStream in = TableProvenanceTest.class.getResourceAsStream(SAMPLE)) {
      return (ObjectNode) JSON.readTree(in);
    }
  }

  @Test
  void readsAProvenanceWrittenBeforeTheVersionKeyAsFormatOne() throws Exception {
    TableProvenance p = TableProvenance.parse(JsonDocument.of(sample(), SAMPLE));
    assertThat(p.version()).isEqualTo(1);
    assertThat(p.dataset()).isEqualTo("idmt-drums");
    assertThat(p.specId()).isEqualTo("07244ec0711d23a3834fc6a3cdee73e0a3108220fad6ec3161a98ba1262161d5");
    assertThat(p.featureSpec().id()).isEqualTo(p.specId());
    assertThat(p.labelVocabulary()).containsExactly("HH", "KD", "SD");
    assertThat(p.inputs()).hasSize(18);
    assertThat(p.countsThisRun().get("train")).containsEntry("clips", 6L).containsEntry("segments", 24L);
    assertThat(p.runs()).singleElement().satisfies(r -> assertThat(r.clipsOk()).isEqualTo(18));
  }

  @Test
  void writesTheSameFieldsBackPlusTheFormatVersion() throws Exception {
    ObjectNode original = sample();
    ObjectNode written = TableProvenance.parse(JsonDocument.of(original, SAMPLE)).toJson();
    assertThat(written.get("version").asInt()).isEqualTo(TableProvenance.FORMAT_VERSION);
    written.remove("version");
    // Text, not trees: Jackson tells an int node from a long node of the same value.
    assertThat(JSON.writeValueAsString(written)).isEqualTo(JSON.writeValueAsString(original));
  }

  @Test
  void roundTripsThroughAFile(@TempDir Path tmp) throws Exception {
    TableProvenance p = TableProvenance.parse(JsonDocument.of(sample(), SAMPLE));
    String file = tmp.resolve("_provenance.json").toUri().toString();
    p.write(file, new Configuration());
    assertThat(TableProvenance.read(file, new Configuration())).isEqualTo(p);
  }

  @Test
  void aMissingOrIllTypedKeyIsNamedWithTheFile() throws Exception {
    ObjectNode noVocabulary = sample();
    noVocabulary.remove("label_vocabulary");
    assertThatThrownBy(() -> TableProvenance.parse(JsonDocument.of(noVocabulary, "t/_provenance.json")))
        .isInstanceOf(IncompatibleArtefactException.class)
        .hasMessage("Cannot read t/_provenance.json: key 'label_vocabulary' is missing");
    ObjectNode badSeed = sample();
    ((ObjectNode) badSeed.get("config")).put("seed", "zero");
    assertThatThrownBy(() -> TableProvenance.parse(JsonDocument.of(badSeed, "t/_provenance.json")))
        .isInstanceOf(IncompatibleArtefactException.class)
        .hasMessage("Cannot read t/_provenance.json: key 'config.seed' is not an integer");
    ObjectNode badRun = sample();
    ((ObjectNode) badRun.withArray("runs").get(0)).remove("clips_ok");
    assertThatThrownBy(() -> TableProvenance.parse(JsonDocument.of(badRun, "t/_provenance.json")))
        .hasMessage("Cannot read t/_provenance.json: key 'runs[0].clips_ok' is missing");
  }

  @Test
  void aNewerFormatIsRefused() throws Exception {
    ObjectNode newer = sample();
    newer.put("version", TableProvenance.FORMAT_VERSION + 1);
    assertThatThrownBy(() -> TableProvenance.parse(JsonDocument.of(newer, "t/_provenance.json")))
        .isInstanceOf(IncompatibleArtefactException.class).hasMessageContaining("format version 2 is newer");
  }

  @Test
  void aFileThatIsNotJsonIsNamed(@TempDir Path tmp) throws Exception {
    java.nio.file.Files.writeString(tmp.resolve("_provenance.json"), "{\"dataset\": ");
    assertThatThrownBy(() -> TableProvenance.read(tmp.resolve("_provenance.json").toUri().toString(),
        new Configuration())).isInstanceOf(IncompatibleArtefactException.class).hasMessageContaining("not JSON");
  }
}
