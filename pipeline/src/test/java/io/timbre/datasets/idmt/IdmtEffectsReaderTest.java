package io.timbre.datasets.idmt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timbre.datasets.ClipRef;
import io.timbre.datasets.DatasetException;
import io.timbre.datasets.DatasetListing;
import io.timbre.datasets.DatasetRoot;
import io.timbre.datasets.QuarantineRecord;
import io.timbre.sampledata.IdmtEffectsGenerator;
import io.timbre.sampledata.SampleManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdmtEffectsReaderTest {
  @TempDir static Path generated;
  static SampleManifest manifest;

  @BeforeAll
  static void generate() throws IOException {
    manifest = new IdmtEffectsGenerator(0.25).generate(generated, 11, 2);
  }

  static DatasetListing read(Path root) {
    return new IdmtEffectsReader().read(DatasetRoot.open(root.toString(), new Configuration()));
  }

  @Test
  void readsBackEveryVariantWithItsDecodedLabels() {
    DatasetListing listing = read(generated);
    assertThat(listing.quarantine()).isEmpty();
    Map<String, SampleManifest.Entry> expected = manifest.byId();
    assertThat(expected).hasSize(3 * 2 * 33);
    assertThat(listing.clips()).extracting(ClipRef::id).containsExactlyElementsOf(expected.keySet());
    for (ClipRef c : listing.clips()) {
      SampleManifest.Entry e = expected.get(c.id());
      assertThat(c.labels()).as(c.id()).containsExactlyElementsOf(e.labels());
      assertThat(c.groupKey()).as(c.id()).isEqualTo(e.groupKey());
      e.tags().forEach((k, v) -> assertThat(c.tags()).as(c.id()).containsEntry(k, v));
      assertThat(c.tags()).containsKey("list_id").containsKey("file_nr").containsKey("fx_group_name");
    }
    assertThat(listing.clips().stream().map(c -> c.labels().get(0)).distinct()).hasSize(12);
  }

  @Test
  void theThirtyThreeVariantsOfACleanNoteNeverStraddleSplits() {
    DatasetListing listing = read(generated);
    Map<String, List<ClipRef>> byGroup = listing.clips().stream().collect(Collectors.groupingBy(ClipRef::groupKey));
    assertThat(byGroup).hasSize(6);
    assertThat(byGroup.values()).allSatisfy(g -> {
      assertThat(g).hasSize(33);
      assertThat(g.stream().map(ClipRef::split).distinct()).hasSize(1);
    });
    assertThat(listing.clips()).extracting(ClipRef::split).contains("train");
    DatasetListing again = read(generated);
    assertThat(again.clips()).isEqualTo(listing.clips());
  }

  @Test
  void quirkSecondHalvesAndTheEqFolder() {
    List<ClipRef> clips = read(generated).clips();
    assertThat(clips).anySatisfy(c -> {
      assertThat(c.id()).startsWith("Gitarre monophon2/Samples/Tremolo/");
      assertThat(c.tags()).containsEntry("half", "2").containsEntry("subset", "Gitarre monophon");
    });
    assertThat(clips).filteredOn(c -> c.labels().get(0).equals("EQ"))
        .allSatisfy(c -> assertThat(c.tags()).containsEntry("fx_type", "12").containsEntry("fx_group", "1"))
        .hasSize(6 * 2);
    assertThat(clips).filteredOn(c -> c.tags().get("instrument").equals("guitar_polyphonic"))
        .allSatisfy(c -> assertThat(c.tags()).containsKeys("midi_root", "chord_type").doesNotContainKey("fret"));
  }

  @Test
  void listsAndNamesThatDisagreeAreQuarantined(@TempDir Path tmp) throws IOException {
    Path root = tmp.resolve("fx");
    SampleManifest m = new IdmtEffectsGenerator(0.2).generate(root, 5, 1);
    Path lists = root.resolve("Bass monophon/Lists/Chorus");
    Path oneList;
    try (var s = Files.list(lists)) {
      oneList = s.findFirst().orElseThrow();
    }
    String xml = Files.readString(oneList);
    // One entry's fxsetting contradicts its file name; one entry names a file that does not exist.
    String firstId = xml.substring(xml.indexOf("<fileID>") + 8, xml.indexOf("</fileID>"));
    xml = xml.replaceFirst("<fxsetting>(\\d)</fxsetting><filenr>", "<fxsetting>3</fxsetting><filenr>");
    xml = xml.replace("</content>", "<audiofile><fileID>B11-28100-3311-99999</fileID></audiofile></content>");
    Files.writeString(oneList, xml);
    Files.writeString(lists.resolve("broken.xml"), "<content><audiofile>");
    Files.writeString(lists.resolve("xxe.xml"), "<?xml version=\"1.0\"?><!DOCTYPE c [<!ENTITY x SYSTEM "
        + "\"file:///etc/passwd\">]><content>&x;</content>");
    Path chorus = root.resolve("Bass monophon/Samples/Chorus");
    Path flanger = root.resolve("Bass monophon/Samples/Flanger");
    String aChorusFile;
    try (var s = Files.list(chorus)) {
      aChorusFile = s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(firstId + ".wav")).sorted()
          .findFirst().orElseThrow();
    }
    Files.copy(chorus.resolve(aChorusFile), flanger.resolve(aChorusFile));
    Files.copy(chorus.resolve(aChorusFile), chorus.resolve("take2.wav"));

    DatasetListing listing = read(root);
    Map<String, String> reasons = listing.quarantine().stream().collect(Collectors.toMap(
        r -> r.path().substring(r.path().lastIndexOf('/') + 1), QuarantineRecord::errorClass, (x, y) -> x + "+" + y));
    assertThat(reasons).containsEntry(firstId + ".wav", "XmlMismatch")
        .containsEntry(oneList.getFileName() + "#B11-28100-3311-99999", "ListedAudioMissing")
        .containsEntry("broken.xml", "BadXml").containsEntry("xxe.xml", "BadXml")
        .containsEntry(aChorusFile, "LabelMismatch").containsEntry("take2.wav", "BadFileName").hasSize(6);
    assertThat(listing.quarantine()).filteredOn(r -> r.errorClass().equals("BadXml"))
        .allSatisfy(r -> assertThat(r.message()).doesNotContain("root:"));
    Set<String> ids = listing.clips().stream().map(ClipRef::id).collect(Collectors.toSet());
    assertThat(ids).hasSize(m.entries().size() - 1).doesNotContain("Bass monophon/Samples/Chorus/" + firstId + ".wav");
  }

  @Test
  void unzippedReleaseIsAClearJobLevelError(@TempDir Path tmp) throws IOException {
    Files.write(tmp.resolve("Bass monophon.zip"), new byte[] {'P', 'K', 3, 4});
    assertThatThrownBy(() -> read(tmp)).isInstanceOf(DatasetException.class).hasMessageContaining("unzip them");
  }
}
