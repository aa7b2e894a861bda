package io.timbre.sampledata;

import static io.timbre.util.Checks.check;

import io.timbre.audio.SampleEncoding;
import io.timbre.audio.WavWriter;
import io.timbre.datasets.idmt.EffectType;
import io.timbre.datasets.idmt.IdmtBassReader;
import io.timbre.datasets.idmt.IdmtBassSingleTrackReader;
import io.timbre.datasets.idmt.IdmtGuitarReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Small IDMT-SMT-Guitar V2, IDMT-SMT-Bass and IDMT-SMT-Bass-Single-Track sets in their layouts, with
 * {@code instrumentRecording} XML whose notes are the notes synthesised (pitch, onset, offset, string, fret, playing
 * techniques), and the documented quirks: a 24-bit WAV, a Lick11 XML with the extra {@code VSBHD} suffix, an XML
 * without {@code instrumentTuning}, an event whose pitch is not tuning + fret, beats CSVs for the single tracks.
 */
public final class IdmtStringsGenerator {
  static final int SR = 44100;
  private static final String[] EXPRESSIONS = {"NO", "VI", "BE", "SL", "HA", "DN"};
  private static final String[] SETTINGS = {"Fender Strat Clean Neck SC", "Ibanez Power Strat Clean Bridge HU"};

  private final double noteSeconds;

  public IdmtStringsGenerator() {
    this(1.5);
  }

  public IdmtStringsGenerator(double noteSeconds) {
    this.noteSeconds = noteSeconds;
  }

  /** One note event written to the XML. */
  record Note(double onset, double offset, int pitch, int string, int fret, String excitation, String expression) {}

  /** IDMT-SMT-Guitar V2 with {@code notesPerSetting} isolated notes per guitar setting, 3 licks and one piece. */
  public SampleManifest guitar(Path out, long seed, int notesPerSetting) throws IOException {
    check(notesPerSetting >= 1, "Cannot generate IDMT guitar: need >= 1 note per setting: %s", notesPerSetting);
    SplittableRandom rng = new SplittableRandom(seed);
    SampleManifest manifest = new SampleManifest(IdmtGuitarReader.NAME);
    Path base = out.resolve(IdmtGuitarReader.FOLDER);
    int[] tuning = {40, 45, 50, 55, 59, 64};
    for (String setting : SETTINGS) {
      for (int i = 1; i <= notesPerSetting; i++) {
        String expr = EXPRESSIONS[(i - 1) % EXPRESSIONS.length];
        String name = setting.split(" ")[0] + "_" + expr + "_" + i;
        int string = 1 + rng.nextInt(6);
        int fret = rng.nextInt(13);
        Note n = new Note(0.05, noteSeconds - 0.1, tuning[string - 1] + fret, string, fret, "PK", expr);
        String rel = "dataset1/" + setting + "/";
        writeRecording(base.resolve(rel), name, List.of(n), tuning, true, i == 1 && setting.equals(SETTINGS[0]), rng,
            false);
        manifest.add(new SampleManifest.Entry(IdmtGuitarReader.FOLDER + "/" + rel + "audio/" + name + ".wav", "",
            List.of(expr), "idmt-guitar:dataset1/" + setting, Map.of("events", "1")));
      }
    }
    for (int lick = 9; lick <= 11; lick++) {
      String name = "AR_Lick" + lick + "_FN";
      List<Note> notes = new ArrayList<>();
      double t = 0.1;
      for (int k = 0; k < 5; k++) {
        int string = 1 + rng.nextInt(6);
        int fret = rng.nextInt(13);
        notes.add(new Note(t, t + 0.3, tuning[string - 1] + fret, string, fret, "FS", k % 3 == 0 ? "VI" : "NO"));
        t += 0.35;
      }
      // Lick11: the XML stem carries an extra suffix; Lick10: one event's pitch is not tuning + fret.
      writeRecording(base.resolve("dataset2/"), name, notes, tuning, true, false, rng, lick == 10);
      if (lick == 11) {
        Files.move(base.resolve("dataset2/annotation/" + name + ".xml"),
            base.resolve("dataset2/annotation/" + name + "VSBHD.xml"));
      }
      manifest.add(new SampleManifest.Entry(IdmtGuitarReader.FOLDER + "/dataset2/audio/" + name + ".wav", "",
          notes.stream().map(Note::expression).distinct().sorted().toList(), "idmt-guitar:dataset2/AR",
          Map.of("events", Integer.toString(notes.size()))));
    }
    List<Note> piece = new ArrayList<>();
    for (int k = 0; k < 6; k++) {
      piece.add(new Note(0.1 + 0.3 * k, 0.35 + 0.3 * k, 52 + k, 3, 2 + k, "PK", "NO"));
    }
    writeRecording(base.resolve("dataset3/"), "pathetique_1", piece, tuning, false, false, rng, false);
    manifest.add(new SampleManifest.Entry(IdmtGuitarReader.FOLDER + "/dataset3/audio/pathetique_1.wav", "",
        List.of("NO"), "idmt-guitar:dataset3/pathetique", Map.of("events", "6")));
    return manifest;
  }

