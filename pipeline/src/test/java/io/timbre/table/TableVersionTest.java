package io.timbre.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timbre.exceptions.ConcurrentWriterException;
import io.timbre.exceptions.IncompatibleArtefactException;
import io.timbre.features.FeatureSpec;
import io.timbre.ingest.IngestJob;
import io.timbre.ingest.IngestOptions;
import io.timbre.ingest.IngestSummary;
import io.timbre.sampledata.IrmasGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A table is complete or absent: an ingest that fails at any stage — writing segments, committing them, writing clips,
 * quarantine or provenance — over a published table leaves that table exactly as it was (every row compared), and
 * over a fresh output leaves nothing a reader would take for a table.
 */
class TableVersionTest {
  static final FeatureSpec SPEC = FeatureSpec.builder().nMels(40).segmentSeconds(0.5).build();
  static SparkSession spark;
  @TempDir static Path data;

  @BeforeAll
  static void start() throws IOException {
    spark = io.timbre.spark.Sessions.create("table-version-test", "local[2]", Map.of("spark.sql.shuffle.partitions",
        "2"));
    new IrmasGenerator(1.0, 1.0).generate(data.resolve("a"), 1, 1);
    new IrmasGenerator(1.0, 1.0).generate(data.resolve("b"), 2, 2);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static IngestSummary ingest(Path input, Path output, boolean incremental, Map<String, String> hadoop) {
    Configuration h = spark.sparkContext().hadoopConfiguration();
    String impl = h.get("fs.file.impl");
    try {
      return IngestJob.run(spark, new IngestOptions("irmas", input.toString(), output.toString(), SPEC, incremental,
          0.2, 0.2, 1, 0, 10, hadoop));
    } finally {
      // IngestJob applies its Hadoop settings to the session: undo the injected failure for the next ingest.
      h.set("fs.file.impl", impl);
      hadoop.keySet().stream().filter(k -> !k.equals("fs.file.impl")).forEach(h::unset);
    }
  }

  /** Fails the file system at paths matching {@code pattern} (create, or rename with a {@code rename:} prefix). */
  static Map<String, String> failingAt(String pattern) {
    boolean rename = pattern.startsWith("rename:");
    return Map.of("fs.file.impl", FailingLocalFileSystem.class.getName(), "fs.file.impl.disable.cache", "true",
        rename ? FailingLocalFileSystem.RENAME : FailingLocalFileSystem.CREATE,
        rename ? pattern.substring("rename:".length()) : pattern);
  }

  static TreeSet<String> contents(String table) throws Exception {
    return TableContents.digests(spark, table);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      ".*/versions/[^/]+/segments/_temporary/.*part-.*",   // featurising: a task writing segments
      "rename:.*/versions/[^/]+/segments/_temporary/.*",   // committing the segments
      ".*/versions/[^/]+/clips/_temporary/.*part-.*",      // writing clips
      ".*/versions/[^/]+/quarantine/_temporary/.*part-.*", // writing quarantine
      ".*/versions/[^/]+/\\._provenance\\.json.*"})        // writing provenance
  void aReplacingIngestThatFailsLeavesThePublishedTableExactlyAsItWas(String failAt, @TempDir Path tmp)
      throws Exception {
    IngestSummary first = ingest(data.resolve("a"), tmp, false, Map.of());
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    TableVersion before = TableVersion.current(first.table(), conf);
    TreeSet<String> reference = contents(first.table());
    assertThat(reference).isNotEmpty();

    assertThatThrownBy(() -> ingest(data.resolve("b"), tmp, false, failingAt(failAt)))
        .hasStackTraceContaining("No space left on device (injected");

    TableVersion after = TableVersion.current(first.table(), conf);
    assertThat(after.id()).isEqualTo(before.id());
    assertThat(contents(first.table())).as("every row of the published table").isEqualTo(reference);
    assertThat(TableInfo.read(first.table(), conf).inputFingerprint()).isNotEmpty();
    // The next ingest publishes normally and cleans the failed attempt's folder up with old versions.
    IngestSummary again = ingest(data.resolve("b"), tmp, false, Map.of());
    assertThat(contents(again.table())).isNotEqualTo(reference);
  }

  @Test
  void aFirstIngestThatFailsLeavesNoTable(@TempDir Path tmp) {
    assertThatThrownBy(() -> ingest(data.resolve("a"), tmp, false,
        failingAt(".*/versions/[^/]+/\\._provenance\\.json.*"))).hasStackTraceContaining("injected");
    String table = FeatureTable.location(tmp.toString(), "irmas", SPEC.id());
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    assertThat(TableVersion.current(table, conf)).isNull();
    assertThatThrownBy(() -> TableInfo.read(table, conf)).isInstanceOf(IncompatibleArtefactException.class)
        .hasMessageContaining("no published table there");
    assertThatThrownBy(() -> FeatureTable.read(spark, table, "segments")).isInstanceOf(IncompatibleArtefactException.class)
        .hasMessageContaining("no published table there");
  }

