package io.timbre.sampledata;

import static io.timbre.util.Checks.check;

import io.timbre.audio.WavWriter;
import io.timbre.datasets.medleydb.MedleyDbReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A small MedleyDB in the release layout: per track a stereo mix and mono stems (melody instruments, bass, drums,
 * piano), the v1.2 metadata YAML (beside the audio or in Metadata/), MELODY1/2/3 annotations on the dense 256-sample
 * grid whose f0 is the f0 the melody stems were synthesised with (0 Hz where they are silent), and activation
 * confidence per stem. Artists get one or two tracks, so artist-conditional splits are exercised.
 */
public final class MedleyDbGenerator {
  static final int SR = MedleyDbReader.SAMPLE_RATE;
  private static final String[] ARTISTS = {"MusicDelta", "Phoenix", "MatthewEntwistle", "AClassicEducation",
      "LizNelson", "StrandOfOaks", "CelestialShore", "PortStWillow"};
  private static final String[] TITLES = {"Beethoven", "ScotchMorris", "Lontano", "NightOwl", "Rainfall",
      "Spacestation", "DieForUs", "StayEven", "Gospel", "TheArch"};
  private static final Instrument[] MELODIC = {Instrument.VOICE, Instrument.FLUTE, Instrument.VIOLIN,
      Instrument.SAXOPHONE, Instrument.TRUMPET, Instrument.CLARINET};

  private final double seconds;

  public MedleyDbGenerator() {
    this(12.0);
  }

  public MedleyDbGenerator(double seconds) {
    this.seconds = seconds;
  }

  /** @param tracks number of multitracks (≥ 2) */
  public SampleManifest generate(Path out, long seed, int tracks) throws IOException {
    check(tracks >= 2, "Cannot generate MedleyDB: need >= 2 tracks: %s", tracks);
    SplittableRandom rng = new SplittableRandom(seed);
    SampleManifest manifest = new SampleManifest(MedleyDbReader.NAME);
    int n = (int) (seconds * SR);
    for (int t = 0; t < tracks; t++) {
      String artist = ARTISTS[(t / 2) % ARTISTS.length] + (t >= 2 * ARTISTS.length ? Integer.toString(t) : "");
      String id = artist + "_" + TITLES[t % TITLES.length] + (t >= TITLES.length ? t : "");
      int melodic = t % 2 == 0 ? 2 : 1;
      List<Stem> stems = stems(rng, n, melodic);
      String dir = "Audio/" + id + "/";
      writeAudio(out, dir, id, stems, rng, n);
      List<String[]> stemMeta = stems.stream().map(st -> new String[] {st.instrument(), st.component()}).toList();
      SampleWriter.text(out.resolve(t % 2 == 0 ? dir + id + "_METADATA.yaml" : "Metadata/" + id + "_METADATA.yaml"),
          metadata(id, artist, stemMeta, t));
      writeMelodies(out, id, stems.get(0).f0(), melodic > 1 ? stems.get(1).f0() : null, n);
      SampleWriter.text(out.resolve("Annotations/Activation_Confidence/v2/" + id + "_ACTIVATION_CONF.lab"),
          activation(stems.stream().map(Stem::audio).toList(), n));
      Map<String, String> tags = new TreeMap<>();
      tags.put("artist", artist);
      tags.put("n_stems", Integer.toString(stems.size()));
      tags.put("has_melody", "yes");
      tags.put("melody3_columns", Integer.toString(melodic));
      List<String> labels = stems.stream().map(Stem::instrument).distinct().sorted().toList();
      manifest.add(new SampleManifest.Entry(dir + id + "_MIX.wav", "", labels, "medleydb:" + artist, tags));
      melodyF0.put(dir + id + "_MIX.wav", stems.get(0).f0());
    }
    return manifest;
  }

  /** One synthesised stem: its audio, its per-sample f0 (melody stems only, else null) and its metadata fields. */
  private record Stem(float[] audio, float[] f0, String instrument, String component) {}

