package io.timbre.sampledata;

import static io.timbre.util.Checks.check;

import io.timbre.datasets.idmt.EffectType;
import io.timbre.datasets.idmt.IdmtEffectsReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A small IDMT-SMT-Audio-Effects in the real layout: for each clean note (bass, guitar, guitar chords) all 33 effect
 * variants (NoFX, 2 amp-sim EQ settings, 10 effects × 3 settings) rendered with {@link Effects}, named
 * {@code ABC-DDEFF-GHHI-KKKKK.wav}, mono 44.1 kHz 16-bit; XML lists per (instrument, style, effect, setting) in the
 * first half's {@code Lists/}, while the samples of Tremolo … Overdrive are stored in the "…2" half, as in the real set.
 */
public final class IdmtEffectsGenerator {
  static final int SR = IdmtEffectsReader.SAMPLE_RATE;
  private static final int[] BASS_OPEN = {28, 33, 38, 43};
  private static final int[] GUITAR_OPEN = {40, 45, 50, 55, 59, 64};
  private static final int[] CHORDS = {11, 12, 13, 14, 15, 16, 17, 21, 22, 23, 24, 25, 26, 27};

  private final double noteSeconds;

  public IdmtEffectsGenerator() {
    this(2.0);
  }

  public IdmtEffectsGenerator(double noteSeconds) {
    this.noteSeconds = noteSeconds;
  }

  /**
   * @param cleanNotesPerSubset clean notes per subset (bass, guitar, polyphonic guitar); each yields 33 files
   */
  public SampleManifest generate(Path out, long seed, int cleanNotesPerSubset) throws IOException {
    check(cleanNotesPerSubset >= 1, "Cannot generate IDMT effects: need >= 1 clean note per subset: %s",
        cleanNotesPerSubset);
    SplittableRandom rng = new SplittableRandom(seed);
    SampleManifest manifest = new SampleManifest(IdmtEffectsReader.NAME);
    for (String subset : IdmtEffectsReader.SUBSETS) {
      char a = subset.startsWith("Bass") ? 'B' : subset.endsWith("polyphon") ? 'P' : 'G';
      int fileNr = 10000 + rng.nextInt(1000);
      // list key (ABC + GHHI) -> file ids
      Map<String, List<String[]>> lists = new LinkedHashMap<>();
      for (int n = 0; n < cleanNotesPerSubset; n++) {
        int setting = a == 'B' ? 1 + rng.nextInt(4) : 6 + rng.nextInt(4);
        int style = a == 'P' ? 4 + rng.nextInt(2) : 1 + rng.nextInt(3);
        String ddeff;
        float[] clean = new float[(int) (noteSeconds * SR)];
        if (a == 'P') {
          int root = 43 + rng.nextInt(15);
          int chord = CHORDS[rng.nextInt(CHORDS.length)];
          ddeff = String.format("%02d%02d0", root, chord);
          for (int interval : intervals(chord)) {
            Synth.note(clean, SR, (int) (0.01 * SR * rng.nextDouble()), noteSeconds * 0.95,
                Instrument.ACOUSTIC_GUITAR, root + interval, 0.35, rng, null);
          }
        } else {
          int[] open = a == 'B' ? BASS_OPEN : GUITAR_OPEN;
          int string = 1 + rng.nextInt(open.length);
          int fret = rng.nextInt(13);
          int midi = open[string - 1] + fret;
          ddeff = String.format("%02d%d%02d", midi, string, fret);
          Synth.note(clean, SR, 0, noteSeconds * 0.95, Instrument.ACOUSTIC_GUITAR, midi, 0.7, rng, null);
        }
        Synth.noise(clean, 0.0005, rng);
        String abc = "" + a + setting + style;
        for (EffectType fx : EffectType.values()) {
          for (int s = 1; s <= fx.settings(); s++) {
            String ghhi = "" + fx.group() + fx.code() + s;
            String fileId = abc + "-" + ddeff + "-" + ghhi + "-" + fileNr++;
            String half = fx.code() >= 34 ? "2" : "";
            String id = subset + half + "/Samples/" + fx.folder() + "/" + fileId + ".wav";
            float[] wet = Effects.apply(fx, s, clean, SR);
            Synth.normalise(wet, 0.5 + 0.3 * rng.nextDouble());
            SampleWriter.wav16(out.resolve(id), wet, 1, SR);
            lists.computeIfAbsent(abc + "|" + ghhi + "|" + fx.folder(), k -> new ArrayList<>())
                .add(new String[] {fileId, ddeff});
            Map<String, String> tags = new TreeMap<>();
            tags.put("fx_type", Integer.toString(fx.code()));
            tags.put("fx_setting", Integer.toString(s));
            tags.put("fx_group", Integer.toString(fx.group()));
            tags.put("instrument_setting", Integer.toString(setting));
            tags.put("play_style", Integer.toString(style));
            tags.put("half", half.isEmpty() ? "1" : "2");
            if (a == 'P') {
              tags.put("midi_root", ddeff.substring(0, 2));
              tags.put("chord_type", ddeff.substring(2, 4));
            } else {
              tags.put("midi", ddeff.substring(0, 2));
              tags.put("string", ddeff.substring(2, 3));
              tags.put("fret", ddeff.substring(3, 5));
            }
            manifest.add(new SampleManifest.Entry(id, "", List.of(fx.folder()), "idmt-fx:" + abc + "-" + ddeff,
                tags));
          }
        }
      }
      int listNr = 100;
      for (Map.Entry<String, List<String[]>> e : lists.entrySet()) {
        String[] k = e.getKey().split("\\|");
        String listId = k[0] + "-00000-" + k[1] + "-" + listNr;
        SampleWriter.text(out.resolve(subset + "/Lists/" + k[2] + "/" + listId + ".xml"),
            listXml(listId, listNr, k[0], k[1], e.getValue()));
        listNr++;
      }
      SampleWriter.text(out.resolve(subset + "/ReadMe.txt"), "Generated sample of " + subset + " (Timbre).\n");
    }
    return manifest;
  }

