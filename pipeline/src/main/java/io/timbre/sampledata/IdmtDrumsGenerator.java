package io.timbre.sampledata;

import static io.timbre.util.Checks.check;

import io.timbre.audio.WavWriter;
import io.timbre.datasets.idmt.IdmtDrumsReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A small IDMT-SMT-Drums V2 in the real layout: drum-only mixes of kick, snare and hi-hat patterns (mono 44.1 kHz
 * 16-bit) with their single-instrument stems, isolated training hits, an XML transcription per mix and a Sonic
 * Visualiser layer per instrument, every annotated onset exactly where the hit starts in the audio.
 */
public final class IdmtDrumsGenerator {
  static final int SR = IdmtDrumsReader.SAMPLE_RATE;
  private static final String[] KITS = {"RealDrum", "WaveDrum", "TechnoDrum"};

  private final double mixSeconds;

  public IdmtDrumsGenerator() {
    this(8.0);
  }

  public IdmtDrumsGenerator(double mixSeconds) {
    this.mixSeconds = mixSeconds;
  }

  /** A generated mix's onsets: instrument → onset times in seconds. */
  public record Onsets(Map<String, List<Double>> byInstrument) {}

  /** @param mixesPerKit mixes per kit type (RealDrum, WaveDrum, TechnoDrum) */
  public SampleManifest generate(Path out, long seed, int mixesPerKit) throws IOException {
    check(mixesPerKit >= 1, "Cannot generate IDMT drums: need >= 1 mix per kit: %s", mixesPerKit);
    SplittableRandom rng = new SplittableRandom(seed);
    SampleManifest manifest = new SampleManifest(IdmtDrumsReader.NAME);
    Path base = out.resolve(IdmtDrumsReader.FOLDER);
    for (int k = 0; k < KITS.length; k++) {
      String kitNr = String.format("%02d", k + 1);
      String kit = KITS[k] + kitNr;
      for (int m = 1; m <= mixesPerKit; m++) {
        String b = kit + "_" + String.format("%02d", m);
        for (String inst : IdmtDrumsReader.INSTRUMENTS) {
          float[] train = new float[SR];
          for (int h = 0; h < 4; h++) {
            Synth.drum(train, SR, h * SR / 4, inst, 0.6, rng);
          }
          SampleWriter.wav16(base.resolve("audio/" + b + "#" + inst + "#train.wav"), train, 1, SR);
        }
        int n = (int) (mixSeconds * SR);
        Map<String, float[]> stems = new TreeMap<>();
        Map<String, List<Double>> onsets = new TreeMap<>();
        for (String inst : IdmtDrumsReader.INSTRUMENTS) {
          stems.put(inst, new float[n]);
          onsets.put(inst, new ArrayList<>());
        }
        double bpm = 80 + rng.nextInt(80);
        int sixteenth = (int) (SR * 15.0 / bpm);
        boolean[] kick = pattern(rng, 0.3, 0);
        boolean[] snare = pattern(rng, 0.25, 4);
        for (int i = 0, step = 0; i < n - SR / 4; i += sixteenth, step++) {
          int s = step % 16;
          if (s % 2 == 0 || rng.nextInt(6) == 0) {
            hit(stems, onsets, "HH", i, 0.3 + 0.1 * rng.nextDouble(), rng);
          }
          if (kick[s]) {
            hit(stems, onsets, "KD", i, 0.8, rng);
          }
          if (snare[s]) {
            hit(stems, onsets, "SD", i, 0.6, rng);
          }
        }
        float[] mix = mixOfStems(stems.values(), n, rng);
        for (Map.Entry<String, float[]> e : stems.entrySet()) {
          SampleWriter.wav16(base.resolve("audio/" + b + "#" + e.getKey() + ".wav"), e.getValue(), 1, SR);
        }
        SampleWriter.wav16(base.resolve("audio/" + b + "#MIX.wav"), mix, 1, SR);
        SampleWriter.text(base.resolve("annotation_xml/" + b + "#MIX.xml"), xml(b, onsets));
        for (String inst : IdmtDrumsReader.INSTRUMENTS) {
          SampleWriter.text(base.resolve("annotation_svl/" + b + "#" + inst + ".svl"), svl(onsets.get(inst), n));
        }
        Map<String, String> tags = new TreeMap<>();
        tags.put("kit", KITS[k]);
        tags.put("kit_nr", kitNr);
        tags.put("take", String.format("%02d", m));
        for (String inst : IdmtDrumsReader.INSTRUMENTS) {
          tags.put("onsets_" + inst, Integer.toString(onsets.get(inst).size()));
        }
        List<String> labels = onsets.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey)
            .toList();
        manifest.add(new SampleManifest.Entry(IdmtDrumsReader.FOLDER + "/audio/" + b + "#MIX.wav", "", labels,
            "idmt-drums:" + kit, tags));
        lastOnsets.put(IdmtDrumsReader.FOLDER + "/audio/" + b + "#MIX.wav", new Onsets(onsets));
      }
    }
    return manifest;
  }

  private final Map<String, Onsets> lastOnsets = new TreeMap<>();

  /** The onsets written for each mix id by the last {@link #generate} call. */
  public Map<String, Onsets> onsets() {
    return lastOnsets;
  }

  private static boolean[] pattern(SplittableRandom rng, double density, int anchor) {
    boolean[] p = new boolean[16];
    p[anchor] = true;
    p[anchor + 8] = true;
    for (int i = 0; i < 16; i++) {
      if (i % 2 == 0 && rng.nextDouble() < density) {
        p[i] = true;
      }
    }
    return p;
  }

  private static void hit(Map<String, float[]> stems, Map<String, List<Double>> onsets, String inst, int at,
      double gain, SplittableRandom rng) {
    Synth.drum(stems.get(inst), SR, at, inst, gain, rng);
    onsets.get(inst).add(at / (double) SR);
  }

  /**
   * The mix as the exact sum of its stems on disk: a shared noise floor (the kit's room, split over the three
   * microphones' stems), one gain for all so the mix peaks at most at 0.95, every stem moved onto the 16-bit grid,
   * and the mix their sum, which is then on the grid too. Separation's references and mixture agree to the sample.
   */
  private static float[] mixOfStems(Collection<float[]> stems, int n, SplittableRandom rng) {
    float[] floor = new float[n];
    Synth.noise(floor, 0.0005, rng);
    float[] mix = new float[n];
    for (float[] st : stems) {
      for (int i = 0; i < n; i++) {
        st[i] += floor[i] / stems.size();
        mix[i] += st[i];
      }
    }
    float peak = 0;
    for (float v : mix) {
      peak = Math.max(peak, Math.abs(v));
    }
    float g = peak > 0.95f ? 0.95f / peak : 1f;
    Arrays.fill(mix, 0f);
    for (float[] st : stems) {
      for (int i = 0; i < n; i++) {
        st[i] = WavWriter.onPcm16Grid(st[i] * g);
        mix[i] += st[i];
      }
    }
    return mix;
  }

  static String xml(String base, Map<String, List<Double>> onsets) {
    List<String[]> events = new ArrayList<>();
    onsets.forEach((inst, times) -> times.forEach(t -> events.add(new String[] {inst, fmt(t)})));
    events.sort((a, b) -> Double.compare(Double.parseDouble(a[1]), Double.parseDouble(b[1])));
    StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<instrumentRecording>\n"
        + "  <globalParameter>\n    <audioFileName>" + base + "#MIX.wav</audioFileName>\n");
    for (String inst : IdmtDrumsReader.INSTRUMENTS) {
      x.append("    <audioTrainingFileName>").append(base).append("#").append(inst)
          .append("#train.wav</audioTrainingFileName>\n");
    }
    x.append("  </globalParameter>\n  <transcription>\n");
    int midi = 0;
    for (String[] e : events) {
      midi = switch (e[0]) {
        case "KD" -> 36;
        case "SD" -> 38;
        default -> 42;
      };
      double on = Double.parseDouble(e[1]);
      x.append("    <event>\n      <pitch>").append(midi).append("</pitch>\n      <onsetSec>").append(e[1])
          .append("</onsetSec>\n      <offsetSec>").append(fmt(on + 0.1)).append("</offsetSec>\n      <instrument>")
          .append(e[0]).append("</instrument>\n    </event>\n");
    }
    return x.append("  </transcription>\n</instrumentRecording>\n").toString();
  }

  static String svl(List<Double> onsets, int samples) {
    StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE sonic-visualiser>\n"
        + "<sv>\n  <data>\n    <model id=\"1\" name=\"\" sampleRate=\"" + SR + "\" start=\"0\" end=\"" + samples
        + "\" type=\"sparse\" dimensions=\"1\" resolution=\"1\" notifyOnAdd=\"true\" dataset=\"0\" />\n"
        + "    <dataset id=\"0\" dimensions=\"1\">\n");
    for (double t : onsets) {
      x.append("      <point frame=\"").append(Math.round(t * SR)).append("\" label=\"\" />\n");
    }
    return x.append("    </dataset>\n  </data>\n  <display>\n    <layer id=\"2\" type=\"timeinstants\" "
        + "name=\"Time Instants\" model=\"1\" />\n  </display>\n</sv>\n").toString();
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.6f", v);
  }
}
