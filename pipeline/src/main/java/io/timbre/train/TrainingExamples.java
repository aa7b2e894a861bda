package io.timbre.train;

import io.timbre.model.ExampleEncoder;
import io.timbre.model.ExampleKey;
import io.timbre.model.Normalizer;
import io.timbre.spark.LocalClock;
import io.timbre.table.FeatureTable;
import io.timbre.table.TableInfo;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A run's training and validation examples: the table's segments of the two splits, normalised and encoded once for the
 * model, cached serialised on the executors until {@link #close()}.
 */
final class TrainingExamples implements AutoCloseable {
  /** Next-frame models: no value's standard deviation below this share of the median one. */
  static final double GENERATION_STD_FLOOR = 0.05;

  final JavaPairRDD<ExampleKey, DataSet> train;
  final JavaPairRDD<ExampleKey, DataSet> validation;
  final long trainCount;
  final long validationCount;
  final int bins;
  final Normalizer normalizer;
  final ExampleEncoder encoder;

  private TrainingExamples(JavaPairRDD<ExampleKey, DataSet> train, JavaPairRDD<ExampleKey, DataSet> validation,
      long trainCount, long validationCount, int bins, Normalizer normalizer, ExampleEncoder encoder) {
    this.train = train;
    this.validation = validation;
    this.trainCount = trainCount;
    this.validationCount = validationCount;
    this.bins = bins;
    this.normalizer = normalizer;
    this.encoder = encoder;
  }

  /**
   * @param resumed the normalisation of the run being resumed: statistics are fitted once per run, so a resumed run
   *     encodes exactly as before
   */
  static TrainingExamples encode(SparkSession spark, Experiment ex, TableInfo table, Optional<Normalizer> resumed) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    TrainSpec ts = ex.train();
    Dataset<Row> segments = FeatureTable.read(spark, table.location(), "segments");
    Dataset<Row> trainRows = segments.where(segments.col("split").equalTo(ts.trainSplit()));
    Dataset<Row> valRows = segments.where(segments.col("split").equalTo(ts.validationSplit()));
    List<Row> firstRows = trainRows.select("n_frames", "n_bins").takeAsList(1);
    Row first = firstRows.isEmpty() ? null : firstRows.get(0);
    if (first == null || valRows.isEmpty()) {
      List<String> splits = segments.select("split").distinct().as(Encoders.STRING()).collectAsList();
      throw new IllegalArgumentException("Cannot train on " + table.location() + ": split '"
          + (first == null ? ts.trainSplit() : ts.validationSplit()) + "' is empty (splits present: " + splits + ")");
    }
    int frames = first.getInt(0);
    int bins = first.getInt(1);

    sc.setJobDescription("timbre train " + ex.name() + ": normalisation statistics");
    Normalizer normalizer = resumed.orElseGet(() -> {
      Normalizer fitted = Normalizer.fit(trainRows.javaRDD(), bins);
      return ex.model().task() == io.timbre.model.Task.GENERATION
          ? fitted.withRelativeFloor(GENERATION_STD_FLOOR) : fitted;
    });
    ExampleEncoder encoder = new ExampleEncoder(ex.model(), normalizer, frames, table);
    JavaPairRDD<ExampleKey, DataSet> train = trainRows.javaRDD()
        .flatMapToPair(r -> {
          // TimbrePlugin pins the clock in every executor of a Timbre session; this covers sessions made elsewhere
          // (a library user's), at least on the executors that encode.
          LocalClock.install();
          return encoder.keyedTraining(r).iterator();
        }).persist(StorageLevel.MEMORY_AND_DISK_SER());
    JavaPairRDD<ExampleKey, DataSet> validation = valRows.javaRDD()
        .flatMapToPair(r -> encoder.keyed(r).iterator()).persist(StorageLevel.MEMORY_AND_DISK_SER());
    sc.setJobDescription("timbre train " + ex.name() + ": encoding examples");
    long nTrain = train.count();
    long nVal = validation.count();
    if (nTrain == 0) {
      throw new IllegalArgumentException("Cannot train on " + table.location() + ": no labelled training examples");
    }
    return new TrainingExamples(train, validation, nTrain, nVal, bins, normalizer, encoder);
  }

  @Override
  public void close() {
    train.unpersist(false);
    validation.unpersist(false);
  }
}
