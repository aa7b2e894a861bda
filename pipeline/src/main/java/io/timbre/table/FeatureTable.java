package io.timbre.table;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A feature table's layout and schemas: {@code <tables root>/<dataset>/<spec id>/} holding versions
 * ({@code versions/<id>/}) of {@code segments/}, {@code clips/} (both partitioned by {@code split=}),
 * {@code quarantine/} and {@code _provenance.json}, and the pointer {@code _current.json} that publishes one of them
 * ({@link TableVersion}). Read a table through {@link #read}, never by its folders.
 *
 * <p>Arrays are Parquet-native lists ({@code features array<float>} with {@code n_frames}/{@code n_bins} shape
 * columns, row-major frames × bins), so DuckDB, pyarrow or pandas read the tables without Timbre:
 * {@code np.array(row.features).reshape(row.n_frames, row.n_bins)}.
 */
public final class FeatureTable {
  /**
   * One part (segments, clips, quarantine) of the published version of {@code table}, across every folder that
   * version uses; a table without a published version is a typed error.
   */
  public static org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> read(org.apache.spark.sql.SparkSession spark,
      String table, String part) {
    TableVersion v = TableVersion.require(table, spark.sparkContext().hadoopConfiguration(), "read");
    // One read per folder (Spark's partition discovery refuses several roots of split= folders in one read), with the
    // table's schema rather than inferring it, so a folder an incremental run left without rows reads as empty.
    StructType schema = switch (part) {
      case "segments" -> SEGMENTS;
      case "clips" -> CLIPS;
      case "quarantine" -> QUARANTINE;
      default -> throw new IllegalArgumentException("Cannot read part '" + part + "': parts are "
          + TableVersion.PARTS);
    };
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> all = null;
    for (String dir : v.locations(part)) {
      org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> one = spark.read().schema(schema).parquet(dir);
      all = all == null ? one : all.unionByName(one, true);
    }
    return all;
  }

  /** Version of the table layout; part of the provenance. */
  public static final int LAYOUT_VERSION = 1;

  public static final StructType SEGMENTS = new StructType()
      .add("clip_id", DataTypes.StringType, false)
      .add("dataset", DataTypes.StringType, false)
      .add("segment_index", DataTypes.IntegerType, false)
      .add("start_frame", DataTypes.IntegerType, false)
      .add("start_sec", DataTypes.DoubleType, false)
      .add("duration_sec", DataTypes.DoubleType, false)
      .add("n_frames", DataTypes.IntegerType, false)
      .add("n_valid_frames", DataTypes.IntegerType, false)
      .add("n_bins", DataTypes.IntegerType, false)
      .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
      .add("labels", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("targets", DataTypes.createArrayType(DataTypes.FloatType, false), false)
      .add("n_target_channels", DataTypes.IntegerType, false)
      .add("frame_targets", DataTypes.createArrayType(DataTypes.FloatType, false), false)
      .add("group_key", DataTypes.StringType, false)
      .add("content_sha256", DataTypes.StringType, false)
      .add("spec_id", DataTypes.StringType, false)
      .add("split", DataTypes.StringType, false);

  public static final StructType CLIPS = new StructType()
      .add("clip_id", DataTypes.StringType, false)
      .add("dataset", DataTypes.StringType, false)
      .add("path", DataTypes.StringType, false)
      .add("audio_paths", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("size_bytes", DataTypes.LongType, false)
      .add("sha256", DataTypes.StringType, false)
      .add("duration_sec", DataTypes.DoubleType, false)
      .add("source_sample_rate", DataTypes.IntegerType, false)
      .add("source_channels", DataTypes.IntegerType, false)
      .add("source_bits", DataTypes.IntegerType, false)
      .add("source_encoding", DataTypes.StringType, false)
      .add("labels", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("tags", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, false), false)
      .add("annotations_json", DataTypes.StringType, false)
      .add("group_key", DataTypes.StringType, false)
      .add("n_frames", DataTypes.IntegerType, false)
      .add("n_segments", DataTypes.IntegerType, false)
      .add("spec_id", DataTypes.StringType, false)
      .add("split", DataTypes.StringType, false);

  public static final StructType QUARANTINE = new StructType()
      .add("path", DataTypes.StringType, false)
      .add("dataset", DataTypes.StringType, false)
      .add("stage", DataTypes.StringType, false)
      .add("error_class", DataTypes.StringType, false)
      .add("message", DataTypes.StringType, false)
      .add("spec_id", DataTypes.StringType, false)
      .add("run_id", DataTypes.StringType, false);

  private FeatureTable() {}

  /** The {@link #SEGMENTS} column names in order (bean encoders sort properties alphabetically). */
  public static org.apache.spark.sql.Column[] segmentColumns() {
    return java.util.Arrays.stream(SEGMENTS.fieldNames()).map(org.apache.spark.sql.functions::col)
        .toArray(org.apache.spark.sql.Column[]::new);
  }

  /** {@code <tables root>/<dataset>/<spec id>}. */
  public static String location(String tablesRoot, String dataset, String specId) {
    String root = tablesRoot.endsWith("/") ? tablesRoot.substring(0, tablesRoot.length() - 1) : tablesRoot;
    return root + "/" + dataset + "/" + specId;
  }
}
