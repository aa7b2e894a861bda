package io.timbre.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbre.exceptions.StorageException;
import io.timbre.model.EpochRecord;
import io.timbre.model.ExampleEncoder;
import io.timbre.model.ExampleKey;
import io.timbre.model.MelodyClasses;
import io.timbre.model.Task;
import io.timbre.store.AtomicFiles;
import io.timbre.table.TableInfo;
import io.timbre.util.CodeVersion;
import io.timbre.util.JsonDocument;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * {@code timbre evaluate}: scores a finished run on a split of a feature table in Spark and writes
 * {@code <out>/<experiment>/<run id>/}: {@code predictions.parquet} (per clip: truth, mean scores, predicted labels by
 * arg-max / S1 / S2), {@code per_class.parquet}, {@code report.html} ({@link HtmlReport}) and {@code metrics.json} — written last, so its presence marks a
 * complete evaluation. Segment predictions run on the executors; per-clip scores come back to the driver, where the
 * metrics ({@link ClassificationReport}, onset and melody counts) are computed.
 */
public final class Evaluator {
  private static final Logger LOG = LoggerFactory.getLogger(Evaluator.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private Evaluator() {}

  /**
   * @param theta threshold of the multi-label rules and of onset peak picking (NaN = the model's own threshold)
   */
  public record Request(String run, String table, String split, String out, double theta, int topK) {}

  public record Result(String dir, MetricsDocument metrics) {}

  public static Result run(SparkSession spark, Request r) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration conf = sc.hadoopConfiguration();
    ModelBundle model = ModelBundle.load(r.run(), conf);
    TableInfo table = TableInfo.read(r.table(), conf);
    checkCompatible(model, table);
    Task task = model.spec().task();
    double theta = Double.isNaN(r.theta()) ? model.spec().threshold() : r.theta();
    JavaPairRDD<ExampleKey, INDArray> predictions = task == Task.SEPARATION ? null
        : predict(spark, model, table, r.split());

    String experiment = model.provenance().experiment();
    String runId = model.provenance().runId();
    Path dir = new Path(r.out(), experiment + "/" + runId);
    MetricsDocument metrics;
    try {
      // metrics.json marks a complete evaluation: remove a previous one before anything else is replaced, so a
      // failure half-way never leaves old metrics next to new predictions.
      Path marker = new Path(dir, MetricsDocument.FILE_NAME);
      if (marker.getFileSystem(conf).exists(marker)) {
        marker.getFileSystem(conf).delete(marker, false);
      }
      ObjectNode body;
      String figures = "";
      if (task == Task.SEPARATION) {
        SeparationEvaluator.Outcome o = SeparationEvaluator.run(spark, model, table.location(), r.split(), dir);
        body = JSON.createObjectNode();
        body.set("separation", o.body());
        figures = o.figures();
      } else if (task == Task.GENERATION) {
        GenerationEvaluator.Outcome o = GenerationEvaluator.run(spark, model, table, r.split(), predictions);
        body = JSON.createObjectNode();
        body.set("generation", o.body());
        figures = o.figure();
      } else if (task.frameLevel()) {
        body = frameLevel(spark, model, table, predictions, theta, dir);
      } else {
        List<ClassificationReport.Clip> clips = clips(predictions);
        body = ClassificationReport.compute(clips, model.labels(), theta, r.topK());
        writePredictions(spark, dir, clips, model.labels(), theta);
      }
      metrics = document(model, table, r, theta, body);
      if (!task.frameLevel()) {
        writePerClass(spark, dir, metrics.metrics());
      }
      List<EpochRecord> curves = List.of();
      Path curvesPath = new Path(model.runDir() + "/curves.json");
      if (curvesPath.getFileSystem(conf).exists(curvesPath)) {
        curves = EpochRecord.readCurves(curvesPath, conf);
      }
      AtomicFiles.write(new Path(dir, "report.html"), conf, HtmlReport.render(metrics, curves, figures)
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      metrics.write(new Path(dir, MetricsDocument.FILE_NAME), conf);
    } catch (IOException e) {
      throw new StorageException("Cannot write the evaluation to " + dir + ": " + e.getMessage(), e);
    }
    LOG.info("Evaluated run {} on {} ({}): {}", runId, r.split(), table.location(), dir);
    return new Result(dir.toString(), metrics);
  }

  /** A model scores only features of its own spec and, for clip labels, in its own label order. */
  private static void checkCompatible(ModelBundle model, TableInfo table) {
    if (!table.specId().equals(model.specId())) {
      throw new IllegalArgumentException("Cannot evaluate run " + model.runDir() + " on " + table.location()
          + ": the model was trained on features of spec " + model.specId() + ", the table has spec "
          + table.specId());
    }
    if (!model.spec().task().frameLevel() && !table.vocabulary().equals(model.labels())) {
      throw new IllegalArgumentException("Cannot evaluate run " + model.runDir() + " on " + table.location()
          + ": label vocabularies differ (model " + model.labels() + ", table " + table.vocabulary() + ")");
    }
  }

  /** The network's outputs on every segment of the split, keyed by example. */
  private static JavaPairRDD<ExampleKey, INDArray> predict(SparkSession spark, ModelBundle model, TableInfo table,
      String split) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Dataset<Row> all = io.timbre.table.FeatureTable.read(spark, table.location(), "segments");
    Dataset<Row> rows = all.where(all.col("split").equalTo(split));
    List<Row> first = rows.select("n_frames").takeAsList(1);
    if (first.isEmpty()) {
      throw new IllegalArgumentException("Cannot evaluate on split '" + split + "' of " + table.location()
          + ": it is empty (splits present: " + all.select("split").distinct().as(
              org.apache.spark.sql.Encoders.STRING()).collectAsList() + ")");
    }
    ExampleEncoder encoder = new ExampleEncoder(model.spec(), model.normalizer(), first.get(0).getInt(0), table);
    JavaPairRDD<ExampleKey, DataSet> keyed = rows.javaRDD().flatMapToPair(row -> encoder.keyed(row).iterator());
    sc.setJobDescription("timbre evaluate " + model.runDir() + " on " + split);
    if (model.network() instanceof org.deeplearning4j.nn.graph.ComputationGraph graph) {
      return ModelScorer.predict(new org.deeplearning4j.spark.impl.graph.SparkComputationGraph(sc, graph,
          new ParameterAveragingTrainingMaster.Builder(1).build()), keyed, 64);
    }
    SparkDl4jMultiLayer net = new SparkDl4jMultiLayer(sc, model.sequential(),
        new ParameterAveragingTrainingMaster.Builder(1).build());
    return ModelScorer.predict(net, keyed, model.spec().architecture().recurrent(), 64);
  }

