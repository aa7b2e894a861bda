package io.timbre.bench;

import com.sun.management.ThreadMXBean;
import io.timbre.audio.MonoAudio;
import io.timbre.audio.Resampler;
import io.timbre.audio.TestSignals;
import io.timbre.audio.WavDecoder;
import io.timbre.audio.WavWriter;
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
  public record Result(int sampleRate, double audioSeconds, String kernel, double decodeCpuSeconds,
      double featuresCpuSeconds, double scalarFeaturesCpuSeconds, double featuresAllocatedBytes,
      double spectraMelCpuSeconds, double dbCpuSeconds, double dctCpuSeconds) {
    public double decodeRealtime() {
      return audioSeconds / decodeCpuSeconds;
    }

    public double featuresRealtime() {
      return audioSeconds / featuresCpuSeconds;
    }

    public double scalarFeaturesRealtime() {
      return audioSeconds / scalarFeaturesCpuSeconds;
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
    resamplers(y, sampleRate);

    // Features: log-mel + MFCC in one pass, as ingest computes them; the default (fastest) kernel, then the scalar
    // JTransforms kernel as the baseline, in the same JVM on the same samples.
    FeatureSpec spec = FeatureSpec.builder().sampleRate(sampleRate).kind(FeatureKind.MFCC).build();
    FeatureExtractor fx = new FeatureExtractor(spec);
    double[] alloc = new double[rounds];
    double[] features = timeFeatures(fx, y, alloc);
    double[] scalar = timeFeatures(FeatureExtractor.scalar(spec), y, new double[rounds]);

    // Stage breakdown of the default kernel: STFT + mel projection, dB + floor, DCT.
    int frames = spec.frameCount(y.length);
    double[] mel = new double[frames * spec.nMels()];
    double[] mfcc = new double[frames * spec.nMfcc()];
    double[][] stages = new double[3][rounds];
    for (int r = -2; r < rounds; r++) {
      long c0 = cpu();
      fx.melSpectra(y, frames, mel, spec.nMels());
      long c1 = cpu();
      fx.decibels(mel, frames, spec.nMels(), spec.nMels());
      long c2 = cpu();
      fx.mfccFromDb(mel, frames, mfcc);
      long c3 = cpu();
      if (r >= 0) {
        stages[0][r] = (c1 - c0) / 1e9;
        stages[1][r] = (c2 - c1) / 1e9;
        stages[2][r] = (c3 - c2) / 1e9;
      }
    }
    return new Result(sampleRate, audio.durationSeconds(), fx.kernelName(), median(decode), median(features),
        median(scalar), median(alloc), median(stages[0]), median(stages[1]), median(stages[2]));
  }

  /**
   * Resampling to 22,050 Hz (what ingest's default spec asks for) with each way the resampler can compute integer
   * decimation, on the same samples: the SIMD direct form, FFT overlap-save and one dot product per output.
   */
  private void resamplers(float[] y, int sampleRate) {
    int target = 22050;
    if (sampleRate == target) {
      return;
    }
    for (Resampler.Decimation d : new Resampler.Decimation[] {Resampler.Decimation.VECTOR,
        Resampler.Decimation.FFT, Resampler.Decimation.DIRECT}) {
      Resampler r = new Resampler(sampleRate, target, d);
      double[] t = new double[rounds];
      for (int i = -2; i < rounds; i++) {
        long c0 = cpu();
        r.resample(y);
        long c1 = cpu();
        if (i >= 0) {
          t[i] = (c1 - c0) / 1e9;
        }
      }
      log.printf("  resample %d -> %d Hz, %-6s: %6.0fx real time (median of %d, thread CPU time)%n", sampleRate,
          target, d.name().toLowerCase(java.util.Locale.ROOT), y.length / (double) sampleRate / median(t), rounds);
    }
  }

  private double[] timeFeatures(FeatureExtractor fx, float[] y, double[] alloc) {
    double[] cpuSeconds = new double[rounds];
    int expected = fx.spec().frameCount(y.length);
    for (int r = -3; r < rounds; r++) {
      long a0 = allocated();
      long c0 = cpu();
      FeatureExtractor.LogMelMfcc out = fx.logMelAndMfcc(y);
      long c1 = cpu();
      long a1 = allocated();
      if (out.mfcc().frames() != expected) {
        throw new IllegalStateException("benchmark produced the wrong frame count");
      }
      if (r >= 0) {
        cpuSeconds[r] = (c1 - c0) / 1e9;
        alloc[r] = a1 - a0;
      }
    }
    return cpuSeconds;
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
    log.printf("%-8s %12s %16s %16s %10s %18s %16s%n", "rate", "decode x RT", "features x RT", "scalar base x RT",
        "speed-up", "features ms/10min", "alloc B/audio-s");
    for (Result r : results) {
      log.printf("%-8d %12.0f %16.0f %16.0f %9.2fx %18.1f %16.0f%n", r.sampleRate(), r.decodeRealtime(),
          r.featuresRealtime(), r.scalarFeaturesRealtime(), r.scalarFeaturesCpuSeconds() / r.featuresCpuSeconds(),
          r.featuresCpuSeconds() * 1000 * 600 / r.audioSeconds(), r.featuresAllocatedBytes() / r.audioSeconds());
    }
    log.println("features = log-mel(128) + MFCC(40) in one pass; x RT = audio-seconds per CPU-second;");
    log.println("where the feature time goes (default kernel, share of the stage sum):");
    for (Result r : results) {
      double sum = r.spectraMelCpuSeconds() + r.dbCpuSeconds() + r.dctCpuSeconds();
      log.printf("%-8d kernel %s: frame+window+FFT+|X|^2+mel %4.1f%%  dB+floor %4.1f%%  DCT %4.1f%%%n",
          r.sampleRate(), r.kernel(), 100 * r.spectraMelCpuSeconds() / sum, 100 * r.dbCpuSeconds() / sum,
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