  /** IDMT-SMT-Bass isolated notes: {@code perTechnique} notes per plucking and per expression style. */
  public SampleManifest bass(Path out, long seed, int perTechnique) throws IOException {
    check(perTechnique >= 1, "Cannot generate IDMT bass: need >= 1 note per technique: %s", perTechnique);
    SplittableRandom rng = new SplittableRandom(seed);
    SampleManifest manifest = new SampleManifest(IdmtBassReader.NAME);
    Path base = out.resolve(IdmtBassReader.FOLDER);
    for (String set : List.of("PS", "ES")) {
      List<String> techniques = new ArrayList<>(set.equals("PS") ? IdmtBassReader.PLUCKING
          : IdmtBassReader.EXPRESSION);
      techniques.sort(null);
      for (String tech : techniques) {
        for (int i = 1; i <= perTechnique; i++) {
          int bass = 1 + (i % 2);
          int eq = 1 + (i / 2) % 2;
          String pluck = set.equals("PS") ? tech : "FS";
          String expr = set.equals("ES") ? tech : "NO";
          String name = "BS_" + bass + "_EQ_" + eq + "_" + pluck + "_" + expr + "_" + i + "_0.wav";
          float[] x = new float[(int) (noteSeconds * SR)];
          int midi = 28 + rng.nextInt(20);
          renderTechnique(x, midi, pluck, expr, rng);
          SampleWriter.wav16(base.resolve(set + "/" + tech + "/" + name), x, 1, SR);
          Map<String, String> tags = new TreeMap<>();
          tags.put("plucking_style", pluck);
          tags.put("expression_style", expr);
          manifest.add(new SampleManifest.Entry(IdmtBassReader.FOLDER + "/" + set + "/" + tech + "/" + name, "",
              List.of(tech), "idmt-bass:BS_" + bass + "_EQ_" + eq, tags));
        }
      }
    }
    return manifest;
  }

  /** IDMT-SMT-Bass-Single-Track: {@code tracks} bass lines with notes and beats. */
  public SampleManifest bassSingleTrack(Path out, long seed, int tracks) throws IOException {
    check(tracks >= 1, "Cannot generate IDMT bass single tracks: need >= 1: %s", tracks);
    SplittableRandom rng = new SplittableRandom(seed);
    SampleManifest manifest = new SampleManifest(IdmtBassSingleTrackReader.NAME);
    Path base = out.resolve(IdmtBassSingleTrackReader.FOLDER);
    int[] tuning = {28, 33, 38, 43};
    for (int t = 1; t <= tracks; t++) {
      String id = "Song" + t + "_bassline_" + (100 + t);
      double beat = 0.5;
      List<Note> notes = new ArrayList<>();
      StringBuilder beats = new StringBuilder();
      for (int k = 0; k < 8; k++) {
        int string = 1 + rng.nextInt(4);
        int fret = rng.nextInt(8);
        notes.add(new Note(0.5 + k * beat, 0.5 + k * beat + 0.4, tuning[string - 1] + fret, string, fret, "FS",
            "NO"));
        beats.append(String.format(Locale.ROOT, "%.3f,%d.%d%n", 0.5 + k * beat, 1 + k / 4, 1 + k % 4));
      }
      Path trackDir = base;
      writeAudio(trackDir.resolve("audio/" + id + ".wav"), notes, false, rng);
      SampleWriter.text(trackDir.resolve("annotation/" + id + ".xml"), xml(id + ".wav", "EB", tuning, true, notes));
      SampleWriter.text(trackDir.resolve("misc/beats_csv/" + id + "_beats.csv"), beats.toString());
      manifest.add(new SampleManifest.Entry(IdmtBassSingleTrackReader.FOLDER + "/audio/" + id + ".wav", "",
          List.of(), "idmt-bass-st:Song" + t, Map.of("events", "8")));
    }
    return manifest;
  }

