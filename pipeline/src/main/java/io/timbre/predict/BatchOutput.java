package io.timbre.predict;

import io.timbre.datasets.ClipRef;
import io.timbre.datasets.QuarantineRecord;
import io.timbre.exceptions.BadInputException;
import io.timbre.exceptions.StorageException;
import io.timbre.featurize.ClipBalancer;
import io.timbre.table.FeatureTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * What the batch-inference jobs ({@code predict}, {@code separate}) share: listing the input audio, starting an output
 * folder (its {@code _provenance.json}, written last, removed first), packing files into partitions, and the
 * quarantine table.
 */
final class BatchOutput {
  private BatchOutput() {}

  /** The input's audio files; none is a typed error naming the input. */
  static AudioInputs.Listing audio(String input, Configuration conf, String verb) {
    AudioInputs.Listing listing = AudioInputs.list(input, conf);
    if (listing.clips().isEmpty()) {
      throw new BadInputException("Cannot " + verb + " " + input + ": no .wav files there ("
          + listing.skippedNonAudio() + " other files)");
    }
    return listing;
  }

  /** Removes {@code out}'s provenance before anything in it is rewritten; returns where it goes. */
  static Path start(Path out, Configuration conf) {
    Path marker = new Path(out, PredictionsProvenance.FILE_NAME);
    try {
      if (marker.getFileSystem(conf).exists(marker)) {
        marker.getFileSystem(conf).delete(marker, false);
      }
    } catch (IOException e) {
      throw new StorageException("Cannot write to " + out + ": " + e.getMessage(), e);
    }
    return marker;
  }

  /** Files packed into partitions of about equal audio (0 partitions = 4 x default parallelism). */
  static List<List<ClipRef>> buckets(JavaSparkContext sc, List<ClipRef> clips, int partitions) {
    int parallelism = sc.defaultParallelism();
    int n = Math.max(1, Math.min(clips.size(), partitions > 0 ? partitions : 4 * parallelism));
    return ClipBalancer.balance(clips, n, parallelism);
  }

  /** Files that could not be processed, with the reason, sorted by path, to {@code out/quarantine}. */
  static void writeQuarantine(SparkSession spark, List<QuarantineRecord> failed, String specId, String runId,
      Path out) {
    List<Row> rows = new ArrayList<>();
    for (QuarantineRecord q : failed) {
      rows.add(RowFactory.create(q.path(), q.dataset(), q.stage().name(), q.errorClass(), q.message(), specId,
          runId));
    }
    rows.sort(Comparator.comparing(row -> row.getString(0)));
    spark.createDataFrame(rows, FeatureTable.QUARANTINE).coalesce(1).write().mode(SaveMode.Overwrite)
        .parquet(new Path(out, "quarantine").toString());
  }
}