  @Test
  void versionIdsSortInPublicationOrderEvenWithinOneMillisecondOrAfterAClockStep() {
    String previous = null;
    for (int i = 0; i < 1000; i++) {
      String id = TableVersion.newId(String.format("%08x", i), previous);
      if (previous != null) {
        assertThat(id).isGreaterThan(previous);
      }
      previous = id;
    }
    String fromTheFuture = "29991231T235959999Z-abcdef01";
    assertThat(TableVersion.newId("12345678", fromTheFuture)).isGreaterThan(fromTheFuture);
    String otherShape = "20261205T000107Z-5cf302f2";
    assertThat(TableVersion.newId("12345678", otherShape)).isGreaterThan(otherShape);
  }

  @Test
  void oldVersionsAreKeptForRollBackThenRemoved(@TempDir Path tmp) throws Exception {
    String table = null;
    for (int i = 0; i < 4; i++) {
      table = ingest(data.resolve(i % 2 == 0 ? "a" : "b"), tmp, false, Map.of()).table();
    }
    List<String> versions;
    try (Stream<Path> s = Files.list(Path.of(table, "versions"))) {
      versions = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    String current = TableVersion.current(table, new Configuration()).id();
    assertThat(versions).hasSize(1 + 2).endsWith(current);
  }

  @Test
  void anIncrementalVersionReusesThePreviousFoldersAndAFailedOneChangesNothing(@TempDir Path tmp) throws Exception {
    String table = ingest(data.resolve("a"), tmp, false, Map.of()).table();
    TreeSet<String> before = contents(table);
    assertThatThrownBy(() -> ingest(data.resolve("b"), tmp, true,
        failingAt(".*/versions/[^/]+/clips/_temporary/.*part-.*"))).hasStackTraceContaining("injected");
    assertThat(contents(table)).isEqualTo(before);

    ingest(data.resolve("b"), tmp, true, Map.of());
    TableVersion v = TableVersion.current(table, new Configuration());
    assertThat(v.parts().get("segments")).hasSize(2).last().asString().startsWith("versions/");
    assertThat(contents(table)).containsAll(before.stream().filter(r -> !r.startsWith("quarantine")).toList());
  }

  @Test
  void aTableFromBeforeVersionsIsReadAndReplacedCleanly(@TempDir Path tmp) throws Exception {
    String table = ingest(data.resolve("a"), tmp, false, Map.of()).table();
    TreeSet<String> reference = contents(table);
    // The layout older Timbre wrote: the parts and the provenance directly under the table, no pointer.
    TableVersion v = TableVersion.current(table, new Configuration());
    for (String part : TableVersion.PARTS) {
      Files.move(Path.of(v.locations(part).get(0)), Path.of(table, part));
    }
    Files.move(Path.of(v.provenanceLocation()), Path.of(table, "_provenance.json"));
    Files.delete(Path.of(table, TableVersion.POINTER));
    assertThat(TableVersion.current(table, new Configuration()).id()).isEqualTo(TableVersion.LEGACY);
    assertThat(contents(table)).isEqualTo(reference);

    ingest(data.resolve("b"), tmp, false, Map.of());
    assertThat(Path.of(table, "segments")).doesNotExist();
    assertThat(Path.of(table, "_provenance.json")).doesNotExist();
    assertThat(TableVersion.current(table, new Configuration()).id()).isNotEqualTo(TableVersion.LEGACY);
  }

  @Test
  void aPointerThatEscapesTheTableOrLacksItsProvenanceIsRefused(@TempDir Path tmp) throws Exception {
    String table = ingest(data.resolve("a"), tmp, false, Map.of()).table();
    Path pointer = Path.of(table, TableVersion.POINTER);
    String text = Files.readString(pointer);
    Files.writeString(pointer, text.replaceFirst("\"versions/", "\"../../versions/"));
    assertThatThrownBy(() -> TableVersion.current(table, new Configuration())).isInstanceOf(IncompatibleArtefactException.class)
        .hasMessageContaining("is not inside the table");
    Files.writeString(pointer, text);
    Files.delete(Path.of(TableVersion.current(table, new Configuration()).provenanceLocation()));
    assertThatThrownBy(() -> TableVersion.current(table, new Configuration())).isInstanceOf(IncompatibleArtefactException.class)
        .hasMessageContaining("is missing");
  }

  @Test
  void aSecondIngestIsRefusedWhileAnotherWritesTheTable(@TempDir Path tmp) throws Exception {
    String table = ingest(data.resolve("a"), tmp, false, Map.of()).table();
    TreeSet<String> before = contents(table);
    try (TableLease held = TableLease.acquire(table, new Configuration(), "ingest irmas from elsewhere",
        java.time.Duration.ofMinutes(10), false)) {
      assertThatThrownBy(() -> ingest(data.resolve("b"), tmp, false, Map.of())).isInstanceOf(ConcurrentWriterException.class)
          .hasMessageContaining("another run is writing it").hasMessageContaining("ingest irmas from elsewhere");
    }
    assertThat(contents(table)).isEqualTo(before);
    ingest(data.resolve("b"), tmp, false, Map.of()); // released: the next one runs
    assertThat(Path.of(table, TableLease.FILE)).doesNotExist();
  }
}
