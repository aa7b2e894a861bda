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

  /**
   * @param expectedRate the sample rate every file of this dataset has (44,100 for all supported sets), or 0 for any
   */
  public AudioProbe(DatasetRoot root, String dataset, int expectedRate) {
    this.root = root;
    this.dataset = dataset;
    this.expectedRate = expectedRate;
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
