package io.timbre.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.timbre.ingest.IngestJob;
import io.timbre.ingest.IngestOptions;
import io.timbre.sampledata.MedleyDbGenerator;
import io.timbre.separation.SourceGrouping;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Melody / accompaniment separation on generated MedleyDB with the shipped experiment and sources file: trained by
 * parameter averaging over 2 workers, evaluated with BSS Eval on the held-out artists' tracks.
 */
class MedleyDbSeparationTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = io.timbre.spark.Sessions.create("medleydb-separation-test", "local[2]",
        Map.of("spark.sql.shuffle.partitions", "2"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void melodyAndAccompanimentSeparateOnHeldOutArtists(@TempDir Path tmp) throws Exception {
    new MedleyDbGenerator(8.0).generate(tmp.resolve("in"), 7, 16);
    SourceGrouping sources = SourceGrouping.parse(Files.readString(Path.of("../conf/sources/medleydb-melody.conf")),
        "medleydb-melody.conf");
    String table = IngestJob.run(spark, new IngestOptions("medleydb", tmp.resolve("in").toString(),
        tmp.resolve("tables").toString(), SeparationTrainingTest.SPEC, false, 0.2, 0.2, 1, 0, 100, Map.of())
        .withSources(sources)).table();
    Experiment ex = Experiment.parse(ConfigFactory.parseString(Files.readString(
        Path.of("../conf/experiments/medleydb-separation-drnn.conf")) + "\ntrain { workers = 2 }\n").resolve(),
        "medleydb-separation-drnn.conf");
    RunResult run = Trainer.run(spark, new TrainRequest(table, ex, tmp.resolve("runs").toString(), "m", false));
    io.timbre.eval.Evaluator.Result ev = io.timbre.eval.Evaluator.run(spark, new io.timbre.eval.Evaluator.Request(
        run.runDir(), table, "test", tmp.resolve("metrics").toString(), Double.NaN, 3));
    var sep = ev.metrics().metrics().object("separation");
    System.out.printf("MedleyDB held-out artists: %d tracks, mean NSDR %.2f dB, GNSDR %.2f dB (melody %.2f, "
        + "accompaniment %.2f), ideal ratio mask GNSDR %.2f dB%n", (long) sep.number("tracks"),
        sep.object("mean").number("nsdr"), sep.number("gnsdr"),
        sep.object("per_source").object("melody").number("gnsdr"),
        sep.object("per_source").object("accompaniment").number("gnsdr"),
        sep.object("baselines").object("ideal_ratio_mask").number("gnsdr"));
    assertThat(sep.number("tracks_scored")).isGreaterThanOrEqualTo(2);
    assertThat(sep.number("gnsdr")).as("GNSDR, dB").isGreaterThanOrEqualTo(4.0);
  }
}
