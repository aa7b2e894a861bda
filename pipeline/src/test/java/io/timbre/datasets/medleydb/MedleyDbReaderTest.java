package io.timbre.datasets.medleydb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.timbre.audio.MonoAudio;
import io.timbre.audio.WavDecoder;
import io.timbre.datasets.ClipRef;
import io.timbre.datasets.DatasetListing;
import io.timbre.datasets.DatasetRoot;
import io.timbre.datasets.QuarantineRecord;
import io.timbre.datasets.TimeSeries;
import io.timbre.sampledata.MedleyDbGenerator;
import io.timbre.sampledata.SampleManifest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MedleyDbReaderTest {
  @TempDir static Path generated;
  static SampleManifest manifest;
  static MedleyDbGenerator generator = new MedleyDbGenerator(4.0);

  @BeforeAll
  static void generate() throws IOException {
    manifest = generator.generate(generated, 3, 6);
  }

  static DatasetListing read(Path root, Errata errata) {
    return new MedleyDbReader(errata, 0.2, 0.2, 1).read(DatasetRoot.open(root.toString(), new Configuration()));
  }

  @Test
  void readsTracksStemsMetadataAndAnnotations() {
    DatasetListing listing = read(generated, Errata.bundled());
    assertThat(listing.quarantine()).isEmpty();
    assertThat(listing.clips()).extracting(ClipRef::id).containsExactlyElementsOf(manifest.byId().keySet());
    for (ClipRef c : listing.clips()) {
      SampleManifest.Entry e = manifest.byId().get(c.id());
      assertThat(c.groupKey()).isEqualTo(e.groupKey());
      assertThat(c.labels()).containsAll(e.labels());
      assertThat(c.audioPaths()).hasSize(1 + Integer.parseInt(e.tags().get("n_stems")));
      assertThat(c.audioPaths().get(0)).endsWith("_MIX.wav");
      assertThat(c.audioPaths().subList(1, c.audioPaths().size())).isSorted();
      assertThat(c.tags()).containsEntry("artist", e.tags().get("artist")).containsKey("has_bleed")
          .containsEntry("has_melody", "yes").containsEntry("version", "1.2");
      assertThat(c.tags().get("has_bleed")).isIn("yes", "no");
      Map<String, TimeSeries> s = c.series().stream().collect(Collectors.toMap(TimeSeries::name, x -> x));
      assertThat(s).containsKeys("melody1", "melody2", "melody3", "activation");
      assertThat(s.get("melody3").columnNames()).hasSize(Integer.parseInt(e.tags().get("melody3_columns")));
      assertThat(s.get("activation").columnNames()).hasSize(c.audioPaths().size() - 1).startsWith("S01");
      TimeSeries m1 = s.get("melody1");
      assertThat(m1.times()[1] - m1.times()[0]).isCloseTo(MedleyDbReader.MELODY_HOP, within(1e-12));
      float[] f0 = generator.melodyF0().get(c.id());
      for (int k = 0; k < m1.length(); k += 7) {
        assertThat(m1.columns()[0][k]).isCloseTo(f0[Math.min(f0.length - 1, k * 256)], within(1e-6));
      }
    }
  }

  @Test
  void quirkAnInstrumentListCountsEveryInstrument() {
    assertThat(read(generated, Errata.none()).clips())
        .anySatisfy(c -> assertThat(c.labels()).contains("drum set", "auxiliary percussion"));
  }

  @Test
  void splitsAreArtistConditional() {
    DatasetListing listing = read(generated, Errata.none());
    Map<String, Set<String>> byArtist = listing.clips().stream().collect(Collectors.groupingBy(ClipRef::groupKey,
        Collectors.mapping(ClipRef::split, Collectors.toSet())));
    assertThat(byArtist.values()).allSatisfy(v -> assertThat(v).hasSize(1));
    assertThat(listing.clips().stream().map(ClipRef::split).collect(Collectors.toSet()))
        .contains("train", "validation", "test");
  }

  @Test
  void melodyF0IsThePitchOfTheMelodyStem() throws IOException {
    ClipRef c = read(generated, Errata.none()).clips().get(0);
    MonoAudio stem = WavDecoder.decodeMono(Path.of(new org.apache.hadoop.fs.Path(c.audioPaths().get(1)).toUri()
        .getPath()));
    TimeSeries m1 = c.series().stream().filter(s -> s.name().equals("melody1")).findFirst().orElseThrow();
    int checked = 0;
    for (int k = 0; k < m1.length() && checked < 20; k += 13) {
      double f = m1.columns()[0][k];
      int at = (int) Math.round(m1.times()[k] * stem.sampleRate());
      if (f <= 0 || at + 2048 >= stem.samples().length || m1.columns()[0][Math.min(m1.length() - 1, k + 8)] <= 0) {
        continue;
      }
      double est = autocorrelationPitch(stem.samples(), at, stem.sampleRate(), f);
      double cents = 1200 * Math.abs(Math.log(est / f) / Math.log(2));
      assertThat(cents).as("frame %d: annotated %.1f Hz, audio %.1f Hz", k, f, est).isLessThan(50);
      checked++;
    }
    assertThat(checked).isGreaterThan(5);
  }

  /** Best lag of the autocorrelation within ±3 semitones of the expected f0 (pitch, not octave, is checked). */
  private static double autocorrelationPitch(float[] x, int at, int sr, double expected) {
    int lo = (int) (sr / (expected * 1.2));
    int hi = (int) (sr / (expected / 1.2)) + 1;
    double best = -1;
    int bestLag = lo;
    for (int lag = lo; lag <= hi; lag++) {
      double s = 0;
      for (int i = 0; i < 1024; i++) {
        s += x[at + i] * x[at + i + lag];
      }
      if (s > best) {
        best = s;
        bestLag = lag;
      }
    }
    return sr / (double) bestLag;
  }

  @Test
  void errataStemsAreExcludedAndBrokenFilesQuarantined(@TempDir Path tmp) throws IOException {
    Path root = tmp.resolve("mdb");
    SampleManifest m = new MedleyDbGenerator(1.5).generate(root, 4, 4);
    String[] ids = m.entries().stream().map(e -> e.id().split("/")[1]).toArray(String[]::new);
    // Errata: stem 2 of the first track.
    Errata errata = Errata.parse(new ByteArrayInputStream((ids[0] + "_STEM_02.wav\t1\tbleed\n")
        .getBytes(StandardCharsets.UTF_8)));
    // No metadata for the second track; a broken MELODY1 for the third; CR-only endings for the fourth's MELODY2;
    // a stem file missing from the first.
    Files.deleteIfExists(root.resolve("Audio/" + ids[1] + "/" + ids[1] + "_METADATA.yaml"));
    Files.deleteIfExists(root.resolve("Metadata/" + ids[1] + "_METADATA.yaml"));
    Files.writeString(root.resolve("Annotations/Melody/Melody1/" + ids[2] + "_MELODY1.csv"), "0.0,100\n0.0058,abc\n");
    Path m2 = root.resolve("Annotations/Melody/Melody2/" + ids[3] + "_MELODY2.csv");
    Files.writeString(m2, Files.readString(m2).replace("\n", "\r"));
    Files.delete(root.resolve("Audio/" + ids[0] + "/" + ids[0] + "_STEMS/" + ids[0] + "_STEM_03.wav"));

    DatasetListing listing = read(root, errata);
    Map<String, String> reasons = listing.quarantine().stream().collect(Collectors.toMap(
        r -> r.path().substring(r.path().lastIndexOf('/') + 1), QuarantineRecord::errorClass));
    assertThat(reasons).containsEntry(ids[0] + "_STEM_02.wav", "Errata")
        .containsEntry(ids[0] + "_STEM_03.wav", "MissingAudio")
        .containsEntry(ids[1] + "_MIX.wav", "MissingMetadata")
        .containsEntry(ids[2] + "_MELODY1.csv", "BadAnnotation").hasSize(4);
    assertThat(listing.quarantine()).filteredOn(r -> r.errorClass().equals("BadAnnotation"))
        .allSatisfy(r -> assertThat(r.message()).contains("line 2 column 2", "'abc'"));
    Map<String, ClipRef> clips = listing.clips().stream().collect(Collectors.toMap(c -> c.id().split("/")[1],
        c -> c));
    assertThat(clips).hasSize(3).doesNotContainKey(ids[1]);
    assertThat(clips.get(ids[0]).audioPaths()).noneMatch(p -> p.endsWith("_STEM_02.wav") || p.endsWith("_STEM_03.wav"));
    assertThat(clips.get(ids[0]).tags()).containsKey("stem_S02_excluded");
    assertThat(clips.get(ids[2]).series()).extracting(TimeSeries::name).doesNotContain("melody1").contains("melody2");
    assertThat(clips.get(ids[3]).series()).extracting(TimeSeries::name).contains("melody2");
    assertThat(Errata.bundled().reason("LizNelson_ImComingHome_STEM_02.wav")).contains("type 1");
  }

  /** Jackson hands over an alias's name as a string: {@code instrument: *i} must not become the label "i". */
  @Test
  void yamlAnchorsAndAliasesAreRefusedNotTurnedIntoLabels(@TempDir Path tmp) throws IOException {
    Path root = tmp.resolve("mdb");
    SampleManifest m = new MedleyDbGenerator(1.0).generate(root, 2, 2);
    String id = m.entries().get(0).id().split("/")[1];
    Path meta = Files.exists(root.resolve("Audio/" + id + "/" + id + "_METADATA.yaml"))
        ? root.resolve("Audio/" + id + "/" + id + "_METADATA.yaml") : root.resolve("Metadata/" + id + "_METADATA.yaml");
    String yaml = Files.readString(meta);
    int first = yaml.indexOf("instrument:");
    int second = yaml.indexOf("instrument:", first + 1);
    String line = yaml.substring(first, yaml.indexOf('\n', first));
    String secondLine = yaml.substring(second, yaml.indexOf('\n', second));
    yaml = yaml.replace(secondLine, secondLine.replace(secondLine.substring("instrument:".length()), " *i"))
        .replace(line, "instrument: &i" + line.substring("instrument:".length()));
    Files.writeString(meta, yaml);
    DatasetListing listing = read(root, Errata.bundled());
    assertThat(listing.quarantine()).filteredOn(r -> r.errorClass().equals("BadMetadata"))
        .singleElement().satisfies(r -> assertThat(r.message()).contains("anchors and aliases are not allowed"));
    assertThat(listing.clips()).noneMatch(c -> c.labels().contains("i"));
  }
}
