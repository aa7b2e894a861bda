package io.timbre.datasets.idmt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.timbre.audio.MonoAudio;
import io.timbre.audio.WavDecoder;
import io.timbre.datasets.ClipRef;
import io.timbre.datasets.DatasetListing;
import io.timbre.datasets.DatasetRoot;
import io.timbre.datasets.NoteEvent;
import io.timbre.datasets.QuarantineRecord;
import io.timbre.sampledata.IdmtDrumsGenerator;
import io.timbre.sampledata.SampleManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdmtDrumsReaderTest {
  @TempDir static Path generated;
  static SampleManifest manifest;
  static IdmtDrumsGenerator generator = new IdmtDrumsGenerator(3.0);

  @BeforeAll
  static void generate() throws IOException {
    manifest = generator.generate(generated, 5, 2);
  }

  static DatasetListing read(Path root) {
    return new IdmtDrumsReader().read(DatasetRoot.open(root.toString(), new Configuration()));
  }

  @Test
  void readsEveryMixWithStemsAndOnsetsMatchingTheGenerator() {
    DatasetListing listing = read(generated);
    assertThat(listing.quarantine()).isEmpty();
    assertThat(listing.clips()).extracting(ClipRef::id).containsExactlyElementsOf(manifest.byId().keySet());
    for (ClipRef c : listing.clips()) {
      SampleManifest.Entry e = manifest.byId().get(c.id());
      assertThat(c.groupKey()).isEqualTo(e.groupKey());
      assertThat(c.labels()).containsExactlyElementsOf(e.labels());
      assertThat(c.audioPaths()).hasSize(4);
      assertThat(c.audioPaths().get(0)).endsWith("#MIX.wav");
      assertThat(c.tags()).containsEntry("annotation", "xml").containsKeys("train_HH", "stem_KD");
      Map<String, List<Double>> expected = generator.onsets().get(c.id()).byInstrument();
      for (String inst : IdmtDrumsReader.INSTRUMENTS) {
        List<Double> got = c.events().stream().filter(ev -> ev.label().equals(inst)).map(NoteEvent::onsetSec)
            .toList();
        assertThat(got).as("%s %s", c.id(), inst).hasSameSizeAs(expected.get(inst));
        for (int i = 0; i < got.size(); i++) {
          assertThat(got.get(i)).isCloseTo(expected.get(inst).get(i), within(1e-6));
        }
      }
      assertThat(c.events()).isSortedAccordingTo((a, b) -> Double.compare(a.onsetSec(), b.onsetSec()));
    }
    Map<String, java.util.Set<String>> splitsByKit = listing.clips().stream().collect(Collectors.groupingBy(
        ClipRef::groupKey, Collectors.mapping(ClipRef::split, Collectors.toSet())));
    assertThat(splitsByKit.values()).allSatisfy(s -> assertThat(s).hasSize(1));
  }

  @Test
  void annotatedOnsetsAreWhereTheHitsAreInTheAudio() throws IOException {
    ClipRef c = read(generated).clips().get(0);
    MonoAudio kick = WavDecoder.decodeMono(Path.of(new org.apache.hadoop.fs.Path(c.audioPaths().get(2)).toUri().getPath()));
    assertThat(c.audioPaths().get(2)).endsWith("#KD.wav");
    for (NoteEvent e : c.events()) {
      if (!e.label().equals("KD")) {
        continue;
      }
      int at = (int) Math.round(e.onsetSec() * kick.sampleRate());
      double before = rms(kick.samples(), Math.max(0, at - 200), at - 5);
      double after = rms(kick.samples(), at, at + 200);
      assertThat(after).as("energy right after the onset at %.3f s", e.onsetSec()).isGreaterThan(before * 3);
    }
  }

  private static double rms(float[] x, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += x[i] * x[i];
    }
    return Math.sqrt(s / Math.max(1, to - from)) + 1e-9;
  }

  @Test
  void svlLayersStandInForAMissingXmlAndBrokenAnnotationsAreQuarantined(@TempDir Path tmp) throws IOException {
    Path root = tmp.resolve("drums");
    IdmtDrumsGenerator g = new IdmtDrumsGenerator(2.0);
    SampleManifest m = g.generate(root, 9, 1);
    Path base = root.resolve("IDMT-SMT-DRUMS-V2");
    Files.delete(base.resolve("annotation_xml/RealDrum01_01#MIX.xml"));
    Files.writeString(base.resolve("annotation_xml/WaveDrum02_01#MIX.xml"), "<instrumentRecording><transcription>"
        + "<event><onsetSec>abc</onsetSec><instrument>KD</instrument></event></transcription></instrumentRecording>");
    Files.writeString(base.resolve("annotation_xml/TechnoDrum03_05#MIX.xml"), "<instrumentRecording/>");
    Files.writeString(base.resolve("audio/notes.bin"), "x");

    DatasetListing listing = read(root);
    ClipRef fromSvl = listing.clips().stream().filter(c -> c.id().contains("RealDrum01_01")).findFirst()
        .orElseThrow();
    assertThat(fromSvl.tags()).containsEntry("annotation", "svl");
    Map<String, List<Double>> expected = g.onsets().get(fromSvl.id()).byInstrument();
    assertThat(fromSvl.events()).hasSize(expected.values().stream().mapToInt(List::size).sum());
    Map<String, String> reasons = listing.quarantine().stream().collect(Collectors.toMap(
        r -> r.path().substring(r.path().lastIndexOf('/') + 1), QuarantineRecord::errorClass));
    assertThat(reasons).containsEntry("WaveDrum02_01#MIX.wav", "BadAnnotation")
        .containsEntry("TechnoDrum03_05#MIX.xml", "OrphanFile").containsEntry("notes.bin", "UnexpectedFile")
        .hasSize(3);
    assertThat(listing.quarantine()).filteredOn(r -> r.errorClass().equals("BadAnnotation"))
        .allSatisfy(r -> assertThat(r.message()).contains("onsetSec", "'abc'"));
    assertThat(listing.clips()).hasSize(m.entries().size() - 1);
  }

  @Test
  void svlLayersThatDeclareEntitiesAreRefusedNotSilentlyStripped(@TempDir Path tmp) throws IOException {
    Path root = tmp.resolve("drums");
    SampleManifest m = new IdmtDrumsGenerator(2.0).generate(root, 9, 1);
    Path base = root.resolve("IDMT-SMT-DRUMS-V2");
    Path secret = Files.writeString(tmp.resolve("secret.txt"), "s3cr3t");
    String[] doctypes = {
        "<!DOCTYPE sonic-visualiser [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>",
        "<!DOCTYPE sonic-visualiser SYSTEM \"" + secret.toUri() + "\">",
        "<!DOCTYPE sonic-visualiser [<!ENTITY x \"inline\">]>"};
    String[] clips = {"RealDrum01_01", "WaveDrum02_01", "TechnoDrum03_01"};
    for (int i = 0; i < clips.length; i++) {
      Files.delete(base.resolve("annotation_xml/" + clips[i] + "#MIX.xml"));
      Path svl = base.resolve("annotation_svl/" + clips[i] + "#KD.svl");
      String body = Files.readString(svl).replace("<!DOCTYPE sonic-visualiser>", doctypes[i])
          .replace("<data>", i == 1 ? "<data>" : "<data>&x;");
      Files.writeString(svl, body);
    }

    DatasetListing listing = read(root);
    for (String clip : clips) {
      assertThat(listing.clips()).noneMatch(c -> c.id().contains(clip));
      assertThat(listing.quarantine()).filteredOn(r -> r.path().endsWith(clip + "#KD.svl"))
          .singleElement().satisfies(r -> {
            assertThat(r.errorClass()).isEqualTo("BadAnnotation");
            assertThat(r.message()).contains(clip + "#KD.svl", "declares a DTD or entities").doesNotContain("s3cr3t");
          });
    }
    assertThat(listing.clips()).hasSize(m.entries().size() - clips.length);
  }
}
