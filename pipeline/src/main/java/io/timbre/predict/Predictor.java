package io.timbre.predict;

import io.timbre.datasets.ClipRef;
import io.timbre.eval.ClipAggregation;
import io.timbre.eval.ModelBundle;
import io.timbre.exceptions.IncompatibleArtefactException;
import io.timbre.exceptions.StorageException;
import io.timbre.features.FeatureSpec;
import io.timbre.featurize.Segmenter;
import io.timbre.model.ExampleEncoder;
import io.timbre.model.Task;
import io.timbre.registry.ModelRegistry;
import io.timbre.store.AtomicFiles;
import io.timbre.table.TableInfo;
import io.timbre.util.RunStamp;
import io.timbre.util.Versions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
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
 * {@code timbre predict}: batch inference of a clip-level model on new audio, in Spark. The features are computed with
 * the spec recorded in the model's own provenance (never a spec given on the command line, so a model can never be
 * fed features it was not trained on), normalised with its training statistics and scored segment by segment; the
 * clip score is the mean of its segments, as in the evaluate job.
 *
 * <p>Writes {@code <out>/predictions} (Parquet, one row per clip, in clip-id order), {@code <out>/quarantine} (one row
 * per file that could not be scored, with the stage and reason) and {@code <out>/_provenance.json} last: its presence
 * marks a complete output, and it is removed before anything is rewritten.
 */
public final class Predictor {
  private static final Logger LOG = LoggerFactory.getLogger(Predictor.class);

