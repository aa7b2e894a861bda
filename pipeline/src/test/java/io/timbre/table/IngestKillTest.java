package io.timbre.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timbre.exceptions.ConcurrentWriterException;
import io.timbre.exceptions.IncompatibleArtefactException;
import io.timbre.ingest.IngestJob;
import io.timbre.ingest.IngestOptions;
import io.timbre.ingest.IngestSummary;
import io.timbre.sampledata.IrmasGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kill -9 of an ingest JVM at each stage, over a fresh output and over a published table. Afterwards a reader sees
 * either the previous table exactly (every row compared with a reference run) or, once the pointer has moved, the new
 * table exactly — never a part of one, never a provenance without its data. The dead run's lease stops the next writer
 * until it is stale; the next ingest then breaks it and publishes a table equal to the reference.
 */
class IngestKillTest {
  static SparkSession spark;
  @TempDir static Path data;
  static Path previousTables;
  static TreeSet<String> previousRows;
  static String previousVersion;
  static TreeSet<String> newRows;

  @BeforeAll
  static void referenceRuns() throws Exception {
    spark = io.timbre.spark.Sessions.create("ingest-kill-test", "local[2]", Map.of("spark.sql.shuffle.partitions",
        "2"));
    new IrmasGenerator(1.0, 1.0).generate(data.resolve("a"), 1, 1);
    new IrmasGenerator(1.0, 1.0).generate(data.resolve("b"), 2, 2);
    previousTables = data.resolve("previous");
    IngestSummary a = ingest(data.resolve("a"), previousTables, Duration.ofMinutes(10));
    previousRows = TableContents.digests(spark, a.table());
    previousVersion = TableVersion.current(a.table(), conf()).id();
    IngestSummary b = ingest(data.resolve("b"), data.resolve("reference"), Duration.ofMinutes(10));
    newRows = TableContents.digests(spark, b.table());
    assertThat(newRows).isNotEqualTo(previousRows);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static Configuration conf() {
    return spark.sparkContext().hadoopConfiguration();
  }

  static IngestSummary ingest(Path input, Path output, Duration staleAfter) {
    return IngestJob.run(spark, new IngestOptions("irmas", input.toString(), output.toString(), TableVersionTest.SPEC,
        false, 0.2, 0.2, 1, 0, 10, Map.of(), true, staleAfter));
  }

  /** Where a kill lands: the operation an ingest is stalled at, and whether the new version is published by then. */
  enum Stage {
    LISTING("list:.*/IRMAS-TrainingData(/[^/]+)?", false),
    FEATURISING("create:.*/versions/[^/]+/segments/_temporary/.*part-.*", false),
    COMMITTING_SEGMENTS("rename:.*/versions/[^/]+/segments/_temporary/.*", false),
    WRITING_CLIPS("create:.*/versions/[^/]+/clips/_temporary/.*part-.*", false),
    WRITING_QUARANTINE("create:.*/versions/[^/]+/quarantine/_temporary/.*part-.*", false),
    WRITING_PROVENANCE("create:.*/versions/[^/]+/\\._provenance\\.json.*", false),
    SWITCHING_POINTER("delete:.*/\\._current\\.json\\.crc", false), // the new pointer is written, not yet moved
    RETENTION("list:.*/versions", true);

    final String at;
    final boolean published;

    Stage(String at, boolean published) {
      this.at = at;
      this.published = published;
    }
  }

  static Stream<Arguments> kills() {
    List<Arguments> out = new ArrayList<>();
    for (Stage s : Stage.values()) {
      out.add(Arguments.of(s, true));
      if (s != Stage.WRITING_CLIPS && s != Stage.WRITING_QUARANTINE) {
        out.add(Arguments.of(s, false));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}, over a published table: {1}")
  @MethodSource("kills")
  void aKilledIngestLeavesThePreviousTableOrTheCompleteNewOne(Stage stage, boolean overPublished, @TempDir Path tmp)
      throws Exception {
    Path out = tmp.resolve("tables");
    if (overPublished) {
      copyTree(previousTables, out);
    }
    String table = FeatureTable.location(out.toString(), "irmas", TableVersionTest.SPEC.id());

    Process p = startIngest(data.resolve("b"), out, stage.at, tmp.resolve("stalled"));
    killWhenStalled(p, tmp.resolve("stalled"), tmp.resolve("ingest.log"));

    if (stage.published) {
      assertThat(TableContents.digests(spark, table)).as("the new table, every row").isEqualTo(newRows);
      TableContents.assertProvenanceDescribesTheRows(spark, table, conf());
    } else if (overPublished) {
      assertThat(TableVersion.current(table, conf()).id()).isEqualTo(previousVersion);
      assertThat(TableContents.digests(spark, table)).as("the previous table, every row").isEqualTo(previousRows);
      TableContents.assertProvenanceDescribesTheRows(spark, table, conf());
    } else {
      assertThat(TableVersion.current(table, conf())).isNull();
      assertThatThrownBy(() -> TableInfo.read(table, conf())).isInstanceOf(IncompatibleArtefactException.class)
          .hasMessageContaining("no published table");
      assertThatThrownBy(() -> FeatureTable.read(spark, table, "segments")).isInstanceOf(IncompatibleArtefactException.class)
          .hasMessageContaining("no published table");
    }

    // The dead run still holds the lease: the next writer is told who, until the heartbeat is stale.
    assertThatThrownBy(() -> ingest(data.resolve("b"), out, Duration.ofMinutes(10)))
        .isInstanceOf(ConcurrentWriterException.class).hasMessageContaining("another run is writing it")
        .hasMessageContaining("pid " + p.pid());
    Thread.sleep(1_100);
    IngestSummary again = ingest(data.resolve("b"), out, Duration.ofSeconds(1));
    assertThat(TableContents.digests(spark, again.table())).as("the re-run's table, every row").isEqualTo(newRows);
    TableContents.assertProvenanceDescribesTheRows(spark, table, conf());
  }

  @Test
  void aSecondWriterInAnotherJvmIsRefusedNamingTheFirstAndChangesNothing(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("tables");
    copyTree(previousTables, out);
    String table = FeatureTable.location(out.toString(), "irmas", TableVersionTest.SPEC.id());
    Process first = startIngest(data.resolve("b"), out, Stage.FEATURISING.at, tmp.resolve("stalled"));
    try {
      awaitMarker(first, tmp.resolve("stalled"), tmp.resolve("first.log"));
      Process second = startIngest(data.resolve("a"), out, "", tmp.resolve("never"));
      assertThat(second.waitFor(180, TimeUnit.SECONDS)).isTrue();
      String log = Files.readString(tmp.resolve("never.log"), StandardCharsets.UTF_8);
      assertThat(second.exitValue()).as(log).isEqualTo(1);
      assertThat(log).contains("another run is writing it", "pid " + first.pid()).doesNotContain("PUBLISHED");
      assertThat(TableVersion.current(table, conf()).id()).isEqualTo(previousVersion);
      assertThat(TableContents.digests(spark, table)).isEqualTo(previousRows);
    } finally {
      first.destroyForcibly().waitFor();
    }
  }

  private static Process startIngest(Path input, Path output, String stallAt, Path marker) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-Xmx1g");
    for (String flag : System.getProperty("timbre.jvm.flags", "").split("\\s+")) {
      if (!flag.isBlank()) {
        cmd.add(flag);
      }
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), IngestProcess.class.getName(),
        input.toString(), output.toString(), "600",
        "fs.file.impl=" + StallingLocalFileSystem.class.getName(), "fs.file.impl.disable.cache=true",
        StallingLocalFileSystem.AT + "=" + stallAt, StallingLocalFileSystem.MARKER + "=" + marker));
    ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(marker.resolveSibling(marker.getFileName() + ".log").toFile());
    b.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    b.environment().put("OMP_NUM_THREADS", "1");
    return b.start();
  }

  /** Waits until the ingest is stalled at its kill point; fails with its log if it ends or takes too long first. */
  private static void awaitMarker(Process p, Path marker, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    while (!Files.exists(marker)) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        p.destroyForcibly().waitFor();
        throw new AssertionError("The ingest " + (p.isAlive() ? "did not reach" : "ended before") + " its kill point:\n"
            + Files.readString(marker.resolveSibling(marker.getFileName() + ".log"), StandardCharsets.UTF_8));
      }
      Thread.sleep(25);
    }
  }

  private static void killWhenStalled(Process p, Path marker, Path log) throws Exception {
    awaitMarker(p, marker, log);
    p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block, no lease release
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("killed by SIGKILL").isEqualTo(137);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path f : (Iterable<Path>) s::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }
}
