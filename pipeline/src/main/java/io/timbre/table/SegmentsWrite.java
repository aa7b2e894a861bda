package io.timbre.table;

import java.util.Map;

/**
 * How the {@code segments} table is written, and why it differs from Spark's defaults. Both settings were found with
 * JFR on {@code ./timbre bench ingest}; the tables they produce read back the same everywhere.
 *
 * <ul>
 *   <li><b>Two-level lists</b> ({@value #LEGACY_FORMAT}). Spark's Parquet writer emits a start-group / start-field /
 *       value / end-field / end-group sequence for every element of a standard three-level list; for a 128 × 44
 *       log-mel segment that bookkeeping in parquet-mr's record consumer was about a third of all ingest CPU time. In
 *       the two-level form ({@code repeated float array} directly inside the list group) each float is a single
 *       {@code addFloat}. Spark uses it in "legacy" mode for arrays whose elements cannot be null, which all of ours
 *       are ({@link FeatureTable#SEGMENTS}). The files stay standard: this is the first backward-compatibility rule
 *       of the Parquet LIST type ("if the repeated field is not a group, its type is the element type and elements
 *       are required"), and Spark, parquet-mr, pyarrow, DuckDB and the notebooks' reader read it as
 *       {@code array<float>}. Legacy mode changes nothing else in our schemas (it also affects decimals; we have none).
 *   <li><b>No sort before the write</b> ({@value #PLANNED_WRITE} off, {@value #CONCURRENT_WRITERS} = number of splits).
 *       A table partitioned by {@code split} is by default written through a per-task sort on the partition column,
 *       which buffers every segment of the task (all its features) before the first row reaches Parquet. With planned
 *       writes off and one concurrent writer per split, each task keeps one open file per split instead and segments
 *       stream straight from the featuriser into Parquet: memory per task is one clip's features plus the open row
 *       groups, not the whole partition.
 *   <li><b>Interpreted row conversion</b> ({@value #WHOLE_STAGE_CODEGEN} off, {@value #CODEGEN_FACTORY_MODE}
 *       {@code NO_CODEGEN}; also used for the small clips and quarantine writes, see {@link #interpreted()}). Spark 3.5
 *       keys its generated-class cache by the task's class loader, which is new with every SparkContext, so each job
 *       generated and Janino-compiled its ~20 encoder/projection classes again and the JIT then compiled those classes
 *       and the newly hot parts of Janino: per ingest of 2 h of audio, 1–2 core-seconds of compiler threads, taken
 *       from the task threads once every core runs a task (this was the largest cost separating {@code local[2]} from
 *       twice {@code local[1]}). Our rows are few and wide (one per segment, a few thousand floats): the interpreted
 *       projections copy each array with one memcpy just as the generated ones do, and per-task CPU did not change
 *       (measured with {@code ./timbre bench ingest}). {@code factoryMode} is an internal Spark setting; it is scoped
 *       to these writes and {@code IngestJobTest} checks that an ingest compiles nothing and that the session
 *       settings come back.
 *   <li><b>Pages sized by bytes, checked every row</b> ({@value #PAGE_CHECK_MIN_ROWS} = 1, in
 *       {@link #parquetOptions()}). parquet-mr decides whether a page is full only every
 *       {@code page.size.row.check.min} rows (default 100) when its estimate of the rows left, an integer division,
 *       rounds to 0 for rows of kilobytes: a features page then held 100 segments of 128 × 43 floats, 2.2 MB against
 *       the 1 MB page size, and each page was copied twice into a fresh array of that size (compression, then the
 *       column chunk's collector): two humongous allocations for G1 per page on a 4 GB heap (2 MB regions), each
 *       starting a GC cycle that pauses every task thread (none with the check every row).
 *       A size check costs a few field reads per column, nothing next to a row of several kilobytes, and pages end
 *       near the standard 1 MB. The float columns also skip dictionary encoding: their values do not repeat.
 *   <li><b>32 MB row groups</b> ({@value #ROW_GROUP_BYTES}; parquet-mr's default is 128 MB). A Parquet writer holds
 *       its whole row group in memory until it is full or the file closes, and each task keeps one file open per
 *       split: with 128 MB groups a first-wave task of a 4-hour ingest held ~88 MB of pages per open file, surviving
 *       young collections, and wrote it all at its very end. With 32 MB the buffer per open file is bounded (what
 *       lets a task stay inside a small executor heap), files are written as the task goes, and the featurise
 *       stage's last tasks end closer together (A/B in docs/performance.md). Readers are no worse off: Spark splits by
 *       row group, and a 32 MB group still holds ~1,400 log-mel segments of 1 s.
 * </ul>
 */
public final class SegmentsWrite {
  public static final String LEGACY_FORMAT = "spark.sql.parquet.writeLegacyFormat";
  public static final String PLANNED_WRITE = "spark.sql.optimizer.plannedWrite.enabled";
  public static final String CONCURRENT_WRITERS = "spark.sql.maxConcurrentOutputFileWriters";
  public static final String WHOLE_STAGE_CODEGEN = "spark.sql.codegen.wholeStage";
  public static final String CODEGEN_FACTORY_MODE = "spark.sql.codegen.factoryMode";
  /** parquet-mr's Hadoop key for how many rows it writes at least before checking a page's size again. */
  public static final String PAGE_CHECK_MIN_ROWS = "parquet.page.size.row.check.min";
  /** parquet-mr's Hadoop key for the row group size in bytes. */
  public static final String ROW_GROUP_BYTES = "parquet.block.size";
  /** The name of a two-level list's repeated leaf: float column paths are {@code <column>.array}. */
  public static final String ELEMENT = "array";

  private SegmentsWrite() {}

  /** The session settings for writing segments of {@code splits} distinct splits. */
  public static Map<String, String> sqlConf(int splits) {
    // Spark falls back to sorting once the number of writers it has opened reaches the limit, counting the one it
    // just opened: the limit has to exceed the number of partitions a task writes.
    Map<String, String> conf = new java.util.LinkedHashMap<>(interpreted());
    conf.put(LEGACY_FORMAT, "true");
    conf.put(PLANNED_WRITE, "false");
    conf.put(CONCURRENT_WRITERS, Integer.toString(Math.max(1, splits) + 1));
    return Map.copyOf(conf);
  }

  /** Interpreted row conversion instead of Janino-compiled classes (see the class comment). */
  public static Map<String, String> interpreted() {
    return Map.of(WHOLE_STAGE_CODEGEN, "false", CODEGEN_FACTORY_MODE, "NO_CODEGEN");
  }

  /** The Parquet writer options of the segments write (see the class comment). */
  public static Map<String, String> parquetOptions() {
    return Map.of(
        PAGE_CHECK_MIN_ROWS, "1",
        ROW_GROUP_BYTES, Integer.toString(32 << 20),
        "parquet.enable.dictionary#features." + ELEMENT, "false",
        "parquet.enable.dictionary#frame_targets." + ELEMENT, "false");
  }
}
