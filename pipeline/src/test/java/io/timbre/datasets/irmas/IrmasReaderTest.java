package io.timbre.datasets.irmas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timbre.audio.TestSignals;
import io.timbre.audio.WavWriter;
import io.timbre.datasets.ClipRef;
import io.timbre.datasets.DatasetException;
import io.timbre.datasets.DatasetListing;
import io.timbre.datasets.DatasetRoot;
import io.timbre.datasets.QuarantineRecord;
import io.timbre.sampledata.IrmasGenerator;
import io.timbre.sampledata.SampleManifest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IrmasReaderTest {
  @TempDir static Path generated;
  static SampleManifest manifest;

  @BeforeAll
  static void generate() throws IOException {
    manifest = new IrmasGenerator(1.0, 2.0).generate(generated, 7, 4);
  }

  static DatasetListing read(Path root) {
    return new IrmasReader().read(DatasetRoot.open(root.toString(), new Configuration()));
  }

  @Test
  void readsBackExactlyWhatTheGeneratorWrote() {
    DatasetListing listing = read(generated);
    assertThat(listing.quarantine()).isEmpty();
    Map<String, SampleManifest.Entry> expected = manifest.byId();
    assertThat(listing.clips()).extracting(ClipRef::id).containsExactlyElementsOf(expected.keySet());
    for (ClipRef clip : listing.clips()) {
      SampleManifest.Entry e = expected.get(clip.id());
      assertThat(clip.split()).as(clip.id()).isEqualTo(e.split());
      assertThat(clip.labels()).as(clip.id()).containsExactlyElementsOf(e.labels());
      assertThat(clip.groupKey()).as(clip.id()).isEqualTo(e.groupKey());
      e.tags().forEach((k, v) -> assertThat(clip.tags()).as(clip.id()).containsEntry(k, v));
      assertThat(clip.dataset()).isEqualTo("irmas");
      assertThat(clip.audioPath()).startsWith("file:").endsWith(clip.id().substring(clip.id().lastIndexOf('/') + 1));
      assertThat(clip.sizeBytes()).isGreaterThan(44);
    }
    assertThat(listing.countsBySplitAndLabel().get("train")).containsEntry("(clips)", 44).containsEntry("cla", 4);
    assertThat(listing.summary()).contains("irmas at ", "train: 44 clips", "test: ");
  }

  @Test
  void quirkTheSameNnnnKeyInTwoFoldersKeepsBothFiles() {
    DatasetListing listing = read(generated);
    Map<String, List<String>> byKey = listing.clips().stream().filter(c -> c.split().equals("train"))
        .collect(Collectors.groupingBy(c -> c.tags().get("source") + "__" + c.tags().get("excerpt"),
            Collectors.mapping(ClipRef::id, Collectors.toList())));
    assertThat(byKey.values()).anySatisfy(ids -> assertThat(ids).hasSizeGreaterThan(1));
  }

  @Test
  void quirkBothTrainingNamePatternsAndTheirTags() {
    List<ClipRef> train = read(generated).clips().stream().filter(c -> c.split().equals("train")).toList();
    assertThat(train).anySatisfy(c -> assertThat(c.tags()).containsKey("prefix").containsEntry("drums", "yes"));
    assertThat(train).anySatisfy(c -> assertThat(c.tags()).doesNotContainKey("prefix")
        .containsEntry("drums", "unknown"));
  }

  @Test
  void quirkGenreClaIsNotTheClarinet() {
    ClipRef classicalClarinet = read(generated).clips().stream()
        .filter(c -> c.id().contains("/cla/[cla][cla]") || c.id().matches(".*/cla/\\d{3}__\\[cla]\\[(dru|nod)]\\[cla].*"))
        .findFirst().orElseThrow();
    assertThat(classicalClarinet.labels()).containsExactly("cla");
    assertThat(classicalClarinet.tags()).containsEntry("genre", "cla").containsEntry("instrument", "cla");
  }

  @Test
  void quirkPart2InnerFolderOddNamesAndTrailingTabsInLabels() {
    List<ClipRef> test = read(generated).clips().stream().filter(c -> c.split().equals("test")).toList();
    assertThat(test).anySatisfy(c -> assertThat(c.id()).startsWith(
        "IRMAS-TestingData-Part2/IRTestingData-Part2/"));
    assertThat(test).anySatisfy(c -> assertThat(c.id()).contains("Caf\u00c3\u00a9")); // mojibake kept as is
    assertThat(test).anySatisfy(c -> assertThat(c.id()).contains("[Live]"));
    assertThat(test).allSatisfy(c -> assertThat(c.labels()).allMatch(IrmasReader.INSTRUMENTS::contains));
    assertThat(test).anySatisfy(c -> assertThat(c.labels()).hasSizeGreaterThan(1));
  }

  @Test
  void labelLinesAreStrippedDeduplicatedAndValidated() {
    List<String> labels = new java.util.ArrayList<>();
    assertThat(IrmasReader.parseLabels("gel\t\nvoi\t\n\ngel  \r\n", labels)).isNull();
    assertThat(labels).containsExactly("gel", "voi");
    assertThat(IrmasReader.parseLabels("gel\t\nbass\t\n", new java.util.ArrayList<>()))
        .contains("unknown instrument code 'bass' on line 2");
    assertThat(IrmasReader.parseLabels("\t\n", new java.util.ArrayList<>())).contains("no instrument codes");
  }

  @Test
  void testExcerptsOfOneSongShareAGroup() {
    Map<String, Set<String>> titlesByGroup = read(generated).clips().stream().filter(c -> c.split().equals("test"))
        .collect(Collectors.groupingBy(ClipRef::groupKey,
            Collectors.mapping(c -> c.tags().get("title"), Collectors.toSet())));
    assertThat(titlesByGroup.values()).allSatisfy(t -> assertThat(t).hasSize(1));
    assertThat(titlesByGroup.keySet()).allMatch(k -> k.startsWith("irmas-test:"));
  }

  @Test
  void validationHoldOutIsGroupedByRecordingAndDeterministic() {
    DatasetRoot root = DatasetRoot.open(generated.toString(), new Configuration());
    DatasetListing a = new IrmasReader(0.25, 42).read(root);
    DatasetListing b = new IrmasReader(0.25, 42).read(root);
    assertThat(a.clips()).isEqualTo(b.clips());
    assertThat(a.clips()).extracting(ClipRef::split).contains("train", "validation", "test");
    Map<String, Set<String>> splitsByGroup = a.clips().stream().collect(Collectors.groupingBy(ClipRef::groupKey,
        Collectors.mapping(ClipRef::split, Collectors.toSet())));
    assertThat(splitsByGroup.values()).allSatisfy(s -> assertThat(s).hasSize(1));
    assertThat(a.clips().stream().filter(c -> c.split().equals("test")).count())
        .isEqualTo(manifest.entries().stream().filter(e -> e.split().equals("test")).count());
  }

  @Test
  void corruptFilesAreQuarantinedWithAClearReasonAndEveryGoodClipIsKept(@TempDir Path tmp) throws IOException {
    Path root = tmp.resolve("irmas");
    SampleManifest good = new IrmasGenerator(0.5, 1.0).generate(root, 3, 2);
    Path train = root.resolve("IRMAS-TrainingData");
    Path part1 = root.resolve("IRMAS-TestingData-Part1/Part1");
    byte[] wav = Files.readAllBytes(root.resolve(good.entries().get(0).id()));
    // Truncated WAV, empty file, non-audio with a .wav name, wrong rate, bad name, folder/tag mismatch.
    Files.write(train.resolve("pia/[pia][jaz_blu]9001__1.wav"), Arrays.copyOf(wav, wav.length / 2));
    Files.write(train.resolve("pia/[pia][jaz_blu]9002__1.wav"), new byte[0]);
    Files.writeString(train.resolve("pia/[pia][jaz_blu]9003__1.wav"), "<html>not audio</html>");
    try (OutputStream os = Files.newOutputStream(train.resolve("pia/[pia][jaz_blu]9004__1.wav"))) {
      WavWriter.writePcm16(os, TestSignals.sine(22050, 0.5, 440, 0.5), 1, 22050);
    }
    Files.write(train.resolve("pia/piano take 3.wav"), wav);
    Files.write(train.resolve("pia/[vio][cla]9005__1.wav"), wav);
    Files.write(train.resolve("pia/[pia][metal]9006__1.wav"), wav);
    Files.writeString(train.resolve("pia/notes.csv"), "a,b\n");
    Files.writeString(train.resolve("README.txt"), "IRMAS docs"); // documentation: ignored, not quarantined
    // Test part: a label file with an unknown code, a WAV without labels, labels without a WAV.
    Files.write(part1.resolve("Bad Label Song-1.wav"), wav);
    Files.writeString(part1.resolve("Bad Label Song-1.txt"), "pia\t\nxyz\t\n");
    Files.write(part1.resolve("No Label Song-2.wav"), wav);
    Files.writeString(part1.resolve("Orphan Song-3.txt"), "voi\t\n");
    Files.writeString(part1.resolve("Empty Labels-4.txt"), "\n");
    Files.write(part1.resolve("Empty Labels-4.wav"), wav);

    DatasetListing listing = read(root);
    assertThat(listing.clips()).extracting(ClipRef::id).containsExactlyElementsOf(good.byId().keySet());
    Map<String, QuarantineRecord> q = listing.quarantine().stream()
        .collect(Collectors.toMap(r -> r.path().substring(r.path().lastIndexOf('/') + 1), r -> r));
    assertThat(q).hasSize(12);
    assertReason(q, "[pia][jaz_blu]9001__1.wav", "TRUNCATED", "truncated");
    assertReason(q, "[pia][jaz_blu]9002__1.wav", "NOT_WAVE", "empty file");
    assertReason(q, "[pia][jaz_blu]9003__1.wav", "NOT_WAVE", "no 'RIFF' magic; the file starts with");
    assertReason(q, "[pia][jaz_blu]9004__1.wav", "WrongSampleRate", "22050 Hz");
    assertReason(q, "piano take 3.wav", "BadFileName", "not an IRMAS training name");
    assertReason(q, "[vio][cla]9005__1.wav", "LabelMismatch", "folder 'pia'");
    assertReason(q, "[pia][metal]9006__1.wav", "UnknownGenre", "'metal'");
    assertReason(q, "notes.csv", "UnexpectedFile", "not a .wav");
    assertReason(q, "Bad Label Song-1.wav", "UnknownLabel", "'xyz' on line 2");
    assertReason(q, "No Label Song-2.wav", "MissingLabels", "No Label Song-2.txt");
    assertReason(q, "Orphan Song-3.txt", "AnnotationWithoutAudio", "without its .wav");
    assertReason(q, "Empty Labels-4.wav", "NoLabels", "no instrument codes");
    assertThat(listing.quarantine()).allSatisfy(r -> {
      assertThat(r.dataset()).isEqualTo("irmas");
      assertThat(r.message()).contains(r.path().substring(r.path().lastIndexOf('/') + 1));
    });
    assertThat(listing.summary()).contains("quarantine TRUNCATED: 1");
  }

  private static void assertReason(Map<String, QuarantineRecord> q, String file, String errorClass, String text) {
    assertThat(q).as("quarantined: %s", q.keySet()).containsKey(file);
    assertThat(q.get(file).errorClass()).as(file).isEqualTo(errorClass);
    assertThat(q.get(file).message()).as(file).contains(text);
  }

  @Test
  void quirkNamesThatAreNotUtf8AreQuarantinedNotLost(@TempDir Path tmp) throws Exception {
    Path root = tmp.resolve("irmas");
    SampleManifest good = new IrmasGenerator(0.5, 1.0).generate(root, 4, 1);
    Path part = root.resolve("IRMAS-TestingData-Part1/Part1");
    // A Latin-1 byte in a file name (as old archives unpacked on Linux have): Hadoop's local listing skips it.
    Process p = new ProcessBuilder("sh", "-c", "printf 'pia\\t\\n' > \"$(printf 'Caf\\351-1.txt')\"; "
        + "cp \"$(ls *.wav | head -1)\" \"$(printf 'Caf\\351-1.wav')\"").directory(part.toFile())
        .redirectErrorStream(true).start();
    assertThat(p.waitFor()).isZero();
    org.junit.jupiter.api.Assumptions.assumeTrue(java.util.Objects.requireNonNull(part.toFile().list()).length
        > good.entries().stream().filter(e -> e.id().contains("Part1/")).count() * 2, "file system took the name");
    DatasetListing listing = read(root);
    assertThat(listing.clips()).hasSize(good.entries().size());
    assertThat(listing.quarantine()).extracting(QuarantineRecord::errorClass)
        .containsExactly("UnreadableName", "UnreadableName");
    assertThat(listing.quarantine()).allSatisfy(r -> assertThat(r.message()).contains("Caf", "not valid UTF-8"));
  }

  @Test
  void aRootWithoutIrmasFoldersIsAJobLevelError(@TempDir Path tmp) throws IOException {
    Files.writeString(tmp.resolve("hello.txt"), "hi", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> read(tmp)).isInstanceOf(DatasetException.class)
        .hasMessageContaining("no IRMAS-TrainingData");
    assertThatThrownBy(() -> read(tmp.resolve("missing"))).isInstanceOf(DatasetException.class)
        .hasMessageContaining("does not exist");
  }

  /** A link back up the tree is reported once and not followed; a dangling link is named as one, not as bad UTF-8. */
  @Test
  void linkLoopsAndDanglingLinksAreReportedNotFollowed(@TempDir Path tmp) throws IOException {
    SampleManifest m = new io.timbre.sampledata.IrmasGenerator(0.5, 0.5).generate(tmp.resolve("irmas"), 1, 1);
    Path cel;
    try (var dirs = java.nio.file.Files.walk(tmp.resolve("irmas"))) {
      cel = dirs.filter(p -> p.getFileName().toString().equals("cel") && java.nio.file.Files.isDirectory(p))
          .findFirst().orElseThrow();
    }
    java.nio.file.Files.createSymbolicLink(cel.resolve("loopdir"), java.nio.file.Path.of(".."));
    java.nio.file.Files.createSymbolicLink(cel.resolve("gone.wav"), tmp.resolve("nowhere.wav"));
    DatasetListing listing = read(tmp.resolve("irmas"));
    assertThat(listing.clips()).hasSize(m.entries().size());
    assertThat(listing.quarantine()).filteredOn(q -> q.errorClass().equals("SymlinkLoop")).singleElement()
        .satisfies(q -> assertThat(q.path()).endsWith("cel/loopdir"));
    assertThat(listing.quarantine()).filteredOn(q -> q.errorClass().equals("BrokenLink")).singleElement()
        .satisfies(q -> assertThat(q.message()).contains("nowhere.wav"));
    assertThat(listing.quarantine()).noneMatch(q -> q.errorClass().equals("UnreadableName"));
    assertThat(listing.quarantine()).hasSize(2);
  }
}
