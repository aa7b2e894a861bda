package io.timbre.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.timbre.audio.MonoAudio;
import io.timbre.audio.WavDecoder;
import io.timbre.eval.Evaluator;
import io.timbre.features.FeatureKind;
import io.timbre.features.FeatureSpec;
import io.timbre.generate.GenerateJob;
import io.timbre.generate.GenerateRequest;
import io.timbre.generate.GeneratedAudio;
import io.timbre.generation.FrameRepresentation;
import io.timbre.ingest.IngestJob;
import io.timbre.ingest.IngestOptions;
import io.timbre.sampledata.IdmtStringsGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Next-frame generation end to end on generated IDMT-SMT-Guitar: a magnitude + phase-advance frame table, the shipped GRUV
 * experiment trained by parameter averaging on 2 workers and on 1, held-out next-frame MSE against the two baselines,
 * {@code generate}, and a resumed GRU run that ends where an uninterrupted one does.
 */
class GenerationTrainingTest {
  static final FeatureSpec SPEC = FeatureSpec.builder().kind(FeatureKind.STFT).power(1.0).sampleRate(8000)
      .nFft(256).hopLength(128).topDb(null).segmentSeconds(1.6).segmentHopSeconds(1.6).build();
  static SparkSession spark;
  @TempDir static Path data;
  static String table;