  /** The predictions table. {@code scores} are in the order of the model's {@code labels}. */
  public static final StructType PREDICTIONS = new StructType()
      .add("clip_id", DataTypes.StringType, false)
      .add("path", DataTypes.StringType, false)
      .add("sha256", DataTypes.StringType, false)
      .add("duration_sec", DataTypes.DoubleType, false)
      .add("n_segments", DataTypes.IntegerType, false)
      .add("predicted", DataTypes.StringType, false)
      .add("predicted_labels", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("top_labels", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("top_scores", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
      .add("scores", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
      .add("model_run_id", DataTypes.StringType, false)
      .add("spec_id", DataTypes.StringType, false);

  private Predictor() {}

  /** A run ready to score new audio: its bundle, the spec and table it was trained on, its encoder, its bytes. */
  private record LoadedModel(String runDir, ModelBundle bundle, FeatureSpec spec, ExampleEncoder encoder,
      byte[] zip) {}

  public static PredictSummary run(SparkSession spark, PredictRequest r) {
    long t0 = System.nanoTime();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration conf = sc.hadoopConfiguration();
    LoadedModel loaded = load(r.model(), conf);
    ModelBundle model = loaded.bundle();

    AudioInputs.Listing listing = BatchOutput.audio(r.input(), conf, "predict on");
    String predictRunId = RunStamp.now();
    Path out = new Path(r.out());
    Path marker = BatchOutput.start(out, conf);
    List<List<ClipRef>> buckets = BatchOutput.buckets(sc, listing.clips(), r.partitions());
    Broadcast<byte[]> zip = sc.broadcast(loaded.zip());
    String specJson = loaded.spec().toJson();
    ExampleEncoder encoder = loaded.encoder();
    boolean masked = model.spec().architecture().recurrent();
    Map<String, String> hadoop = new HashMap<>();
    conf.forEach(e -> hadoop.put(e.getKey(), e.getValue()));
    sc.setJobDescription("timbre predict: decode + features + inference, " + listing.clips().size() + " files in "
        + buckets.size() + " partitions");
    JavaRDD<ClipScorer.Scored> scored = sc.parallelize(buckets, buckets.size()).mapPartitions(
        it -> scorePartition(it, specJson, encoder, zip, masked, hadoop)).persist(StorageLevel.MEMORY_AND_DISK_SER());

    List<String> labels = model.labels();
    double threshold = model.spec().threshold();
    int k = Math.min(r.topK(), labels.size());
    String modelRunId = model.provenance().runId();
    String specId = loaded.spec().id();
    boolean multiLabel = model.spec().task() == Task.MULTI_LABEL;
    JavaRDD<Row> predictionRows = scored.filter(s -> s.failure() == null)
        .map(s -> predictionRow(s, labels, k, threshold, multiLabel, modelRunId, specId));
    sc.setJobDescription("timbre predict: write predictions");
    spark.createDataFrame(predictionRows, PREDICTIONS).sort("clip_id").write().mode(SaveMode.Overwrite)
        .parquet(new Path(out, "predictions").toString());
    List<ClipScorer.Scored> failed = scored.filter(s -> s.failure() != null).collect();
    BatchOutput.writeQuarantine(spark, failed.stream().map(ClipScorer.Scored::failure).toList(), specId,
        predictRunId, out);
    double[] totals = scored.filter(s -> s.failure() == null).map(s -> new double[] {1, s.durationSec()})
        .fold(new double[] {0, 0}, (a, b) -> new double[] {a[0] + b[0], a[1] + b[1]});
    scored.unpersist(false);
    zip.destroy();

    double wall = (System.nanoTime() - t0) / 1e9;
    PredictSummary summary = new PredictSummary(out.toString(), modelRunId, (long) totals[0], failed.size(),
        listing.skippedNonAudio(), totals[1] / 3600, wall);
    new PredictionsProvenance(predictRunId, Versions.all(spark.version()), r.model(), loaded.runDir(),
        model.provenance(), threshold, labels, loaded.spec(), r.input(), listing.root(), listing.clips().size(),
        listing.skippedNonAudio(), k, summary).write(marker, conf);
    LOG.info("Predictions: {}", summary);
    return summary;
  }

  /** Resolves a run or alias and checks that it scores clips with the spec it recorded. */
  private static LoadedModel load(String reference, Configuration conf) {
    String runDir = ModelRegistry.resolveModel(reference, conf);
    ModelBundle model = ModelBundle.load(runDir, conf);
    Task task = model.spec().task();
    if (task.frameLevel()) {
      throw new IllegalArgumentException("Cannot predict with run " + runDir + ": it is a " + task.key()
          + " model; predict scores clip-level models (single_label, multi_label). Frame-level models are scored "
          + "on a feature table with `timbre evaluate`, which writes their onset/f0 predictions.");
    }
    TableInfo trainedOn = model.provenance().table().tableInfo();
    FeatureSpec spec = FeatureSpec.parse(trainedOn.specJson());
    if (!spec.id().equals(trainedOn.specId())) {
      throw new IncompatibleArtefactException("Cannot predict with run " + runDir + ": its recorded feature spec "
          + "hashes to " + spec.id() + ", not the recorded spec id " + trainedOn.specId() + " (model.json was edited, "
          + "or written by an incompatible version)");
    }
    // The network's time steps per input as training recorded them (the segment length, or the recurrent chunk).
    int steps = model.provenance().input().steps();
    ExampleEncoder encoder = new ExampleEncoder(model.spec(), model.normalizer(),
        steps > 0 ? steps : new Segmenter(spec).segmentFrames(), trainedOn);
    try {
      return new LoadedModel(runDir, model, spec, encoder, AtomicFiles.read(new Path(runDir + "/model.zip"), conf));
    } catch (IOException e) {
      throw new StorageException("Cannot read " + runDir + "/model.zip: " + e.getMessage(), e);
    }
  }

  private static Iterator<ClipScorer.Scored> scorePartition(Iterator<List<ClipRef>> buckets, String specJson,
      ExampleEncoder encoder, Broadcast<byte[]> zip, boolean masked, Map<String, String> hadoop) {
    Configuration conf = new Configuration(false);
    hadoop.forEach(conf::set);
    ClipScorer scorer = new ClipScorer(FeatureSpec.parse(specJson), encoder, zip.value(), masked, conf);
    List<ClipScorer.Scored> out = new ArrayList<>();
    while (buckets.hasNext()) {
      for (ClipRef c : buckets.next()) {
        out.add(scorer.score(c));
      }
    }
    return out.iterator();
  }

  static Row predictionRow(ClipScorer.Scored s, List<String> labels, int k, double threshold, boolean multiLabel,
      String modelRunId, String specId) {
    double[] scores = s.scores();
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // Highest score first; equal scores by descending label index, as scikit-learn's top_k_accuracy_score ranks
    // them and as the evaluate job's arg-max decides, so predict and evaluate name the same top label.
    Arrays.sort(order, (a, b) -> scores[a] != scores[b] ? Double.compare(scores[b], scores[a]) : Integer.compare(b, a));
    String[] top = new String[k];
    Double[] topScores = new Double[k];
    for (int i = 0; i < k; i++) {
      top[i] = labels.get(order[i]);
      topScores[i] = scores[order[i]];
    }
    List<String> predicted = new ArrayList<>();
    if (multiLabel) {
      boolean[] on = ClipAggregation.threshold(scores, threshold);
      for (int i = 0; i < on.length; i++) {
        if (on[i]) {
          predicted.add(labels.get(i));
        }
      }
    } else {
      predicted.add(top[0]);
    }
    Double[] all = Arrays.stream(scores).boxed().toArray(Double[]::new);
    return RowFactory.create(s.clip().id(), s.clip().audioPath(), s.sha256(), s.durationSec(), s.segments(), top[0],
        predicted.toArray(String[]::new), top, topScores, all, modelRunId, specId);
  }
}
