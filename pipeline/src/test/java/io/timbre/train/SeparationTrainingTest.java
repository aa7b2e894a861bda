package io.timbre.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.timbre.features.FeatureKind;
import io.timbre.features.FeatureSpec;
import io.timbre.ingest.IngestJob;
import io.timbre.ingest.IngestOptions;
import io.timbre.sampledata.IdmtDrumsGenerator;
import io.timbre.separation.SourceGrouping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DRNN (a ComputationGraph) trains by parameter averaging on a separation table and resumes from checkpoints. */
class SeparationTrainingTest {
  static final FeatureSpec SPEC = FeatureSpec.builder().kind(FeatureKind.STFT).power(1.0).sampleRate(16000)
      .nFft(1024).hopLength(256).topDb(null).segmentSeconds(1.6).segmentHopSeconds(1.6).build();
  static SparkSession spark;
  @TempDir static Path data;
  static String table;

  @BeforeAll
  static void start() throws IOException {
    spark = io.timbre.spark.Sessions.create("separation-training-test", "local[2]",
        Map.of("spark.sql.shuffle.partitions", "2"));
    new IdmtDrumsGenerator(4.0).generate(data.resolve("in"), 3, 12);
    table = IngestJob.run(spark, new IngestOptions("idmt-drums", data.resolve("in").toString(),
        data.resolve("tables").toString(), SPEC, false, 0.2, 0.2, 1, 0, 100, Map.of())
        .withSources(SourceGrouping.idmtDrums())).table();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** The shipped experiment, with the test's workers and epochs (and smaller layers where {@code small}). */
  static Experiment experiment(int workers, int epochs, boolean small) throws IOException {
    String conf = Files.readString(Path.of("../conf/experiments/idmt-drums-separation-drnn.conf"));
    return Experiment.parse(ConfigFactory.parseString(conf + "\ntrain { epochs = " + epochs + ", workers = "
        + workers + ", keep_checkpoints = 10 }\n" + (small ? "model { recurrent_units = 64 }\n" : "")).resolve(),
        "idmt-drums-separation-drnn.conf");
  }

  @Test
  void twoWorkersLearnAsOneAndTheMasksSeparate(@TempDir Path runs) throws IOException {
    RunResult two = Trainer.run(spark, new TrainRequest(table, experiment(2, 20, false), runs.toString(), "two", false));
    RunResult one = Trainer.run(spark, new TrainRequest(table, experiment(1, 20, false), runs.toString(), "one", false));
    double snr2 = two.bestMetrics().get("spectral_snr_db");
    double snr1 = one.bestMetrics().get("spectral_snr_db");
    System.out.printf("DRNN validation spectral SNR: 2 workers %.2f dB, 1 worker %.2f dB%n", snr2, snr1);
    assertThat(snr2).as("2 workers").isGreaterThan(8.0);
    assertThat(snr1).as("1 worker").isGreaterThan(8.0);
    assertThat(Math.abs(snr2 - snr1)).as("parameter averaging vs one worker, dB").isLessThan(3.0);
    assertThat(Files.exists(Path.of(two.runDir(), "model.zip"))).isTrue();

    // Held-out kit: BSS Eval of the separated test tracks against their stems, beside the two baselines.
    io.timbre.eval.Evaluator.Result ev = io.timbre.eval.Evaluator.run(spark, new io.timbre.eval.Evaluator.Request(
        two.runDir(), table, "test", runs.resolve("metrics").toString(), Double.NaN, 3));
    var sep = ev.metrics().metrics().object("separation");
    double nsdr = sep.object("mean").number("nsdr");
    double gnsdr = sep.number("gnsdr");
    double ideal = sep.object("baselines").object("ideal_ratio_mask").number("gnsdr");
    System.out.printf("held-out kit: mean NSDR %.2f dB, GNSDR %.2f dB, ideal ratio mask GNSDR %.2f dB, mean SDR "
        + "%.2f dB%n", nsdr, gnsdr, ideal, sep.object("mean").number("sdr"));
    assertThat(sep.number("tracks_scored")).isEqualTo(sep.number("tracks")).isGreaterThanOrEqualTo(4);
    assertThat(gnsdr).as("GNSDR, dB").isGreaterThanOrEqualTo(6.0);
    assertThat(ideal - gnsdr).as("distance to the ideal ratio mask, dB").isLessThanOrEqualTo(6.0);
    assertThat(ev.metrics().find("separation.gnsdr")).isPresent();
    assertThat(spark.read().parquet(ev.dir() + "/per_track.parquet").count())
        .isEqualTo(3L * (long) sep.number("tracks"));
    String html = Files.readString(Path.of(ev.dir(), "report.html"));
    assertThat(html).contains("Separation per source", "data:image/png;base64,", "GNSDR");

    // `separate` on two held-out mixtures and a file that is not audio.
    List<String> mixes = spark.read().parquet(ev.dir() + "/per_track.parquet").select("clip_id").distinct()
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList().stream().sorted().limit(2)
        .map(id -> data.resolve("in").resolve(id).toString()).toList();
    Path broken = Files.writeString(runs.resolve("broken.wav"), "not a RIFF file");
    Path list = Files.write(runs.resolve("inputs.txt"), java.util.stream.Stream.concat(mixes.stream(),
        java.util.stream.Stream.of(broken.toString())).toList());
    io.timbre.predict.PredictSummary separated = io.timbre.predict.Separator.run(spark, new io.timbre.predict.PredictRequest(
        two.runDir(), list.toString(), runs.resolve("separated").toString(), 1, 0));
    assertThat(separated.toString()).contains("2");
    var stems = spark.read().parquet(runs.resolve("separated/stems").toString()).collectAsList();
    assertThat(stems).hasSize(6);
    for (var row : stems) {
      Path wav = Path.of(new org.apache.hadoop.fs.Path((String) row.getAs("stem_path")).toUri().getPath());
      io.timbre.audio.MonoAudio a = io.timbre.audio.WavDecoder.decodeMono(wav);
      assertThat(a.sampleRate()).isEqualTo(16000);
      assertThat(a.samples().length).isEqualTo((int) Math.round((double) row.getAs("duration_sec") * 16000));
    }
    var quarantine = spark.read().parquet(runs.resolve("separated/quarantine").toString()).collectAsList();
    assertThat(quarantine).hasSize(1);
    assertThat((String) quarantine.get(0).getAs("path")).endsWith("broken.wav");
    assertThat(Files.exists(runs.resolve("separated/_provenance.json"))).isTrue();
  }

  @Test
  void aResumedRunEndsWhereAnUninterruptedOneDoes(@TempDir Path runs) throws IOException {
    RunResult whole = Trainer.run(spark, new TrainRequest(table, experiment(2, 4, true), runs.toString(), "whole", false));
    // An interrupted run: the same run's checkpoints of epochs 1 and 2 only, no model.json.
    Path resumed = runs.resolve("idmt-drums-separation/resumed/checkpoints");
    Files.createDirectories(resumed);
    for (String ckpt : new String[] {"epoch-000001.ckpt", "epoch-000002.ckpt"}) {
      Files.copy(runs.resolve("idmt-drums-separation/whole/checkpoints").resolve(ckpt), resumed.resolve(ckpt));
    }
    RunResult r = Trainer.run(spark, new TrainRequest(table, experiment(2, 4, true), runs.toString(), "resumed", true));
    assertThat(r.epochsRun()).isEqualTo(4);
    assertThat(r.bestMetrics().get("spectral_snr_db")).isEqualTo(whole.bestMetrics().get("spectral_snr_db"));
    var a = org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(Path.of(r.runDir(), "model.zip")
        .toFile());
    var b = org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(Path.of(whole.runDir(), "model.zip")
        .toFile());
    assertThat(a.params().sub(b.params()).amaxNumber().doubleValue()).as("max |dparam| resumed vs uninterrupted")
        .isLessThanOrEqualTo(1e-5);
  }
}