  /** The melody stems (one or two), bass, drums and, on a coin flip, piano, in stem-number order. */
  private List<Stem> stems(SplittableRandom rng, int n, int melodic) {
    List<Stem> stems = new ArrayList<>();
    for (int m = 0; m < melodic; m++) {
      stems.add(melody(rng, n, m));
    }
    float[] bass = new float[n];
    for (double at = 0; at < seconds - 0.5; at += 0.5) {
      Synth.note(bass, SR, (int) (at * SR), 0.45, Instrument.ACOUSTIC_GUITAR, 33 + rng.nextInt(12), 0.5, rng,
          null);
    }
    stems.add(new Stem(bass, null, "electric bass", "bass"));
    float[] drums = new float[n];
    IrmasGenerator.addBeat(drums, rng, 0.4);
    stems.add(new Stem(drums, null, "drum set", ""));
    if (rng.nextBoolean()) {
      float[] piano = new float[n];
      Synth.phrase(piano, SR, 0, n, Instrument.PIANO, 0.3, rng);
      stems.add(new Stem(piano, null, "piano", ""));
    }
    return stems;
  }

  /** Phrases with rests; the second melody ({@code m} = 1) answers in the first one's rests. */
  private Stem melody(SplittableRandom rng, int n, int m) {
    Instrument inst = MELODIC[rng.nextInt(MELODIC.length)];
    float[] x = new float[n];
    float[] f0 = new float[n];
    double pos = m == 0 ? 0.2 : 1.6;
    while (pos < seconds - 0.5) {
      double phrase = 1.0 + rng.nextDouble();
      double at = pos;
      while (at < Math.min(pos + phrase, seconds - 0.3)) {
        double dur = 0.2 + 0.3 * rng.nextDouble();
        int midi = inst.midiLow + 5 + rng.nextInt(Math.max(1, inst.midiHigh - inst.midiLow - 10));
        Synth.note(x, SR, (int) (at * SR), Math.min(dur, seconds - at), inst, midi, 0.5, rng, f0);
        at += dur + 0.02;
      }
      pos += 2.8;
    }
    return new Stem(x, f0, label(inst), "melody");
  }

  /**
   * Each stem panned at random into a stereo WAV and the stereo mix as their exact sum on disk: one gain for all so
   * the mix peaks at most at 0.95, every stem moved onto the 16-bit grid before the sum (so the mix is on the grid
   * too). Separation's references and mixture then agree to the sample in either channel and in the mono downmix.
   */
  private static void writeAudio(Path out, String dir, String id, List<Stem> stems, SplittableRandom rng, int n)
      throws IOException {
    float[][] panned = new float[stems.size()][2 * n];
    float[] mix = new float[2 * n];
    for (int s = 0; s < stems.size(); s++) {
      float[] x = stems.get(s).audio();
      double angle = (rng.nextDouble() * 1.2 - 0.6 + 1) * Math.PI / 4;
      for (int i = 0; i < n; i++) {
        panned[s][2 * i] = (float) (x[i] * Math.cos(angle) * 0.6);
        panned[s][2 * i + 1] = (float) (x[i] * Math.sin(angle) * 0.6);
        mix[2 * i] += panned[s][2 * i];
        mix[2 * i + 1] += panned[s][2 * i + 1];
      }
    }
    float peak = 0;
    for (float v : mix) {
      peak = Math.max(peak, Math.abs(v));
    }
    float g = peak > 0.95f ? 0.95f / peak : 1f;
    Arrays.fill(mix, 0f);
    for (int s = 0; s < stems.size(); s++) {
      float[] st = panned[s];
      for (int i = 0; i < st.length; i++) {
        st[i] = WavWriter.onPcm16Grid(st[i] * g);
        mix[i] += st[i];
      }
      SampleWriter.wav16(out.resolve(dir + id + "_STEMS/" + id + "_STEM_" + String.format("%02d", s + 1) + ".wav"),
          st, 2, SR);
    }
    SampleWriter.wav16(out.resolve(dir + id + "_MIX.wav"), mix, 2, SR);
  }

  /** MELODY1/2/3 annotations on the 256-sample grid; {@code second} is null for a one-melody track. */
  private static void writeMelodies(Path out, String id, float[] first, float[] second, int n) throws IOException {
    int frames = (int) Math.ceil(n / 256.0);
    StringBuilder m1 = new StringBuilder();
    StringBuilder m2 = new StringBuilder();
    StringBuilder m3 = new StringBuilder();
    for (int k = 0; k < frames; k++) {
      double time = k * 256.0 / SR;
      int at = Math.min(n - 1, k * 256);
      double a = first[at];
      double b = second != null ? second[at] : 0;
      m1.append(num(time)).append(',').append(num(a)).append('\n');
      m2.append(num(time)).append(',').append(num(a > 0 ? a : b)).append('\n');
      m3.append(num(time)).append(',').append(num(a));
      if (second != null) {
        m3.append(',').append(num(b));
      }
      m3.append('\n');
    }
    SampleWriter.text(out.resolve("Annotations/Melody/Melody1/" + id + "_MELODY1.csv"), m1.toString());
    SampleWriter.text(out.resolve("Annotations/Melody/Melody2/" + id + "_MELODY2.csv"), m2.toString());
    SampleWriter.text(out.resolve("Annotations/Melody/Melody3/" + id + "_MELODY3.csv"), m3.toString());
  }

