package io.timbre.bench;

import com.sun.management.ThreadMXBean;
import io.timbre.audio.MonoAudio;
import io.timbre.audio.TestSignals;
import io.timbre.audio.WavDecoder;
import io.timbre.audio.WavWriter;
import io.timbre.features.Decibels;
import io.timbre.features.FeatureExtractor;
import io.timbre.features.FeatureKind;
import io.timbre.features.FeatureSpec;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Single-thread throughput of WAV decoding and of log-mel(128) + MFCC(40), in audio-seconds per CPU-second, on a
 * generated music-like mono file. Decoding and features are timed separately, with thread CPU time (not wall time, so a
 * busy neighbour does not skew it), after warm-up rounds, reporting the median; a stage breakdown shows where the
 * feature time goes; thread allocation counters show bytes allocated per audio-second.
 */
public final class FeatureBenchmark {
  /** One measured configuration. */
  public record Result(int sampleRate, double audioSeconds, double decodeCpuSeconds, double featuresCpuSeconds,
      double featuresAllocatedBytes, double stftCpuSeconds, double melCpuSeconds, double dbCpuSeconds,
      double dctCpuSeconds) {
    public double decodeRealtime() {
      return audioSeconds / decodeCpuSeconds;
    }

    public double featuresRealtime() {
      return audioSeconds / featuresCpuSeconds;
    }
  }

  private final ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
  private final double seconds;
  private final int rounds;
  private final PrintStream log;

  public FeatureBenchmark(double seconds, int rounds, PrintStream log) {
    this.seconds = seconds;
    this.rounds = rounds;
    this.log = log;
  }

  public Result run(int sampleRate, Path workDir) throws IOException {
    Path wav = workDir.resolve("bench-" + sampleRate + ".wav");
    float[] signal = TestSignals.music(sampleRate, seconds, 42);
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(wav), 1 << 20)) {
      WavWriter.writePcm16(os, signal, 1, sampleRate);
    }
    log.printf("%d Hz: %.0f s mono 16-bit WAV (%d MB), %d rounds after warm-up%n", sampleRate, seconds,
        Files.size(wav) >> 20, rounds);

    // Decode.
    double[] decode = new double[rounds];
    MonoAudio audio = null;
    for (int r = -2; r < rounds; r++) {
      long c0 = cpu();
      audio = WavDecoder.decodeMono(wav);
      long c1 = cpu();
      if (r >= 0) {
        decode[r] = (c1 - c0) / 1e9;
      }
    }
    Files.deleteIfExists(wav);
    float[] y = audio.samples();

    // Features: log-mel + MFCC in one pass, as ingest computes them.
    FeatureSpec spec = FeatureSpec.builder().sampleRate(sampleRate).kind(FeatureKind.MFCC).build();
    FeatureExtractor fx = new FeatureExtractor(spec);
    double[] features = new double[rounds];
    double[] alloc = new double[rounds];
    for (int r = -3; r < rounds; r++) {
      long a0 = allocated();
      long c0 = cpu();
      FeatureExtractor.LogMelMfcc out = fx.logMelAndMfcc(y);
      long c1 = cpu();
      long a1 = allocated();
      if (out.mfcc().frames() != spec.frameCount(y.length)) {
        throw new IllegalStateException("benchmark produced the wrong frame count");
      }
      if (r >= 0) {
        features[r] = (c1 - c0) / 1e9;
        alloc[r] = a1 - a0;
      }
    }

    // Stage breakdown (same work, split): STFT power, mel projection, dB + floor, DCT.
    int frames = spec.frameCount(y.length);
    double[] mel = new double[frames * spec.nMels()];
    double[] mfcc = new double[frames * spec.nMfcc()];
    double[][] stages = new double[4][rounds];
    for (int r = -2; r < rounds; r++) {
      double stft = 0;
      double melT = 0;
      for (int t = 0; t < frames; t++) {
        long c0 = cpu();
        double[] p = fx.powerSpectrum(y, t);
        long c1 = cpu();
        fx.melFilterbank().apply(p, mel, t * spec.nMels());
        long c2 = cpu();
        stft += c1 - c0;
        melT += c2 - c1;
      }
      long c0 = cpu();
      double max = Decibels.toDb(mel, 0, mel.length, 1.0, 1e-10, false);
      Decibels.floor(mel, 0, mel.length, max, 80);
      long c1 = cpu();
      for (int t = 0; t < frames; t++) {
        fx.dct().apply(mel, t * spec.nMels(), mfcc, t * spec.nMfcc());
      }
      long c2 = cpu();
      if (r >= 0) {
        stages[0][r] = stft / 1e9;
        stages[1][r] = melT / 1e9;
        stages[2][r] = (c1 - c0) / 1e9;
        stages[3][r] = (c2 - c1) / 1e9;
      }
    }
    return new Result(sampleRate, audio.durationSeconds(), median(decode), median(features), median(alloc),
        median(stages[0]), median(stages[1]), median(stages[2]), median(stages[3]));
  }

  /** Runs every rate and prints a table. */
  public List<Result> runAll(int[] rates, Path workDir) throws IOException {
    List<Result> results = new ArrayList<>();
    for (int rate : rates) {
      results.add(run(rate, workDir));
    }
    log.println();
    log.printf("machine: %s, %d cores, Java %s (single thread; thread CPU time; median of %d)%n",
        System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), Runtime.version(), rounds);
    log.printf("%-8s %12s %14s %16s %14s%n", "rate", "decode x RT", "features x RT", "features ms/10min",
        "alloc B/audio-s");
    for (Result r : results) {
      log.printf("%-8d %12.0f %14.0f %16.1f %14.0f%n", r.sampleRate(), r.decodeRealtime(), r.featuresRealtime(),
          r.featuresCpuSeconds() * 1000 * 600 / r.audioSeconds(), r.featuresAllocatedBytes() / r.audioSeconds());
    }
    log.println("where the feature time goes (stage breakdown, % of the sum; per-frame timer overhead included):");
    for (Result r : results) {
      double sum = r.stftCpuSeconds() + r.melCpuSeconds() + r.dbCpuSeconds() + r.dctCpuSeconds();
      log.printf("%-8d frame+window+FFT+|X|^2 %4.1f%%  mel %4.1f%%  dB %4.1f%%  DCT %4.1f%%%n", r.sampleRate(),
          100 * r.stftCpuSeconds() / sum, 100 * r.melCpuSeconds() / sum, 100 * r.dbCpuSeconds() / sum,
          100 * r.dctCpuSeconds() / sum);
    }
    return results;
  }

  private long cpu() {
    return threads.getCurrentThreadCpuTime();
  }

  private long allocated() {
    return threads.getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