  static int[] intervals(int chord) {
    return switch (chord) {
      case 11 -> new int[] {0, 3};
      case 12 -> new int[] {0, 4};
      case 13 -> new int[] {0, 5};
      case 14 -> new int[] {0, 7};
      case 15 -> new int[] {0, 10};
      case 16 -> new int[] {0, 11};
      case 17 -> new int[] {0, 12};
      case 21 -> new int[] {0, 4, 7};
      case 22 -> new int[] {0, 3, 7};
      case 23 -> new int[] {0, 5, 7};
      case 24 -> new int[] {0, 7, 12};
      case 25 -> new int[] {0, 4, 7, 11};
      case 26 -> new int[] {0, 4, 7, 10};
      default -> new int[] {0, 3, 7, 10};
    };
  }

  /** The list schema of the real set, including its quirk of two {@code firstfilenr} (the second is the last). */
  static String listXml(String listId, int listNr, String abc, String ghhi, List<String[]> files) {
    EffectType fx = EffectType.ofCode(Integer.parseInt(ghhi.substring(1, 3)));
    StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<content><listinformation>");
    String first = files.get(0)[0].substring(files.get(0)[0].lastIndexOf('-') + 1);
    String last = files.get(files.size() - 1)[0].substring(files.get(files.size() - 1)[0].lastIndexOf('-') + 1);
    x.append("<listID>").append(listId).append("</listID><filesinlist>").append(files.size())
        .append("</filesinlist><firstfilenr>").append(first).append("</firstfilenr><firstfilenr>").append(last)
        .append("</firstfilenr><listnr>").append(listNr).append("</listnr><fxinformation><fxgroup><ID>")
        .append(fx.group()).append("</ID><name>").append(EffectType.groupName(fx.group()))
        .append("</name></fxgroup><fxtype><ID>").append(fx.code()).append("</ID><name>").append(fx.folder())
        .append("</name></fxtype><fxsetting><ID>").append(ghhi.charAt(3)).append("</ID><name>Setting ")
        .append(ghhi.charAt(3)).append("</name></fxsetting></fxinformation></listinformation>\n");
    for (String[] f : files) {
      String ddeff = f[1];
      x.append(" <audiofile><fileID>").append(f[0]).append("</fileID><instrument>").append(abc.charAt(0))
          .append("</instrument><instrumentsetting>").append(abc.charAt(1)).append("</instrumentsetting><playstyle>")
          .append(abc.charAt(2)).append("</playstyle><midinr>").append(ddeff, 0, 2).append("</midinr><string>")
          .append(ddeff.charAt(2)).append("</string><fret>").append(ddeff, 3, 5).append("</fret><fxgroup>")
          .append(ghhi.charAt(0)).append("</fxgroup><fxtype>").append(ghhi, 1, 3).append("</fxtype><fxsetting>")
          .append(ghhi.charAt(3)).append("</fxsetting><filenr>").append(f[0].substring(f[0].lastIndexOf('-') + 1))
          .append("</filenr></audiofile>\n");
    }
    return x.append("</content>\n").toString();
  }
}