  private final Map<String, float[]> melodyF0 = new TreeMap<>();

  /** Per-sample f0 (Hz, 0 = silent) of each track's rank-1 melody stem, by mix id, from the last generation. */
  public Map<String, float[]> melodyF0() {
    return melodyF0;
  }

  private static String label(Instrument i) {
    return switch (i) {
      case VOICE -> "female singer";
      case FLUTE -> "flute";
      case VIOLIN -> "violin";
      case SAXOPHONE -> "tenor saxophone";
      case TRUMPET -> "trumpet";
      case CLARINET -> "clarinet";
      default -> i.name().toLowerCase(Locale.ROOT);
    };
  }

  private static String metadata(String id, String artist, List<String[]> stems, int t) {
    StringBuilder y = new StringBuilder();
    y.append("album: ''\nartist: ").append(artist).append("\ncomposer:\n- ").append(artist)
        .append("\nexcerpt: 'no'\ngenre: ").append(t % 3 == 0 ? "Classical" : t % 3 == 1 ? "Jazz/Fusion" : "Rock")
        .append("\nhas_bleed: '").append(t % 4 == 3 ? "yes" : "no").append("'\ninstrumental: 'no'\nmix_filename: ")
        .append(id).append("_MIX.wav\norigin: Weathervane Music\nproducer:\n- Timbre\nraw_dir: ").append(id)
        .append("_RAW\nstem_dir: ").append(id).append("_STEMS\nstems:\n");
    for (int s = 0; s < stems.size(); s++) {
      String sid = String.format("S%02d", s + 1);
      String file = id + "_STEM_" + String.format("%02d", s + 1) + ".wav";
      String inst = stems.get(s)[0];
      // Quirk: an instrument given as a list.
      String instrument = inst.equals("drum set") && t % 2 == 1 ? "[drum set, auxiliary percussion]" : inst;
      y.append("  ").append(sid).append(":\n    component: '").append(stems.get(s)[1]).append("'\n    filename: ")
          .append(file).append("\n    instrument: ").append(instrument).append("\n    raw:\n      R01:\n")
          .append("        filename: ").append(id).append("_RAW_").append(String.format("%02d", s + 1))
          .append("_01.wav\n        instrument: ").append(inst).append('\n');
    }
    y.append("title: ").append(id.substring(id.indexOf('_') + 1)).append("\nversion: '1.2'\nwebsite: ''\n");
    return y.toString();
  }

  private static String activation(List<float[]> stems, int n) {
    StringBuilder a = new StringBuilder("time");
    for (int s = 0; s < stems.size(); s++) {
      a.append(String.format(",S%02d", s + 1));
    }
    a.append('\n');
    double[] peak = new double[stems.size()];
    int hops = n / 2048;
    double[][] rms = new double[stems.size()][hops];
    for (int s = 0; s < stems.size(); s++) {
      for (int h = 0; h < hops; h++) {
        double sum = 0;
        int from = Math.max(0, h * 2048 - 1024);
        int to = Math.min(n, from + 4096);
        for (int i = from; i < to; i++) {
          sum += stems.get(s)[i] * stems.get(s)[i];
        }
        rms[s][h] = Math.sqrt(sum / (to - from));
        peak[s] = Math.max(peak[s], rms[s][h]);
      }
    }
    for (int h = 0; h < hops; h++) {
      a.append(num(h * 2048.0 / SR));
      for (int s = 0; s < stems.size(); s++) {
        a.append(',').append(String.format(Locale.ROOT, "%.3f", peak[s] > 0 ? Math.min(1, rms[s][h] / peak[s]) : 0));
      }
      a.append('\n');
    }
    return a.toString();
  }

  private static String num(double v) {
    return v == 0 ? "0.0" : Double.toString(v);
  }
}
