package io.timbre.datasets;

import io.timbre.audio.AudioFileException;
import io.timbre.audio.WavFormat;
import io.timbre.audio.WavReader;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.fs.FileStatus;

/**
 * Reads just the header of a listed WAV file (a few KB, one ranged read on S3) to quarantine files that cannot be
 * decoded — truncated, empty, not WAV, wrong rate for the dataset — before any work is scheduled on them.
 */
public final class AudioProbe {
  private final DatasetRoot root;
  private final String dataset;
  private final int expectedRate;
  private final java.util.Map<String, Double> durations = new java.util.HashMap<>();

  /**
   * @param expectedRate the sample rate every file of this dataset has (44,100 for all supported sets), or 0 for any
   */
  public AudioProbe(DatasetRoot root, String dataset, int expectedRate) {
    this.root = root;
    this.dataset = dataset;
    this.expectedRate = expectedRate;
  }

  /**
   * The clips with a {@code duration_sec} tag for each whose (first) audio file was probed: what ingest balances its
   * partitions by, since file size is only proportional to duration within one encoding and channel count.
   */
  public java.util.List<ClipRef> withDurations(java.util.List<ClipRef> clips) {
    java.util.List<ClipRef> out = new java.util.ArrayList<>(clips.size());
    for (ClipRef c : clips) {
      Double d = durations.get(c.audioPath());
      out.add(d == null ? c : c.withTag("duration_sec", String.format(java.util.Locale.ROOT, "%.3f", d)));
    }
    return out;
  }

  /** The file's format, or null after adding a quarantine record to {@code quarantine}. */
  public WavFormat probe(FileStatus file, java.util.List<QuarantineRecord> quarantine) {
    String path = file.getPath().toString();
    try (InputStream in = root.open(file.getPath());
        WavReader r = WavReader.open(in, path, file.getLen())) {
      WavFormat f = r.format();
      if (expectedRate > 0 && f.sampleRate() != expectedRate) {
        quarantine.add(new QuarantineRecord(path, dataset, QuarantineRecord.Stage.DECODE, "WrongSampleRate",
            path + ": sample rate " + f.sampleRate() + " Hz, but every " + dataset + " file is " + expectedRate
                + " Hz"));
        return null;
      }
      durations.put(path, f.durationSeconds());
      return f;
    } catch (AudioFileException e) {
      quarantine.add(new QuarantineRecord(path, dataset, QuarantineRecord.Stage.DECODE, e.reason().name(),
          e.getMessage()));
      return null;
    } catch (IOException e) {
      quarantine.add(new QuarantineRecord(path, dataset, QuarantineRecord.Stage.DECODE, "IOException",
          path + ": cannot read: " + e.getMessage()));
      return null;
    }
  }
}
