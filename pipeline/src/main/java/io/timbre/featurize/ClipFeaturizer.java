package io.timbre.featurize;

import io.timbre.audio.AudioFileException;
import io.timbre.audio.Resampler;
import io.timbre.audio.StreamingResampler;
import io.timbre.audio.WavFormat;
import io.timbre.audio.WavReader;
import io.timbre.datasets.ClipRef;
import io.timbre.datasets.QuarantineRecord;
import io.timbre.datasets.QuarantineRecord.Stage;
import io.timbre.features.ComplexStft;
import io.timbre.features.FeatureExtractor;
import io.timbre.features.FeatureSpec;
import io.timbre.features.FeatureStream;
import io.timbre.separation.SeparationInputException;
import io.timbre.separation.SourceMagnitudes;
import io.timbre.util.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Turns one clip into segments on an executor, streaming: the file is read once in 64 KiB blocks, hashed as it is
 * read, decoded, mixed to mono, resampled and featurised block by block, so memory holds the clip's features but never
 * its audio (a 60-minute 44.1 kHz stereo file is 635 MB of PCM; its 128-band features are ~80 MB). Every failure
 * becomes a quarantine record for the clip, at the stage it happened.
 *
 * <p>A generation table's clip is the exception: its frames are complex STFT frames of the whole clip, so its decoded
 * audio is kept (one read still hashes and decodes it) and encoded in the table's {@link
 * io.timbre.generation.FrameRepresentation}.
 *
 * <p>Not thread-safe (it owns a feature extractor's buffers): one per task.
 */
public final class ClipFeaturizer {
  private final FeatureSpec spec;
  private final FrameTargets targets;
  private final Configuration conf;
  private final FeatureExtractor fx;
  private final Segmenter segmenter;
  private final Map<Integer, Resampler> resamplers = new HashMap<>();
  private final float[] block = new float[16384];

  public ClipFeaturizer(FeatureSpec spec, FrameTargets targets, Configuration conf) {
    this.spec = spec;
    this.targets = targets;
    this.conf = conf;
    this.fx = new FeatureExtractor(spec);
    this.segmenter = new Segmenter(spec);
  }

  public ClipResult featurize(ClipRef clip) {
    String path = clip.audioPath();
    MessageDigest sha = Sha256.newDigest();
    FeatureExtractor.Intermediate m;
    SampleBuffer audio = targets.generation() ? new SampleBuffer() : null;
    WavFormat format;
    double duration;
    long samples;
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(conf);
      long length = fs.getFileStatus(p).getLen();
      try (InputStream raw = fs.open(p, 1 << 16);
          DigestInputStream in = new DigestInputStream(raw, sha);
          WavReader reader = WavReader.open(in, path, length)) {
        format = reader.format();
        FeatureStream stream = audio == null ? fx.stream() : null;
        StreamingResampler.Sink sink = audio == null ? stream::feed : audio::add;
        StreamingResampler rs = format.sampleRate() == spec.sampleRate() ? null
            : new StreamingResampler(resamplers.computeIfAbsent(format.sampleRate(),
                r -> new Resampler(r, spec.sampleRate())), sink);
        long frames = 0;
        int n;
        while ((n = reader.readMono(block, 0, block.length)) > 0) {
          frames += n;
          if (rs == null) {
            sink.accept(block, 0, n);
          } else {
            rs.feed(block, 0, n);
          }
        }
        if (rs != null) {
          rs.finish();
        }
        samples = rs == null ? frames : rs.outputCount();
        duration = frames / (double) format.sampleRate();
        in.transferTo(java.io.OutputStream.nullOutputStream()); // chunks after the data still count in the hash
        m = stream == null ? null : stream.finishInPlace(); // segmented below, before the next stream opens
      }
    } catch (AudioFileException e) {
      return ClipResult.failed(clip, null, new QuarantineRecord(path, clip.dataset(), Stage.DECODE,
          e.reason().name(), e.getMessage()));
    } catch (IOException | RuntimeException e) {
      return ClipResult.failed(clip, null, new QuarantineRecord(path, clip.dataset(), Stage.DECODE,
          e.getClass().getSimpleName(), path + ": cannot read: " + e.getMessage()));
    }
    String hash = Sha256.hexOf(sha.digest());
    if (audio != null) {
      return frames(clip, hash, format, duration, audio.toArray());
    }
    float[] frameTargets;
    try {
      frameTargets = targets.separation()
          ? SourceMagnitudes.compute(clip, targets.sources(), spec, samples, m.frames(), conf)
          : targets.isEmpty() ? null : targets.compute(clip, m.frames(), spec.sampleRate(), spec.hopLength());
    } catch (SeparationInputException e) {
      return ClipResult.failed(clip, hash, new QuarantineRecord(e.path(), clip.dataset(), Stage.ANNOTATE,
          e.reason(), e.getMessage()));
    } catch (AudioFileException e) {
      return ClipResult.failed(clip, hash, new QuarantineRecord(path, clip.dataset(), Stage.DECODE,
          e.reason().name(), path + ": a stem cannot be decoded: " + e.getMessage()));
    } catch (IOException e) {
      return ClipResult.failed(clip, hash, new QuarantineRecord(path, clip.dataset(), Stage.DECODE,
          e.getClass().getSimpleName(), path + ": cannot read a stem: " + e.getMessage()));
    }
    try {
      List<Segment> segments = segmenter.segments(fx, m, frameTargets, targets.width(spec.nBins()));
      return new ClipResult(clip, hash, duration, format.sampleRate(), format.channels(), format.bitsPerSample(),
          format.encoding().name(), m.frames(), segments, null);
    } catch (RuntimeException e) {
      return ClipResult.failed(clip, hash, new QuarantineRecord(path, clip.dataset(), Stage.FEATURE,
          e.getClass().getSimpleName(), path + ": features failed: " + e.getMessage()));
    }
  }

  /** A generation table's segments of a decoded clip: its STFT frames, each with the next one as target. */
  private ClipResult frames(ClipRef clip, String hash, WavFormat format, double duration, float[] samples) {
    try {
      ComplexStft stft = new ComplexStft(spec);
      float[] encoded = targets.frames().encode(stft.forward(samples), spec.nFft(), spec.hopLength());
      int width = targets.frames().width(spec.nBins());
      int frames = encoded.length / width;
      List<Segment> segments = segmenter.nextFrameSegments(encoded, frames, width);
      return new ClipResult(clip, hash, duration, format.sampleRate(), format.channels(), format.bitsPerSample(),
          format.encoding().name(), frames, segments, null);
    } catch (RuntimeException e) {
      return ClipResult.failed(clip, hash, new QuarantineRecord(clip.audioPath(), clip.dataset(), Stage.FEATURE,
          e.getClass().getSimpleName(), clip.audioPath() + ": frames failed: " + e.getMessage()));
    }
  }

  /** Decoded samples of one clip, grown as they arrive. */
  private static final class SampleBuffer {
    private float[] data = new float[1 << 16];
    private int size;

    void add(float[] samples, int offset, int length) {
      if (size + length > data.length) {
        data = java.util.Arrays.copyOf(data, Math.max(2 * data.length, size + length));
      }
      System.arraycopy(samples, offset, data, size, length);
      size += length;
    }

    float[] toArray() {
      return java.util.Arrays.copyOf(data, size);
    }
  }

  /** SHA-256 of a whole file, for incremental ingest's "is this content new?". */
  public String hash(String path) throws IOException {
    Path p = new Path(path);
    MessageDigest sha = Sha256.newDigest();
    try (InputStream in = new DigestInputStream(p.getFileSystem(conf).open(p, 1 << 16), sha)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return Sha256.hexOf(sha.digest());
  }

}
