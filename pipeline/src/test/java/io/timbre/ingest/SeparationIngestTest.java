package io.timbre.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timbre.datasets.ClipRef;
import io.timbre.datasets.DatasetRoot;
import io.timbre.datasets.idmt.IdmtDrumsReader;
import io.timbre.features.ComplexStft;
import io.timbre.features.FeatureKind;
import io.timbre.features.FeatureSpec;
import io.timbre.sampledata.IdmtDrumsGenerator;
import io.timbre.sampledata.MedleyDbGenerator;
import io.timbre.separation.SeparationAudio;
import io.timbre.separation.SeparationFrames;
import io.timbre.separation.SourceGrouping;
import io.timbre.table.FeatureTable;
import io.timbre.table.TableProvenance;
import io.timbre.table.TableVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Separation tables: the mixture's magnitude as features, every source's magnitude as frame targets. */
class SeparationIngestTest {
  static SparkSession spark;
  static final FeatureSpec SPEC = FeatureSpec.builder().kind(FeatureKind.STFT).power(1.0).sampleRate(16000)
      .nFft(1024).hopLength(256).topDb(null).segmentSeconds(1.6).segmentHopSeconds(1.6).build();
  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    spark = io.timbre.spark.Sessions.create("separation-ingest-test", "local[2]",
        Map.of("spark.sql.shuffle.partitions", "2"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private IngestSummary ingest(String dataset, Path in, SourceGrouping sources) {
    return IngestJob.run(spark, new IngestOptions(dataset, in.toString(), tmp.resolve("t").toString(), SPEC, false,
        0.2, 0.2, 1, 0, 10, Map.of()).withSources(sources));
  }

  private static TableProvenance provenance(IngestSummary s) {
    TableVersion v = TableVersion.current(s.table(), new Configuration());
    return TableProvenance.read(v.provenanceLocation(), new Configuration());
  }

  @Test
  void idmtDrumsTargetsAreEachStemsMagnitudeOnTheMixturesFrames() throws Exception {
    new IdmtDrumsGenerator(2.0).generate(tmp.resolve("in"), 3, 1);
    IngestSummary s = ingest("idmt-drums", tmp.resolve("in"), SourceGrouping.idmtDrums());
    assertThat(s.clipsOk()).isEqualTo(3);
    assertThat(s.table()).contains("/idmt-drums/" + SPEC.id() + "-sources-");
    TableProvenance p = provenance(s);
    assertThat(p.separation()).isTrue();
    assertThat(p.separationSources().names()).containsExactly("HH", "KD", "SD");
    assertThat(p.frameTargetChannels()).containsExactly("HH", "KD", "SD");
    assertThat(TableProvenance.parse(io.timbre.util.JsonDocument.of(p.toJson(), "round trip")).separationSources())
        .isEqualTo(p.separationSources());

    ClipRef clip = new IdmtDrumsReader().read(DatasetRoot.open(tmp.resolve("in").toString(), new Configuration()))
        .clips().get(0);
    SeparationFrames expected = SeparationFrames.of(SeparationAudio.read(clip, SourceGrouping.idmtDrums(), 16000,
        new Configuration()), new ComplexStft(SPEC));
    Row r = FeatureTable.read(spark, s.table(), "segments")
        .where(org.apache.spark.sql.functions.col("clip_id").equalTo(clip.id())
            .and(org.apache.spark.sql.functions.col("segment_index").equalTo(0))).collectAsList().get(0);
    assertThat((int) r.getAs("n_frames")).isEqualTo(100);
    assertThat((int) r.getAs("n_bins")).isEqualTo(513);
    assertThat((int) r.getAs("n_target_channels")).isEqualTo(3 * 513);
    List<Float> targets = r.getList(r.fieldIndex("frame_targets"));
    List<Float> features = r.getList(r.fieldIndex("features"));
    double worstT = 0;
    double worstF = 0;
    for (int i = 0; i < 100 * 3 * 513; i++) {
      worstT = Math.max(worstT, Math.abs(targets.get(i) - expected.targets()[i]) / (1e-2 + expected.targets()[i]));
    }
    for (int i = 0; i < 100 * 513; i++) {
      worstF = Math.max(worstF, Math.abs(features.get(i) - expected.mixture()[i]) / (1e-2 + expected.mixture()[i]));
    }
    assertThat(worstT).as("targets vs the stems' STFT magnitude").isLessThan(1e-3);
    assertThat(worstF).as("features vs the mixture's STFT magnitude").isLessThan(1e-3);
  }

  @Test
  void medleyDbStemsAreGroupedByTheirMetadata() throws Exception {
    new MedleyDbGenerator(2.0).generate(tmp.resolve("in"), 3, 3);
    Path file = Files.writeString(tmp.resolve("melody.conf"), Files.readString(Path.of("../conf/sources/"
        + "medleydb-melody.conf")));
    SourceGrouping melody = SourceGrouping.parse(Files.readString(file), file.toString());
    IngestSummary s = ingest("medleydb", tmp.resolve("in"), melody);
    assertThat(s.clipsOk()).isEqualTo(3);
    assertThat(s.quarantined()).isZero();
    assertThat(provenance(s).separationSources().names()).containsExactly("melody", "accompaniment");
    Row r = FeatureTable.read(spark, s.table(), "segments").limit(1).collectAsList().get(0);
    assertThat((int) r.getAs("n_target_channels")).isEqualTo(2 * 513);
  }

  @Test
  void aStemNoSourceTakesQuarantinesTheClipNamingTheStem() throws Exception {
    new IdmtDrumsGenerator(1.0).generate(tmp.resolve("in"), 3, 1);
    SourceGrouping noSnare = new SourceGrouping(List.of(new SourceGrouping.Source("HH", List.of("stem:HH")),
        new SourceGrouping.Source("KD", List.of("stem:KD"))));
    IngestSummary s = ingest("idmt-drums", tmp.resolve("in"), noSnare);
    assertThat(s.clipsOk()).isZero();
    assertThat(s.quarantined()).isEqualTo(3);
    List<Row> q = FeatureTable.read(spark, s.table(), "quarantine").collectAsList();
    assertThat(q).allSatisfy(row -> {
      assertThat((String) row.getAs("error_class")).isEqualTo("UnassignedStem");
      assertThat((String) row.getAs("message")).contains("#SD.wav", "matches no source of [HH, KD]");
    });
  }

  @Test
  void aSeparationTableNeedsAMagnitudeStft() {
    FeatureSpec logmel = FeatureSpec.builder().build();
    assertThatThrownBy(() -> new IngestOptions("idmt-drums", "in", "out", logmel, false, 0.2, 0.2, 1, 0, 10,
        Map.of()).withSources(SourceGrouping.idmtDrums())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kind = stft, power = 1");
  }

  @Test
  void sourcesFilesAreCheckedKeyByKey() {
    assertThatThrownBy(() -> SourceGrouping.parse("sources = [{name = a, match = [\"*\"], gain = 2}, "
        + "{name = b, match = [\"*\"]}]", "s.conf")).hasMessageContaining("s.conf: sources[0]: unknown key 'gain'");
    assertThatThrownBy(() -> SourceGrouping.parse("sources = [{name = a, match = [\"colour:red\"]}, "
        + "{name = b, match = [\"*\"]}]", "s.conf")).hasMessageContaining("rule 'colour:red'");
    assertThatThrownBy(() -> SourceGrouping.parse("sources = [{name = a, match = [\"*\"]}]", "s.conf"))
        .hasMessageContaining("at least 2 sources");
  }
}
