package io.timbre.datasets.idmt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.timbre.audio.WavReader;
import io.timbre.datasets.ClipRef;
import io.timbre.datasets.DatasetListing;
import io.timbre.datasets.DatasetReader;
import io.timbre.datasets.DatasetRoot;
import io.timbre.datasets.NoteEvent;
import io.timbre.datasets.QuarantineRecord;
import io.timbre.datasets.TimeSeries;
import io.timbre.sampledata.IdmtStringsGenerator;
import io.timbre.sampledata.SampleManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdmtStringsReadersTest {
  private static DatasetListing read(DatasetReader reader, Path root) {
    return reader.read(DatasetRoot.open(root.toString(), new Configuration()));
  }

  private static void assertMatches(DatasetListing listing, SampleManifest manifest) {
    assertThat(listing.clips()).extracting(ClipRef::id).containsExactlyElementsOf(manifest.byId().keySet());
    for (ClipRef c : listing.clips()) {
      SampleManifest.Entry e = manifest.byId().get(c.id());
      assertThat(c.labels()).as(c.id()).containsExactlyElementsOf(e.labels());
      assertThat(c.groupKey()).as(c.id()).isEqualTo(e.groupKey());
      if (e.tags().containsKey("events")) {
        assertThat(c.events()).as(c.id()).hasSize(Integer.parseInt(e.tags().get("events")));
      }
    }
    Map<String, java.util.Set<String>> splits = listing.clips().stream().collect(Collectors.groupingBy(
        ClipRef::groupKey, Collectors.mapping(ClipRef::split, Collectors.toSet())));
    assertThat(splits.values()).allSatisfy(s -> assertThat(s).hasSize(1));
  }

  @Test
  void guitarNotesTechniquesAndQuirks(@TempDir Path tmp) throws IOException {
    SampleManifest m = new IdmtStringsGenerator(0.6).guitar(tmp, 1, 6);
    DatasetListing listing = read(new IdmtGuitarReader(), tmp);
    assertThat(listing.quarantine()).isEmpty();
    assertMatches(listing, m);
    Map<String, ClipRef> byName = listing.clips().stream().collect(Collectors.toMap(
        c -> c.id().substring(c.id().lastIndexOf('/') + 1), c -> c));
    // Lick11's XML has the VSBHD suffix and is still paired.
    assertThat(byName.get("AR_Lick11_FN.wav").tags().get("annotation")).endsWith("AR_Lick11_FNVSBHD.xml");
    // Lick10 has an event whose pitch is not tuning + fret: kept and flagged.
    ClipRef lick10 = byName.get("AR_Lick10_FN.wav");
    assertThat(lick10.tags()).containsEntry("pitch_mismatches", "1");
    assertThat(lick10.events()).filteredOn(e -> e.attributes().containsKey("pitchMismatch")).hasSize(1);
    // The piece has no instrumentTuning: standard tuning assumed.
    assertThat(byName.get("pathetique_1.wav").tags()).containsEntry("tuning_assumed", "yes");
    NoteEvent first = byName.get("pathetique_1.wav").events().get(0);
    assertThat(first.pitch()).isEqualTo(52);
    assertThat(first.onsetSec()).isCloseTo(0.1, within(1e-9));
    assertThat(first.attributes()).containsEntry("stringNumber", "3").containsEntry("fretNumber", "2")
        .containsEntry("excitationStyle", "PK");
    // A 24-bit file is read like the 16-bit ones.
    assertThat(listing.clips()).anySatisfy(c -> {
      try (WavReader r = WavReader.open(Path.of(new org.apache.hadoop.fs.Path(c.audioPath()).toUri().getPath()))) {
        assertThat(r.format().bitsPerSample()).isEqualTo(24);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
    assertThat(byName.get("Fender_VI_2.wav").labels()).containsExactly("VI");
  }

  @Test
  void guitarWithoutXmlOrWithBrokenXmlIsQuarantined(@TempDir Path tmp) throws IOException {
    new IdmtStringsGenerator(0.4).guitar(tmp, 2, 1);
    Path d2 = tmp.resolve("IDMT-SMT-GUITAR_V2/dataset2");
    Files.delete(d2.resolve("annotation/AR_Lick9_FN.xml"));
    Files.writeString(d2.resolve("annotation/AR_Lick10_FN.xml"), "<instrumentRecording><transcription><event>"
        + "<pitch>40</pitch><onsetSec>zero</onsetSec></event></transcription></instrumentRecording>");
    Files.writeString(d2.resolve("annotation/Orphan_Lick.xml"), "<instrumentRecording/>");
    DatasetListing listing = read(new IdmtGuitarReader(), tmp);
    Map<String, String> q = listing.quarantine().stream().collect(Collectors.toMap(
        r -> r.path().substring(r.path().lastIndexOf('/') + 1), QuarantineRecord::errorClass));
    assertThat(q).containsEntry("AR_Lick9_FN.wav", "MissingAnnotation").containsEntry("AR_Lick10_FN.wav",
        "BadAnnotation").containsEntry("Orphan_Lick.xml", "AnnotationWithoutAudio").hasSize(3);
  }

  @Test
  void bassTechniquesFromFoldersAndNames(@TempDir Path tmp) throws IOException {
    SampleManifest m = new IdmtStringsGenerator(0.3).bass(tmp, 3, 2);
    Path ps = tmp.resolve("IDMT-SMT-BASS/PS");
    Files.copy(ps.resolve("FS/BS_2_EQ_1_FS_NO_1_0.wav"), ps.resolve("PK/BS_2_EQ_1_FS_NO_1_0.wav"));
    Files.copy(ps.resolve("FS/BS_2_EQ_1_FS_NO_1_0.wav"), ps.resolve("FS/bass note.wav"));
    DatasetListing listing = read(new IdmtBassReader(), tmp);
    assertMatches(listing, m);
    assertThat(listing.clips().stream().map(c -> c.labels().get(0)).distinct()).hasSize(10);
    Map<String, String> q = listing.quarantine().stream().collect(Collectors.toMap(
        r -> r.path().substring(r.path().indexOf("/PS/") + 4), QuarantineRecord::errorClass));
    assertThat(q).containsEntry("PK/BS_2_EQ_1_FS_NO_1_0.wav", "LabelMismatch")
        .containsEntry("FS/bass note.wav", "BadFileName").hasSize(2);
  }

  @Test
  void bassSingleTracksNotesAndBeats(@TempDir Path tmp) throws IOException {
    SampleManifest m = new IdmtStringsGenerator(0.5).bassSingleTrack(tmp, 4, 3);
    DatasetListing listing = read(new IdmtBassSingleTrackReader(), tmp);
    assertThat(listing.quarantine()).isEmpty();
    assertMatches(listing, m);
    ClipRef c = listing.clips().get(0);
    assertThat(c.tags()).containsEntry("xml_instrument", "EB").containsEntry("xml_instrumentTuning", "28,33,38,43")
        .containsEntry("xml_pickupSetting", "neck").containsEntry("has_beats", "yes");
    TimeSeries beats = c.series().get(0);
    assertThat(beats.columnNames()).containsExactly("bar", "beat");
    assertThat(beats.columns()[0][4]).isEqualTo(2.0);
    assertThat(beats.columns()[1][4]).isEqualTo(1.0);
    assertThat(c.events()).allSatisfy(e -> assertThat(e.attributes()).doesNotContainKey("pitchMismatch"));
  }
}