  @BeforeAll
  static void start() throws IOException {
    spark = io.timbre.spark.Sessions.create("generation-training-test", "local[2]",
        Map.of("spark.sql.shuffle.partitions", "2"));
    new IdmtStringsGenerator().guitar(data.resolve("in"), 7, 30);
    table = IngestJob.run(spark, new IngestOptions("idmt-guitar", data.resolve("in").toString(),
        data.resolve("tables").toString(), SPEC, false, 0.2, 0.2, 1, 0, 100, Map.of())
        .withFrames(FrameRepresentation.MAGNITUDE_PHASE_ADVANCE)).table();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** The shipped experiment with the test's workers and epochs, and other model settings where given. */
  static Experiment experiment(int workers, int epochs, String model) throws IOException {
    String conf = Files.readString(Path.of("../conf/experiments/idmt-guitar-gruv.conf"));
    return Experiment.parse(ConfigFactory.parseString(conf + "\ntrain { epochs = " + epochs + ", workers = "
        + workers + ", keep_checkpoints = 10 }\nmodel { " + model + " }\n").resolve(), "idmt-guitar-gruv.conf");
  }

  @Test
  void twoWorkersLearnAsOneBeatBothBaselinesAndGenerate(@TempDir Path runs) throws IOException {
    RunResult two = Trainer.run(spark, new TrainRequest(table, experiment(2, 30, ""), runs.toString(), "two", false));
    RunResult one = Trainer.run(spark, new TrainRequest(table, experiment(1, 30, ""), runs.toString(), "one", false));
    double mse2 = two.bestMetrics().get("next_frame_mse");
    double mse1 = one.bestMetrics().get("next_frame_mse");
    System.out.printf("frame_lstm validation next-frame MSE: 2 workers %.4f, 1 worker %.4f; repeat-last %.4f, "
        + "mean frame %.4f%n", mse2, mse1, two.bestMetrics().get("repeat_last_mse"),
        two.bestMetrics().get("mean_frame_mse"));
    assertThat(two.bestMetrics().get("mse_reduction_vs_repeat_last")).as("2 workers vs repeat-last")
        .isGreaterThanOrEqualTo(0.2);
    assertThat(one.bestMetrics().get("mse_reduction_vs_repeat_last")).as("1 worker vs repeat-last")
        .isGreaterThanOrEqualTo(0.2);
    assertThat(Math.abs(mse2 - mse1) / mse1).as("parameter averaging vs one worker, relative MSE").isLessThan(0.25);

    Evaluator.Result ev = Evaluator.run(spark, new Evaluator.Request(two.runDir(), table, "test",
        runs.resolve("metrics").toString(), Double.NaN, 3));
    var g = ev.metrics().metrics().object("generation");
    double model = g.object("model").number("next_frame_mse");
    double repeat = g.object("repeat_last").number("next_frame_mse");
    double mean = g.object("mean_frame").number("next_frame_mse");
    System.out.printf("held-out next-frame MSE: model %.4f, repeat-last %.4f, mean frame %.4f (%.0f %% / %.0f %% "
        + "lower); LSD model %.2f dB, repeat-last %.2f dB, mean frame %.2f dB over %.0f frames%n", model, repeat,
        mean, 100 * g.number("mse_reduction_vs_repeat_last"), 100 * g.number("mse_reduction_vs_mean_frame"),
        g.object("model").number("log_spectral_distance_db"),
        g.object("repeat_last").number("log_spectral_distance_db"),
        g.object("mean_frame").number("log_spectral_distance_db"), g.number("frames"));
    assertThat(g.number("frames")).isGreaterThan(100);
    assertThat(model).as("held-out MSE vs repeat-last").isLessThanOrEqualTo(0.8 * repeat);
    assertThat(model).as("held-out MSE vs the training mean frame").isLessThan(mean);
    double lsd = g.object("model").number("log_spectral_distance_db");
    assertThat(lsd).as("held-out log-spectral distance vs repeat-last")
        .isLessThan(g.object("repeat_last").number("log_spectral_distance_db"));
    assertThat(lsd).as("held-out log-spectral distance vs the training mean frame")
        .isLessThan(g.object("mean_frame").number("log_spectral_distance_db"));
    assertThat(ev.metrics().find("generation.mse_reduction_vs_repeat_last")).isPresent();
    String html = Files.readString(Path.of(ev.dir(), "report.html"));
    assertThat(html).contains("Next-frame prediction", "repeat last", "data:image/png;base64,", "generated");

    // generate: the first 0.5 s of a clip as the seed (the notes end in silence), 1.5 s of continuation.
    String seed = Files.walk(data.resolve("in")).filter(p -> p.toString().endsWith(".wav")).sorted().findFirst()
        .orElseThrow().toString();
    Path out = runs.resolve("generated/continuation.wav");
    GeneratedAudio gen = GenerateJob.run(new GenerateRequest(two.runDir(), seed, 0.5, 1.5, out.toString(), 0.0, 0),
        new Configuration());
    System.out.println(gen);
    MonoAudio wav = WavDecoder.decodeMono(out);
    assertThat(wav.sampleRate()).isEqualTo(8000);
    assertThat(wav.samples()).hasSize(12000);
    double energy = 0;
    double peak = 0;
    for (float v : wav.samples()) {
      assertThat(Float.isFinite(v)).isTrue();
      energy += v * v;
      peak = Math.max(peak, Math.abs(v));
    }
    assertThat(10 * Math.log10(energy / wav.samples().length)).as("RMS, dBFS").isGreaterThan(-40);
    assertThat(peak).as("peak-normalised to -1 dBFS").isCloseTo(Math.pow(10, -1 / 20.0),
        org.assertj.core.data.Offset.offset(1e-3));
    GeneratedAudio back = GeneratedAudio.read(out + ".json", new Configuration());
    assertThat(back).isEqualTo(gen);
    assertThat(gen.silent()).isFalse();
  }

  @Test
  void aResumedGruRunEndsWhereAnUninterruptedOneDoes(@TempDir Path runs) throws IOException {
    Experiment ex = experiment(2, 4, "cell = gru, recurrent_units = 64");
    RunResult whole = Trainer.run(spark, new TrainRequest(table, ex, runs.toString(), "whole", false));
    assertThat(whole.bestMetrics().get("mse_reduction_vs_mean_frame")).as("GRU vs the mean frame").isGreaterThan(0);
    Path resumed = runs.resolve("idmt-guitar-gruv/resumed/checkpoints");
    Files.createDirectories(resumed);
    for (String ckpt : new String[] {"epoch-000001.ckpt", "epoch-000002.ckpt"}) {
      Files.copy(runs.resolve("idmt-guitar-gruv/whole/checkpoints").resolve(ckpt), resumed.resolve(ckpt));
    }
    RunResult r = Trainer.run(spark, new TrainRequest(table, ex, runs.toString(), "resumed", true));
    assertThat(r.epochsRun()).isEqualTo(4);
    assertThat(r.bestMetrics().get("next_frame_mse")).isEqualTo(whole.bestMetrics().get("next_frame_mse"));
    var a = org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(Path.of(r.runDir(), "model.zip")
        .toFile());
    var b = org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(Path.of(whole.runDir(), "model.zip")
        .toFile());
    assertThat(a.params().sub(b.params()).amaxNumber().doubleValue()).as("max |dparam| resumed vs uninterrupted")
        .isLessThanOrEqualTo(1e-5);
  }
}
