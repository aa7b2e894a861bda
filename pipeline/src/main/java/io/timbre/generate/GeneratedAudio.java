package io.timbre.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbre.exceptions.StorageException;
import io.timbre.store.AtomicFiles;
import io.timbre.util.JsonDocument;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The provenance of one generated WAV, {@code <wav>.json} beside it: what made it (run, seed file, settings, code) and
 * what was done to its level. The model's raw output is peak-normalised to {@value #TARGET_PEAK_DBFS} dBFS so it is
 * never clipped; the gain is recorded, never applied silently. The one reader and writer of that file.
 *
 * @param seedSeconds the length of the seed audio the model was primed with
 * @param seconds the length of the continuation
 * @param clampedValues generated frame values limited to what a full-scale signal can produce (the model drifted)
 * @param peakBeforeDbfs the raw continuation's peak, dBFS (−∞ for digital silence: the key is then absent)
 * @param gainDb the gain applied (0 for silence)
 * @param rmsDbfs the written signal's RMS level, dBFS
 */
public record GeneratedAudio(String wav, String runDir, String seed, double seedSeconds, double seconds,
    double temperature,
    long randomSeed, int sampleRate, long samples, int seedFrames, int generatedFrames, long clampedValues,
    String representation,
    double peakBeforeDbfs, double gainDb, double rmsDbfs, String codeVersion, String createdAt) {
  public static final String FORMAT = "timbre-generated-audio/1";
  public static final double TARGET_PEAK_DBFS = -1.0;
  static final String FORMAT_KEY = "format";
  static final String WAV = "wav";
  static final String RUN_DIR = "run_dir";
  static final String SEED = "seed";
  static final String SEED_SECONDS = "seed_seconds";
  static final String SECONDS = "seconds";
  static final String TEMPERATURE = "temperature";
  static final String RANDOM_SEED = "random_seed";
  static final String SAMPLE_RATE = "sample_rate";
  static final String SAMPLES = "samples";
  static final String SEED_FRAMES = "seed_frames";
  static final String GENERATED_FRAMES = "generated_frames";
  static final String CLAMPED_VALUES = "clamped_values";
  static final String REPRESENTATION = "representation";
  static final String PEAK_BEFORE_DBFS = "peak_before_dbfs";
  static final String GAIN_DB = "gain_db";
  static final String RMS_DBFS = "rms_dbfs";
  static final String CODE_VERSION = "code_version";
  static final String CREATED_AT = "created_at";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Whether the written signal is digital silence. */
  public boolean silent() {
    return Double.isInfinite(peakBeforeDbfs);
  }

  /** Reads {@code <wav>.json}. */
  public static GeneratedAudio read(String location, Configuration conf) {
    try {
      return parse(JsonDocument.parse(AtomicFiles.read(new Path(location), conf), location));
    } catch (IOException e) {
      throw new StorageException("Cannot read " + location + ": " + e.getMessage(), e);
    }
  }

  static GeneratedAudio parse(JsonDocument d) {
    d.requireFormat(FORMAT);
    return new GeneratedAudio(d.string(WAV), d.string(RUN_DIR), d.string(SEED), d.number(SEED_SECONDS),
        d.number(SECONDS),
        d.number(TEMPERATURE), d.integer(RANDOM_SEED), d.int32(SAMPLE_RATE), d.integer(SAMPLES), d.int32(SEED_FRAMES),
        d.int32(GENERATED_FRAMES), d.integer(CLAMPED_VALUES), d.string(REPRESENTATION), dbfs(d, PEAK_BEFORE_DBFS), d.number(GAIN_DB),
        dbfs(d, RMS_DBFS), d.string(CODE_VERSION), d.string(CREATED_AT));
  }

  /** A level; absent for −∞ (digital silence), which JSON has no number for. */
  private static double dbfs(JsonDocument d, String key) {
    return d.optionalNumber(key).orElse(Double.NEGATIVE_INFINITY);
  }

  public ObjectNode toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put(FORMAT_KEY, FORMAT);
    o.put(WAV, wav);
    o.put(RUN_DIR, runDir);
    o.put(SEED, seed);
    o.put(SEED_SECONDS, seedSeconds);
    o.put(SECONDS, seconds);
    o.put(TEMPERATURE, temperature);
    o.put(RANDOM_SEED, randomSeed);
    o.put(SAMPLE_RATE, sampleRate);
    o.put(SAMPLES, samples);
    o.put(SEED_FRAMES, seedFrames);
    o.put(GENERATED_FRAMES, generatedFrames);
    o.put(CLAMPED_VALUES, clampedValues);
    o.put(REPRESENTATION, representation);
    putLevel(o, PEAK_BEFORE_DBFS, peakBeforeDbfs);
    o.put(GAIN_DB, gainDb);
    putLevel(o, RMS_DBFS, rmsDbfs);
    o.put(CODE_VERSION, codeVersion);
    o.put(CREATED_AT, createdAt);
    return o;
  }

  private static void putLevel(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) {
      o.put(key, v);
    }
  }

  /** Writes the document complete or not at all. */
  public void write(String location, Configuration conf) {
    try {
      AtomicFiles.write(new Path(location), conf, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson()));
    } catch (IOException e) {
      throw new StorageException("Cannot write " + location + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "generated %s: %.2f s at %d Hz from %.2f s of %s (%d seed frames, %d generated, "
        + "%s, %d values limited); raw peak %s dBFS, gain %+.1f dB, RMS %s dBFS", wav, samples / (double) sampleRate, sampleRate, seedSeconds, seed,
        seedFrames, generatedFrames, representation, clampedValues, level(peakBeforeDbfs), gainDb, level(rmsDbfs));
  }

  private static String level(double v) {
    return Double.isFinite(v) ? String.format(java.util.Locale.ROOT, "%.1f", v) : "-inf";
  }
}
