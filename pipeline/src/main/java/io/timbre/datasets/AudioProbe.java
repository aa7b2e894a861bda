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
 *
 * <p>Readers hand each folder's files to {@link #prefetch} as they list them: the headers are then read on
 * {@value #THREADS} threads ahead of the reader, which takes each result in its own order in {@link #probe} (so
 * listings and quarantine records are the same as probing one file after another). On S3 a header read is a GET
 * that waits 20–50 ms for the first byte: one after another, the 9,579 files of IRMAS would keep the driver minutes
 * before any task ran. On a local disk a header read is a fraction of a millisecond of CPU and handing it to a
 * thread costs more than it saves, so there files are read one by one (figures in docs/performance.md).
 */
public final class AudioProbe {
  private final DatasetRoot root;
  private final String dataset;
  private final int expectedRate;
  private final boolean readAhead;
  private final java.util.Map<String, Double> durations = new java.util.HashMap<>();
  private final java.util.Map<String, java.util.concurrent.Future<Outcome>> ahead = new java.util.HashMap<>();

  /** Header reads at once per JVM (they wait on storage, not on a core; S3A's pool holds far more connections). */
  public static final int THREADS = 16;
  private static final java.util.concurrent.ThreadPoolExecutor POOL = pool();

  /** A probe's result: the format, or why the file is quarantined. */
  private record Outcome(WavFormat format, QuarantineRecord failure) {}

  /**
   * @param expectedRate the sample rate every file of this dataset has (44,100 for all supported sets), or 0 for any
   */
  public AudioProbe(DatasetRoot root, String dataset, int expectedRate) {
    this(root, dataset, expectedRate, !"file".equals(root.fs().getUri().getScheme()));
  }

  /** @param readAhead whether {@link #prefetch} reads ahead (by default: on every file system but the local disk) */
  AudioProbe(DatasetRoot root, String dataset, int expectedRate, boolean readAhead) {
    this.readAhead = readAhead;
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

  /**
   * Starts reading the headers of the {@code .wav} files among {@code files} in the background (not on the local
   * disk, see the class comment); returns
   * {@code files}, so a reader can write {@code for (FileStatus f : probe.prefetch(root.filesBelow(dir)))}.
   */
  public <T extends Iterable<FileStatus>> T prefetch(T files) {
    if (!readAhead) {
      return files;
    }
    for (FileStatus f : files) {
      String path = f.getPath().toString();
      if (f.isFile() && LayoutFiles.hasExtension(f.getPath().getName(), "wav") && !ahead.containsKey(path)) {
        ahead.put(path, POOL.submit(() -> read(f)));
      }
    }
    return files;
  }

  /** The file's format, or null after adding a quarantine record to {@code quarantine}. */
  public WavFormat probe(FileStatus file, java.util.List<QuarantineRecord> quarantine) {
    String path = file.getPath().toString();
    java.util.concurrent.Future<Outcome> pending = ahead.remove(path);
    Outcome o = pending == null ? read(file) : await(pending, file);
    if (o.failure() != null) {
      quarantine.add(o.failure());
      return null;
    }
    durations.put(path, o.format().durationSeconds());
    return o.format();
  }

  private Outcome await(java.util.concurrent.Future<Outcome> pending, FileStatus file) {
    try {
      return pending.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DatasetException("Interrupted while reading the header of " + file.getPath(), e);
    } catch (java.util.concurrent.ExecutionException e) {
      // read() turns every failure of the file into an outcome; anything else is a bug worth seeing as it is.
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    }
  }

  /** Reads one header; touches nothing shared (it runs on the prefetch threads). */
  private Outcome read(FileStatus file) {
    String path = file.getPath().toString();
    try (InputStream in = root.open(file.getPath());
        WavReader r = WavReader.open(in, path, file.getLen())) {
      WavFormat f = r.format();
      if (expectedRate > 0 && f.sampleRate() != expectedRate) {
        return new Outcome(null, new QuarantineRecord(path, dataset, QuarantineRecord.Stage.DECODE,
            "WrongSampleRate", path + ": sample rate " + f.sampleRate() + " Hz, but every " + dataset + " file is "
                + expectedRate + " Hz"));
      }
      return new Outcome(f, null);
    } catch (AudioFileException e) {
      return new Outcome(null, new QuarantineRecord(path, dataset, QuarantineRecord.Stage.DECODE, e.reason().name(),
          e.getMessage()));
    } catch (IOException e) {
      return new Outcome(null, new QuarantineRecord(path, dataset, QuarantineRecord.Stage.DECODE, "IOException",
          path + ": cannot read: " + e.getMessage()));
    }
  }

  private static java.util.concurrent.ThreadPoolExecutor pool() {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ThreadPoolExecutor p = new java.util.concurrent.ThreadPoolExecutor(THREADS, THREADS, 10,
        java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "timbre-audio-probe-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    p.allowCoreThreadTimeOut(true); // no idle threads once listing is over
    return p;
  }
}