  private void writeRecording(Path dir, String name, List<Note> notes, int[] tuning, boolean withTuning,
      boolean twentyFourBit, SplittableRandom rng, boolean pitchQuirk) throws IOException {
    writeAudio(dir.resolve("audio/" + name + ".wav"), notes, twentyFourBit, rng);
    List<Note> annotated = notes;
    if (pitchQuirk) {
      annotated = new ArrayList<>(notes);
      Note n = annotated.get(1);
      annotated.set(1, new Note(n.onset(), n.offset(), n.pitch() + 1, n.string(), n.fret(), n.excitation(),
          n.expression()));
    }
    SampleWriter.text(dir.resolve("annotation/" + name + ".xml"), xml(name + ".wav", "EG", tuning, withTuning,
        annotated));
  }

  private void writeAudio(Path file, List<Note> notes, boolean twentyFourBit, SplittableRandom rng)
      throws IOException {
    double end = notes.stream().mapToDouble(Note::offset).max().orElse(0) + 0.2;
    float[] x = new float[(int) (Math.max(end, noteSeconds) * SR)];
    for (Note n : notes) {
      float[] note = new float[(int) ((n.offset() - n.onset()) * SR)];
      renderTechnique(note, n.pitch(), n.excitation(), n.expression(), rng);
      int at = (int) Math.round(n.onset() * SR);
      for (int i = 0; i < note.length && at + i < x.length; i++) {
        x[at + i] += note[i];
      }
    }
    Synth.normalise(x, 0.7);
    Files.createDirectories(file.getParent());
    try (OutputStream os = Files.newOutputStream(file)) {
      WavWriter.write(os, x, 1, SR, SampleEncoding.PCM_SIGNED, twentyFourBit ? 24 : 16, false);
    }
  }

  /** A plucked note with the playing technique's signature. */
  static void renderTechnique(float[] x, int midi, String excitation, String expression, SplittableRandom rng) {
    double seconds = x.length / (double) SR;
    switch (expression) {
      case "HA" -> Synth.note(x, SR, 0, seconds, Instrument.FLUTE, midi + 12, 0.6, rng, null);
      case "DN" -> {
        for (int i = 0; i < Math.min(x.length, SR / 20); i++) {
          x[i] = (float) ((rng.nextDouble() * 2 - 1) * 0.5 * Math.exp(-i / (SR * 0.01)));
        }
      }
      default -> {
        boolean muted = excitation.equals("MU");
        Synth.note(x, SR, 0, muted ? Math.min(seconds, 0.15) : seconds, Instrument.ACOUSTIC_GUITAR, midi, 0.7, rng,
            null);
      }
    }
    float[] shaped = switch (expression) {
      case "VI" -> Effects.apply(EffectType.VIBRATO, 2, x, SR);
      case "BE" -> Effects.apply(EffectType.VIBRATO, 3, x, SR);
      default -> x;
    };
    if (excitation.equals("ST") || excitation.equals("SP")) {
      for (int i = 0; i < Math.min(shaped.length, SR / 100); i++) {
        shaped[i] += (float) ((rng.nextDouble() * 2 - 1) * 0.4);
      }
    }
    System.arraycopy(shaped, 0, x, 0, x.length);
  }

  static String xml(String audioFile, String instrument, int[] tuning, boolean withTuning, List<Note> notes) {
    StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<instrumentRecording>\n"
        + "  <globalParameter>\n    <audioFileName>" + audioFile + "</audioFileName>\n    <instrument>" + instrument
        + "</instrument>\n");
    if (withTuning) {
      x.append("    <instrumentTuning>");
      for (int i = 0; i < tuning.length; i++) {
        x.append(i > 0 ? "," : "").append(tuning[i]);
      }
      x.append("</instrumentTuning>\n");
    }
    x.append(instrument.equals("EB") ? "    <pickUpSetting>neck</pickUpSetting>\n"
        : "    <pickupSetting>bridge</pickupSetting>\n");
    x.append("  </globalParameter>\n  <transcription>\n");
    for (Note n : notes) {
      x.append(String.format(Locale.ROOT, "    <event>\n      <pitch>%d</pitch>\n      <onsetSec>%.4f</onsetSec>\n"
          + "      <offsetSec>%.4f</offsetSec>\n      <fretNumber>%d</fretNumber>\n      <stringNumber>%d"
          + "</stringNumber>\n      <excitationStyle>%s</excitationStyle>\n      <expressionStyle>%s"
          + "</expressionStyle>\n    </event>\n", n.pitch(), n.onset(), n.offset(), n.fret(), n.string(),
          n.excitation(), n.expression()));
    }
    return x.append("  </transcription>\n</instrumentRecording>\n").toString();
  }
}
