package io.timbre.store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Spark settings that make Parquet writes to {@code s3a://} go through Hadoop's S3A magic committer: files are
 * uploaded as pending multipart uploads and only completed at job commit, so a failed job leaves no partial table
 * visible (S3 has no atomic rename for the classic committer to rely on). The same keys are in conf/s3-local.conf,
 * conf/emr.conf and emr/cluster-*.json for jobs configured from files.
 */
public final class S3ACommitters {
  private S3ACommitters() {}

  /** Spark settings ({@code spark.*}, with Hadoop's as {@code spark.hadoop.*}) for the magic committer. */
  public static Map<String, String> magicSparkSettings() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("spark.hadoop.mapreduce.outputcommitter.factory.scheme.s3a",
        "org.apache.hadoop.fs.s3a.commit.S3ACommitterFactory");
    m.put("spark.hadoop.fs.s3a.committer.name", "magic");
    m.put("spark.hadoop.fs.s3a.committer.magic.enabled", "true");
    m.put("spark.sql.sources.commitProtocolClass", "org.apache.spark.internal.io.cloud.PathOutputCommitProtocol");
    m.put("spark.sql.parquet.output.committer.class",
        "org.apache.spark.internal.io.cloud.BindingParquetOutputCommitter");
    return m;
  }
}