  /** What was evaluated (run, task, split, table, settings and the model's provenance) and the metrics. */
  private static MetricsDocument document(ModelBundle model, TableInfo table, Request r, double theta,
      ObjectNode body) {
    return new MetricsDocument(model.provenance().runId(), model.provenance().experiment(), model.spec().task(),
        r.split(), model.runDir(), Instant.now().toString(), CodeVersion.get(),
        new MetricsDocument.EvaluatedTable(table.location(), table.specId(), table.inputFingerprint()), theta,
        r.topK(), model.provenance(), body);
  }

  /** Onset or melody metrics (mir_eval definitions) and the frame-level predictions beside them. */
  private static ObjectNode frameLevel(SparkSession spark, ModelBundle model, TableInfo table,
      JavaPairRDD<ExampleKey, INDArray> output, double theta, Path dir) {
    JavaPairRDD<ExampleKey, INDArray> predictions =
        output.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK_SER());
    ObjectNode frame = JSON.createObjectNode();
    frame.set("errors", JSON.createObjectNode());
    if (model.spec().task() == Task.ONSET) {
      frame.set("onset", FrameLevelReport.onsets(predictions, table.onsetChannels(), theta, table.frameRate()));
      spark.createDataFrame(FrameLevelReport.onsetEvents(predictions, table.onsetChannels(), theta,
          table.frameRate()), FrameLevelReport.ONSET_PREDICTIONS).coalesce(1).write().mode(SaveMode.Overwrite)
          .parquet(new Path(dir, "predictions.parquet").toString());
    } else {
      List<Row> melodyRows = new ArrayList<>();
      frame.set("melody", FrameLevelReport.melody(predictions, new MelodyClasses(
          model.spec().melodyMinMidi(), model.spec().melodyBins()), 1 / table.frameRate(), melodyRows));
      spark.createDataFrame(melodyRows, FrameLevelReport.MELODY_PREDICTIONS).coalesce(1).write()
          .mode(SaveMode.Overwrite).parquet(new Path(dir, "predictions.parquet").toString());
      // Semitone-class frame counts as during training, for comparison with the run's curves.
      ObjectNode frameClasses = JSON.valueToTree(ModelScorer.score(predictions, model.spec(), model.labels(), table,
          model.normalizer()));
      frameClasses.put("definition", MelodyCounts.DEFINITION);
      frame.set("frame_classes", frameClasses);
    }
    predictions.unpersist(false);
    return frame;
  }

  /** Per-clip segment outputs, segments in (segment, chunk) order, clips by id. */
  static List<ClassificationReport.Clip> clips(JavaPairRDD<ExampleKey, INDArray> predictions) {
    List<Tuple2<String, Iterable<Tuple2<ExampleKey, float[]>>>> grouped = predictions
        .mapToPair(p -> new Tuple2<>(p._1().clipId(), new Tuple2<>(p._1(), p._2().dup().data().asFloat())))
        .groupByKey().collect();
    List<ClassificationReport.Clip> out = new ArrayList<>();
    for (Tuple2<String, Iterable<Tuple2<ExampleKey, float[]>>> g : grouped) {
      List<Tuple2<ExampleKey, float[]>> segs = new ArrayList<>();
      g._2().forEach(segs::add);
      segs.sort(Comparator.comparingInt((Tuple2<ExampleKey, float[]> s) -> s._1().segment())
          .thenComparingInt(s -> s._1().chunk()));
      float[] truthF = segs.get(0)._1().truth();
      boolean[] truth = new boolean[truthF.length];
      for (int i = 0; i < truth.length; i++) {
        truth[i] = truthF[i] >= 0.5f;
      }
      out.add(new ClassificationReport.Clip(g._1(), truth, segs.stream().map(Tuple2::_2).toArray(float[][]::new)));
    }
    out.sort(Comparator.comparing(ClassificationReport.Clip::id));
    return out;
  }

  private static void writePredictions(SparkSession spark, Path dir, List<ClassificationReport.Clip> clips,
      List<String> labels, double theta) {
    StructType schema = new StructType()
        .add("clip_id", DataTypes.StringType, false)
        .add("truth", DataTypes.createArrayType(DataTypes.StringType, false), false)
        .add("scores", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
        .add("predicted_argmax", DataTypes.StringType, false)
        .add("predicted_s1", DataTypes.createArrayType(DataTypes.StringType, false), false)
        .add("predicted_s2", DataTypes.createArrayType(DataTypes.StringType, false), false)
        .add("n_segments", DataTypes.IntegerType, false);
    List<Row> rows = new ArrayList<>();
    for (ClassificationReport.Clip c : clips) {
      double[] mean = ClipAggregation.mean(c.segments());
      Double[] scores = java.util.Arrays.stream(mean).boxed().toArray(Double[]::new);
      rows.add(RowFactory.create(c.id(), names(c.truth(), labels), scores,
          labels.get(ClipAggregation.argmax(mean)), names(ClipAggregation.threshold(mean, theta), labels),
          names(ClipAggregation.s2(c.segments(), theta), labels), c.segments().length));
    }
    spark.createDataFrame(rows, schema).coalesce(1).write().mode(SaveMode.Overwrite)
        .parquet(new Path(dir, "predictions.parquet").toString());
  }

  /** The per-class figures of the single-label report, or of the multi-label S1 rule, with ROC AUC where defined. */
  private static void writePerClass(SparkSession spark, Path dir, JsonDocument metrics) {
    Optional<JsonDocument> single = metrics.optionalObject("single_label");
    Optional<JsonDocument> multi = metrics.optionalObject("multi_label");
    List<JsonDocument> perClass = single.isPresent() ? single.get().objects("per_class")
        : multi.orElseThrow().object("s1").objects("per_class");
    Optional<JsonDocument> auc = multi.flatMap(m -> m.optionalObject("roc_auc"));
    StructType schema = new StructType()
        .add("label", DataTypes.StringType, false)
        .add("precision", DataTypes.DoubleType, false)
        .add("recall", DataTypes.DoubleType, false)
        .add("f1", DataTypes.DoubleType, false)
        .add("support", DataTypes.LongType, false)
        .add("roc_auc", DataTypes.DoubleType, true);
    List<Row> rows = new ArrayList<>();
    for (JsonDocument c : perClass) {
      String label = c.string("label");
      OptionalDouble a = auc.map(x -> x.optionalNumber(label)).orElse(OptionalDouble.empty());
      rows.add(RowFactory.create(label, c.number("precision"), c.number("recall"), c.number("f1"),
          c.integer("support"), a.isPresent() ? a.getAsDouble() : null));
    }
    spark.createDataFrame(rows, schema).coalesce(1).write().mode(SaveMode.Overwrite)
        .parquet(new Path(dir, "per_class.parquet").toString());
  }

  private static String[] names(boolean[] set, List<String> labels) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < set.length; i++) {
      if (set[i]) {
        out.add(labels.get(i));
      }
    }
    return out.toArray(new String[0]);
  }
}
