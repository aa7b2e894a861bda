package io.timbre.jobs;

import io.timbre.arrays.Npy;
import io.timbre.audio.MonoAudio;
import io.timbre.audio.Resampler;
import io.timbre.audio.WavDecoder;
import io.timbre.features.FeatureExtractor;
import io.timbre.features.FeatureKind;
import io.timbre.features.FeatureMatrix;
import io.timbre.features.FeatureSpec;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code timbre features}: one WAV file to a frames × bins array (.npy or .csv), so anyone can hold Timbre's features
 * next to librosa's. Option names are a public contract: users script against them.
 */
@Command(
    name = "features",
    mixinStandardHelpOptions = true,
    description = "Compute features of one WAV file with librosa's conventions and write frames × bins "
        + "(.npy v1.0 little-endian, or .csv).")
final class FeaturesCommand implements Callable<Integer> {
  @Spec CommandSpec cli;

  @Parameters(index = "0", paramLabel = "<in.wav>", description = "Input WAV file.")
  Path input;

  @Option(names = "--out", required = true, paramLabel = "<file.npy|file.csv>",
      description = "Output file; the extension picks the format.")
  Path out;

  @Option(names = "--kind", paramLabel = "logmel|mfcc|stft|stft_db",
      description = "Representation (default: the spec's, else logmel).")
  String kind;

  @Option(names = "--sr", paramLabel = "N|native",
      description = "Sample rate to resample to before analysis, or 'native' (default: the spec's, else 22050).")
  String sampleRate;

  @Option(names = "--n-fft", paramLabel = "N", description = "FFT size (default 2048).")
  Integer nFft;

  @Option(names = "--hop", paramLabel = "N", description = "Hop length in samples (default 512).")
  Integer hop;

  @Option(names = "--n-mels", paramLabel = "N", description = "Mel bands (default 128).")
  Integer nMels;

  @Option(names = "--n-mfcc", paramLabel = "N", description = "MFCC coefficients (default 40).")
  Integer nMfcc;

  @Option(names = "--spec", paramLabel = "FILE",
      description = "Feature spec (JSON or HOCON, librosa's parameter names); options given here override it.")
  Path specFile;

  @Option(names = "--dtype", paramLabel = "float32|float64", defaultValue = "float32",
      description = "Element type of a .npy output (default ${DEFAULT-VALUE}, as librosa computes).")
  String dtype;

  @Override
  public Integer call() throws IOException {
    FeatureSpec base = specFile == null ? FeatureSpec.defaults() : FeatureSpec.parse(readSpec(specFile));
    MonoAudio audio = WavDecoder.decodeMono(input);
    int rate = targetRate(base, audio);
    FeatureSpec.Builder b = base.toBuilder().sampleRate(rate);
    if (kind != null) b.kind(FeatureKind.fromId(kind));
    if (nFft != null) b.nFft(nFft);
    if (hop != null) b.hopLength(hop);
    if (nMels != null) b.nMels(nMels);
    if (nMfcc != null) b.nMfcc(nMfcc);
    FeatureSpec spec = b.build();

    float[] samples = rate == audio.sampleRate() ? audio.samples()
        : new Resampler(audio.sampleRate(), rate).resample(audio.samples());
    FeatureMatrix m = new FeatureExtractor(spec).extract(samples);
    write(m);
    cli.commandLine().getOut().printf("%s: %d frames × %d %s bins at %d Hz (spec %s) -> %s%n", ConsoleLine.escape(input.toString()), m.frames(), m.bins(),
        spec.kind().id(), rate, spec.shortId(), ConsoleLine.escape(out.toString()));
    cli.commandLine().getOut().flush();
    return 0;
  }

  /** Reads the spec file; a directory is refused by name, where reading it would fail with a bare "Is a directory". */
  private static String readSpec(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new FileSystemException(file.toString(), null, "is a directory, not a feature spec file");
    }
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private int targetRate(FeatureSpec base, MonoAudio audio) {
    if (sampleRate == null) {
      return specFile == null ? 22050 : base.sampleRate();
    }
    if (sampleRate.equalsIgnoreCase("native")) {
      return audio.sampleRate();
    }
    try {
      int r = Integer.parseInt(sampleRate);
      if (r <= 0) {
        throw new NumberFormatException();
      }
      return r;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--sr must be a positive integer or 'native': " + sampleRate);
    }
  }

  /** Writes next to the target and renames, so a failed run never leaves a half-written file behind. */
  private void write(FeatureMatrix m) throws IOException {
    String name = out.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    boolean npy = name.endsWith(".npy");
    if (!npy && !name.endsWith(".csv")) {
      throw new IllegalArgumentException("--out must end in .npy or .csv: " + out);
    }
    Npy.DType type = switch (dtype.toLowerCase(java.util.Locale.ROOT)) {
      case "float32", "f4" -> Npy.DType.FLOAT32;
      case "float64", "f8" -> Npy.DType.FLOAT64;
      default -> throw new IllegalArgumentException("--dtype must be float32 or float64: " + dtype);
    };
    Path dir = out.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + out.getFileName(), ".tmp");
    try {
      try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp))) {
        if (npy) {
          Npy.write(os, m.frames(), m.bins(), m.values(), type);
        } else {
          writeCsv(os, m, type);
        }
      }
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void writeCsv(OutputStream os, FeatureMatrix m, Npy.DType type) throws IOException {
    Writer w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.US_ASCII), 1 << 16);
    StringBuilder line = new StringBuilder();
    for (int t = 0; t < m.frames(); t++) {
      line.setLength(0);
      for (int k = 0; k < m.bins(); k++) {
        if (k > 0) {
          line.append(',');
        }
        double v = m.get(t, k);
        // Shortest text that reads back to the same float32/float64 value.
        line.append(type == Npy.DType.FLOAT32 ? Float.toString((float) v) : Double.toString(v));
      }
      w.write(line.append('\n').toString());
    }
    w.flush();
  }
}
