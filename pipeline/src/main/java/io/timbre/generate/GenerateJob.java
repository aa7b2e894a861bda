package io.timbre.generate;

import io.timbre.audio.AudioFileException;
import io.timbre.audio.WavWriter;
import io.timbre.eval.ModelBundle;
import io.timbre.exceptions.StorageException;
import io.timbre.features.FeatureSpec;
import io.timbre.generation.FrameRepresentation;
import io.timbre.generation.NextFrameGenerator;
import io.timbre.model.Task;
import io.timbre.registry.ModelRegistry;
import io.timbre.separation.SeparationAudio;
import io.timbre.store.AtomicFiles;
import io.timbre.table.TableInfo;
import io.timbre.util.CodeVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * {@code timbre generate}: a next-frame model continues a seed file for the requested length, and the continuation is
 * written as a 16-bit mono WAV at the model's rate, peak-normalised ({@link GeneratedAudio}), with its provenance
 * beside it. One file on the driver, no Spark: generation is sequential by nature.
 */
public final class GenerateJob {
  private GenerateJob() {}

  public static GeneratedAudio run(GenerateRequest r, Configuration conf) {
    String runDir = ModelRegistry.resolveModel(r.model(), conf);
    ModelBundle model = ModelBundle.load(runDir, conf);
    if (model.spec().task() != Task.GENERATION) {
      throw new IllegalArgumentException("Cannot generate with run " + runDir + ": it is a " + model.spec().task()
          .key() + " model; generate takes a model of task generation (architecture frame_lstm)");
    }
    TableInfo table = model.provenance().table().tableInfo();
    FrameRepresentation representation = table.generationFrames();
    FeatureSpec spec = FeatureSpec.parse(table.specJson());
    float[] seed;
    try {
      seed = SeparationAudio.decode(r.seed(), spec.sampleRate(), conf);
    } catch (AudioFileException e) {
      throw new IllegalArgumentException("Cannot generate from seed " + r.seed() + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new StorageException("Cannot read seed " + r.seed() + ": " + e.getMessage(), e);
    }
    if (r.seedSeconds() > 0) {
      seed = java.util.Arrays.copyOf(seed, (int) Math.min(seed.length, Math.round(r.seedSeconds()
          * spec.sampleRate())));
    }
    if (seed.length < spec.nFft()) {
      throw new IllegalArgumentException("Cannot generate from seed " + r.seed() + ": it has " + seed.length
          + " samples at " + spec.sampleRate() + " Hz, fewer than one frame (n_fft " + spec.nFft() + ")");
    }
    int samples = (int) Math.round(r.seconds() * spec.sampleRate());
    NextFrameGenerator generator = new NextFrameGenerator(model.graph(), model.normalizer().mean(),
        model.normalizer().std(), representation, spec, model.spec().maxSequenceSteps());
    NextFrameGenerator.Continuation c = generator.continueFrom(seed, samples, r.temperature(), r.randomSeed());

    float[] audio = c.audio();
    double peak = 0;
    for (float v : audio) {
      peak = Math.max(peak, Math.abs(v));
    }
    double gain = peak > 0 ? Math.pow(10, GeneratedAudio.TARGET_PEAK_DBFS / 20) / peak : 1;
    double energy = 0;
    for (int i = 0; i < audio.length; i++) {
      audio[i] = (float) (audio[i] * gain);
      energy += (double) audio[i] * audio[i];
    }
    ByteArrayOutputStream wav = new ByteArrayOutputStream(44 + 2 * audio.length);
    try {
      WavWriter.writePcm16(wav, audio, 1, spec.sampleRate());
      AtomicFiles.write(new Path(r.out()), conf, wav.toByteArray());
    } catch (IOException e) {
      throw new StorageException("Cannot write " + r.out() + ": " + e.getMessage(), e);
    }
    GeneratedAudio g = new GeneratedAudio(r.out(), runDir, r.seed(), seed.length / (double) spec.sampleRate(),
        r.seconds(), r.temperature(), r.randomSeed(),
        spec.sampleRate(), audio.length, c.seedFrames(), c.totalFrames() - c.seedFrames(), c.clampedValues(),
        representation.key(),
        20 * Math.log10(peak), peak > 0 ? 20 * Math.log10(gain) : 0, 10 * Math.log10(energy / audio.length),
        CodeVersion.get(), Instant.now().toString());
    g.write(r.out() + ".json", conf);
    return g;
  }
}
