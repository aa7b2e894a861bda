package io.timbre.sampledata;

import static io.timbre.util.Checks.check;

import io.timbre.datasets.ClipRef;
import io.timbre.datasets.irmas.IrmasReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A small IRMAS in the real layout: 3 s stereo 44.1 kHz 16-bit training clips of all 11 instruments, in both file-name
 * patterns, with genre and drum tags and 1–3 excerpts per source recording; and multi-label test excerpts in the three
 * Part folders (Part2's inner folder is {@code IRTestingData-Part2}), with labels as {@code code\t\n} lines and titles
 * with spaces, brackets and mojibake. One {@code NNNN__k} is reused across two instrument folders, as 45 real files do.
 */
public final class IrmasGenerator {
  static final int SR = IrmasReader.SAMPLE_RATE;
  private static final String[] GENRES = {"pop_roc", "jaz_blu", "cla", "cou_fol", "lat_sou"};
  private static final String[] TITLES = {"02 - And The Body Will Die", "(01) Blue [Live] Session",
      "Caf\u00c3\u00a9 del Mar", "Track 7 - It's Fine", "[Bonus] Night & Day", "O Sol\u00c3\u00a9 Mio"};

  private final double trainSeconds;
  private final double testSeconds;

  public IrmasGenerator() {
    this(3.0, 5.0);
  }

  /** With other clip lengths (tests use shorter ones to stay fast). */
  public IrmasGenerator(double trainSeconds, double testSeconds) {
    this.trainSeconds = trainSeconds;
    this.testSeconds = testSeconds;
  }

  /**
   * Writes the dataset under {@code out} (which then holds IRMAS-TrainingData and IRMAS-TestingData-Part1..3).
   *
   * @param clipsPerClass training clips per instrument (≥ 1); test excerpts per part are ⌈clipsPerClass / 2⌉ + 1
   */
  public SampleManifest generate(Path out, long seed, int clipsPerClass) throws IOException {
    check(clipsPerClass >= 1, "Cannot generate IRMAS: clips per class must be >= 1: %s", clipsPerClass);
    SplittableRandom rng = new SplittableRandom(seed);
    SampleManifest manifest = new SampleManifest(IrmasReader.NAME);
    writeTraining(out, rng, manifest, clipsPerClass);
    writeTesting(out, rng, manifest, clipsPerClass);
    return manifest;
  }

  /** Training excerpts, 1–3 per source, with the tag and key quirks of the real set. */
  private void writeTraining(Path out, SplittableRandom rng, SampleManifest manifest, int clipsPerClass)
      throws IOException {
    int nextSource = 100 + rng.nextInt(900);
    String sharedSource = null;
    Instrument[] instruments = Instrument.values();
    for (int ci = 0; ci < instruments.length; ci++) {
      Instrument inst = instruments[ci];
      int written = 0;
      boolean first = true;
      while (written < clipsPerClass) {
        String source;
        if (first && ci == 1 && sharedSource != null) {
          source = sharedSource; // the mirdata key collision: same NNNN__k in two folders
        } else {
          source = String.format("%04d", nextSource++);
        }
        if (first && ci == 0) {
          sharedSource = source;
        }
        first = false;
        int excerpts = Math.min(clipsPerClass - written, 1 + rng.nextInt(3));
        String genre = inst == Instrument.CLARINET && written == 0 ? "cla" : GENRES[rng.nextInt(GENRES.length)];
        boolean drumTag = rng.nextInt(10) < 3;
        boolean drums = drumTag && rng.nextBoolean();
        String prefix = String.format("%03d", rng.nextInt(1000));
        for (int k = 1; k <= excerpts; k++) {
          String name = drumTag
              ? prefix + "__[" + inst.code() + "][" + (drums ? "dru" : "nod") + "][" + genre + "]" + source + "__" + k
                  + ".wav"
              : "[" + inst.code() + "][" + genre + "]" + source + "__" + k + ".wav";
          String id = IrmasReader.TRAINING_DIR + "/" + inst.code() + "/" + name;
          SampleWriter.wav16(out.resolve(id), trainingClip(inst, drums, rng.split()), 2, SR);
          Map<String, String> tags = new TreeMap<>();
          tags.put("instrument", inst.code());
          tags.put("genre", genre);
          tags.put("source", source);
          tags.put("excerpt", Integer.toString(k));
          tags.put("drums", drumTag ? (drums ? "yes" : "no") : "unknown");
          manifest.add(new SampleManifest.Entry(id, ClipRef.TRAIN, List.of(inst.code()), "irmas-train:" + source,
              tags));
          written++;
        }
      }
    }
  }

  /** Multi-label testing excerpts in the three parts' folders, two per song title on average. */
  private void writeTesting(Path out, SplittableRandom rng, SampleManifest manifest, int clipsPerClass)
      throws IOException {
    int perPart = (clipsPerClass + 1) / 2 + 1;
    String[] inner = {"Part1", "IRTestingData-Part2", "Part3"};
    int title = 0;
    for (int p = 0; p < 3; p++) {
      String dir = IrmasReader.TESTING_DIRS.get(p) + "/" + inner[p] + "/";
      for (int e = 0; e < perPart; e++) {
        String songTitle = TITLES[title % TITLES.length] + (title >= TITLES.length ? " " + title : "");
        int excerpt = 1 + rng.nextInt(20);
        if (e % 2 == 1) {
          title++; // two excerpts per song title on average: they must share a group
        }
        List<Instrument> present = pickInstruments(rng);
        String stem = songTitle + "-" + excerpt;
        String id = dir + stem + ".wav";
        if (manifest.byId().containsKey(id)) {
          continue;
        }
        SampleWriter.wav16(out.resolve(id), testExcerpt(present, rng.split()), 2, SR);
        StringBuilder txt = new StringBuilder();
        List<String> labels = new ArrayList<>();
        for (Instrument i : present) {
          txt.append(i.code()).append("\t\n");
          labels.add(i.code());
        }
        SampleWriter.text(out.resolve(dir + stem + ".txt"), txt.toString());
        Map<String, String> tags = new TreeMap<>();
        tags.put("part", "Part" + (p + 1));
        tags.put("title", songTitle);
        tags.put("excerpt", Integer.toString(excerpt));
        manifest.add(new SampleManifest.Entry(id, ClipRef.TEST, labels, "irmas-test:" + songTitle, tags));
      }
      title++;
    }
  }

  private static List<Instrument> pickInstruments(SplittableRandom rng) {
    int n = 1 + rng.nextInt(3);
    List<Instrument> all = new ArrayList<>(List.of(Instrument.values()));
    List<Instrument> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(all.remove(rng.nextInt(all.size())));
    }
    return out;
  }

  /** One training clip: a phrase of the instrument, optional drums, a noise floor; stereo, panned. */
  float[] trainingClip(Instrument inst, boolean drums, SplittableRandom rng) {
    int n = (int) Math.round(trainSeconds * SR);
    float[] mono = new float[n];
    Synth.phrase(mono, SR, 0, n, inst, 0.6, rng);
    if (drums) {
      addBeat(mono, rng, 0.25);
    }
    Synth.noise(mono, 0.004, rng);
    Synth.normalise(mono, 0.3 + 0.6 * rng.nextDouble());
    return Synth.pan(mono, rng.nextDouble() * 1.2 - 0.6);
  }

  /** A test excerpt: the instruments together, each panned, at comparable levels. */
  float[] testExcerpt(List<Instrument> present, SplittableRandom rng) {
    int n = (int) Math.round(testSeconds * SR);
    float[] left = new float[n];
    float[] right = new float[n];
    for (Instrument inst : present) {
      float[] part = new float[n];
      Synth.phrase(part, SR, 0, n, inst, 0.5 * (0.7 + 0.3 * rng.nextDouble()), rng);
      double pan = rng.nextDouble() * 1.4 - 0.7;
      double angle = (pan + 1) * Math.PI / 4;
      for (int i = 0; i < n; i++) {
        left[i] += (float) (part[i] * Math.cos(angle));
        right[i] += (float) (part[i] * Math.sin(angle));
      }
    }
    float[] st = new float[2 * n];
    for (int i = 0; i < n; i++) {
      st[2 * i] = left[i];
      st[2 * i + 1] = right[i];
    }
    Synth.noise(st, 0.003, rng);
    Synth.normalise(st, 0.8);
    return st;
  }

  /** A simple rock beat (kick on 1 and 3, snare on 2 and 4, eighth-note hi-hats) at a random tempo. */
  static void addBeat(float[] mono, SplittableRandom rng, double gain) {
    double bpm = 90 + rng.nextInt(60);
    int eighth = (int) (SR * 30.0 / bpm);
    for (int i = 0, step = 0; i < mono.length; i += eighth, step++) {
      Synth.drum(mono, SR, i, "HH", gain * 0.4, rng);
      if (step % 4 == 0) {
        Synth.drum(mono, SR, i, "KD", gain, rng);
      } else if (step % 4 == 2) {
        Synth.drum(mono, SR, i, "SD", gain * 0.8, rng);
      }
    }
  }
}
