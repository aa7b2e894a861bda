package io.timbre.predict;

import io.timbre.datasets.ClipRef;
import io.timbre.datasets.QuarantineRecord;
import io.timbre.eval.ModelBundle;
import io.timbre.exceptions.StorageException;
import io.timbre.features.FeatureSpec;
import io.timbre.model.Task;
import io.timbre.registry.ModelRegistry;
import io.timbre.separate.StemWriter;
import io.timbre.separate.TrackSeparator;
import io.timbre.separation.SeparationAudio;
import io.timbre.util.RunStamp;
import io.timbre.util.Versions;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code timbre separate}: a separation model (run or alias) applied to new audio in Spark. Each file is decoded to
 * mono at the model's rate, separated whole ({@link TrackSeparator}: the mask applied to the mixture's STFT, inverse
 * STFT with the mixture's phase) and written as one WAV per source ({@link StemWriter}); {@code <out>/stems} indexes
 * what was written (Parquet, one row per file and source), {@code <out>/quarantine} holds the files that could not be
 * read, and {@code <out>/_provenance.json} is written last.
 */
public final class Separator {
  private static final Logger LOG = LoggerFactory.getLogger(Separator.class);

  public static final StructType STEMS = new StructType()
      .add("clip_id", DataTypes.StringType, false)
      .add("path", DataTypes.StringType, false)
      .add("source", DataTypes.StringType, false)
      .add("stem_path", DataTypes.StringType, false)
      .add("duration_sec", DataTypes.DoubleType, false)
      .add("sample_rate", DataTypes.IntegerType, false)
      .add("peak", DataTypes.DoubleType, false)
      .add("clipped_samples", DataTypes.LongType, false)
      .add("model_run_id", DataTypes.StringType, false)
      .add("spec_id", DataTypes.StringType, false);

  private Separator() {}

  /** One input's outcome: what was written, or why nothing was. */
  record Done(ClipRef clip, double seconds, List<StemWriter.Written> stems, QuarantineRecord failure)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  public static PredictSummary run(SparkSession spark, PredictRequest r) {
    long t0 = System.nanoTime();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration conf = sc.hadoopConfiguration();
    String runDir = ModelRegistry.resolveModel(r.model(), conf);
    ModelBundle model = ModelBundle.load(runDir, conf);
    if (model.spec().task() != Task.SEPARATION) {
      throw new IllegalArgumentException("Cannot separate with run " + runDir + ": it is a "
          + model.spec().task().key() + " model (use `timbre predict` or `timbre evaluate`)");
    }
    FeatureSpec spec = FeatureSpec.parse(model.provenance().table().tableInfo().specJson());
    TrackSeparator separator = new TrackSeparator(model.modelZip(), spec, model.normalizer(), model.labels());
    AudioInputs.Listing listing = BatchOutput.audio(r.input(), conf, "separate");
    String runId = RunStamp.now();
    Path out = new Path(r.out());
    Path marker = BatchOutput.start(out, conf);
    List<List<ClipRef>> buckets = BatchOutput.buckets(sc, listing.clips(), r.partitions());
    Map<String, String> hadoop = new HashMap<>();
    conf.forEach(e -> hadoop.put(e.getKey(), e.getValue()));
    String audioDir = new Path(out, "audio").toString();
    sc.setJobDescription("timbre separate: " + listing.clips().size() + " files in " + buckets.size()
        + " partitions");
    JavaRDD<Done> done = sc.parallelize(buckets, buckets.size())
        .mapPartitions(it -> separatePartition(it, separator, audioDir, hadoop))
        .persist(StorageLevel.MEMORY_AND_DISK_SER());
    String modelRunId = model.provenance().runId();
    String specId = spec.id();
    int rate = spec.sampleRate();
    JavaRDD<Row> rows = done.filter(d -> d.failure() == null).flatMap(d -> d.stems().stream()
        .map(s -> RowFactory.create(d.clip().id(), d.clip().audioPath(), s.source(), s.path(), d.seconds(), rate,
            s.peak(), s.clippedSamples(), modelRunId, specId)).iterator());
    spark.createDataFrame(rows, STEMS).sort("clip_id", "source").write().mode(SaveMode.Overwrite)
        .parquet(new Path(out, "stems").toString());
    List<QuarantineRecord> failed = done.filter(d -> d.failure() != null).map(Done::failure).collect();
    BatchOutput.writeQuarantine(spark, failed, specId, runId, out);
    double[] totals = done.filter(d -> d.failure() == null).map(d -> new double[] {1, d.seconds()})
        .fold(new double[] {0, 0}, (a, b) -> new double[] {a[0] + b[0], a[1] + b[1]});
    done.unpersist(false);
    PredictSummary summary = new PredictSummary(out.toString(), modelRunId, (long) totals[0], failed.size(),
        listing.skippedNonAudio(), totals[1] / 3600, (System.nanoTime() - t0) / 1e9);
    new PredictionsProvenance(runId, Versions.all(spark.version()), r.model(), runDir, model.provenance(),
        model.spec().threshold(), model.labels(), spec, r.input(), listing.root(), listing.clips().size(),
        listing.skippedNonAudio(), 0, summary).write(marker, conf);
    LOG.info("Separated: {}", summary);
    return summary;
  }

  private static Iterator<Done> separatePartition(Iterator<List<ClipRef>> buckets, TrackSeparator separator,
      String audioDir, Map<String, String> hadoop) {
    Configuration conf = new Configuration(false);
    hadoop.forEach(conf::set);
    List<Done> out = new ArrayList<>();
    while (buckets.hasNext()) {
      for (ClipRef c : buckets.next()) {
        out.add(separateOne(c, separator, new Path(audioDir), conf));
      }
    }
    return out.iterator();
  }

  static Done separateOne(ClipRef clip, TrackSeparator separator, Path audioDir, Configuration conf) {
    float[] mixture;
    try {
      mixture = SeparationAudio.decode(clip.audioPath(), separator.spec().sampleRate(), conf);
    } catch (io.timbre.audio.AudioFileException e) {
      return new Done(clip, 0, List.of(), new QuarantineRecord(clip.audioPath(), clip.dataset(),
          QuarantineRecord.Stage.DECODE, e.reason().name(), e.getMessage()));
    } catch (IOException | RuntimeException e) {
      return new Done(clip, 0, List.of(), new QuarantineRecord(clip.audioPath(), clip.dataset(),
          QuarantineRecord.Stage.DECODE, e.getClass().getSimpleName(), clip.audioPath() + ": cannot read: "
          + e.getMessage()));
    }
    try {
      TrackSeparator.Separated s = separator.separate(mixture);
      List<StemWriter.Written> written = StemWriter.write(audioDir, clip.id(), separator.sources(), s.signals(),
          separator.spec().sampleRate(), conf);
      return new Done(clip, mixture.length / (double) separator.spec().sampleRate(), written, null);
    } catch (IOException e) {
      throw new StorageException("Cannot write the sources of " + clip.audioPath() + ": " + e.getMessage(), e);
    }
  }
}
