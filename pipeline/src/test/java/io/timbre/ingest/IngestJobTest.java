package io.timbre.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timbre.features.FeatureSpec;
import io.timbre.featurize.Segmenter;
import io.timbre.sampledata.IdmtDrumsGenerator;
import io.timbre.sampledata.IdmtEffectsGenerator;
import io.timbre.sampledata.IrmasGenerator;
import io.timbre.sampledata.MedleyDbGenerator;
import io.timbre.sampledata.SampleManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestJobTest {
  static SparkSession spark;
  static final FeatureSpec SPEC = FeatureSpec.builder().nMels(64).segmentSeconds(0.5).build();

  @BeforeAll
  static void start() {
    spark = io.timbre.spark.Sessions.create("ingest-test", "local[2]", Map.of("spark.sql.shuffle.partitions", "2"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static IngestSummary ingest(String dataset, Path input, Path output, boolean incremental) {
    return IngestJob.run(spark, new IngestOptions(dataset, input.toString(), output.toString(), SPEC, incremental,
        0.2, 0.2, 1, 0, 10, Map.of()));
  }

  static Dataset<Row> table(IngestSummary s, String part) {
    return io.timbre.table.FeatureTable.read(spark, s.table(), part);
  }

  @Test
  void localRunsWriteThroughTheLocalFileSystemThatForksNoChmod() {
    // Hadoop's own file:// forks a chmod per file and directory without its native library (see NioLocalFileSystem).
    assertThat(spark.sparkContext().hadoopConfiguration().get("fs.file.impl"))
        .isEqualTo(io.timbre.store.NioLocalFileSystem.class.getName());
    assertThat(io.timbre.spark.Sessions.hadoopConfiguration().get("fs.file.impl"))
        .isEqualTo(io.timbre.store.NioLocalFileSystem.class.getName());
  }

  @Test
  void irmasTableMatchesItsInputs(@TempDir Path tmp) throws IOException {
    SampleManifest m = new IrmasGenerator(1.0, 2.0).generate(tmp.resolve("in"), 2, 2);
    IngestSummary s = ingest("irmas", tmp.resolve("in"), tmp.resolve("tables"), false);
    assertThat(s.table()).endsWith("/irmas/" + SPEC.id());
    assertThat(s.clipsOk()).isEqualTo(m.entries().size());
    assertThat(s.quarantined()).isZero();

    Segmenter seg = new Segmenter(SPEC);
    List<Row> segments = table(s, "segments").collectAsList();
    Map<String, List<Row>> byClip = segments.stream().collect(Collectors.groupingBy(r -> r.getAs("clip_id")));
    assertThat(byClip.keySet()).isEqualTo(m.byId().keySet());
    JsonNode prov = provenance(s);
    List<String> vocab = new ObjectMapper().convertValue(prov.get("label_vocabulary"), List.class);
    assertThat(vocab).hasSize(11);
    for (SampleManifest.Entry e : m.entries()) {
      List<Row> rows = byClip.get(e.id());
      double seconds = e.split().equals("test") ? 2.0 : 1.0;
      int frames = SPEC.frameCount(Math.round(seconds * 22050));
      assertThat(rows).as(e.id()).hasSize(seg.starts(frames).length);
      for (Row r : rows) {
        int n = r.getAs("n_frames");
        int bins = r.getAs("n_bins");
        assertThat(n).isEqualTo(seg.segmentFrames());
        assertThat(bins).isEqualTo(64);
        assertThat(r.<Float>getList(r.fieldIndex("features"))).hasSize(n * bins);
        assertThat(r.<String>getList(r.fieldIndex("labels"))).containsExactlyElementsOf(e.labels());
        List<Float> targets = r.getList(r.fieldIndex("targets"));
        for (int i = 0; i < vocab.size(); i++) {
          assertThat(targets.get(i)).isEqualTo(e.labels().contains(vocab.get(i)) ? 1f : 0f);
        }
        assertThat((String) r.getAs("group_key")).isEqualTo(e.groupKey());
        assertThat((String) r.getAs("spec_id")).isEqualTo(SPEC.id());
        assertThat((String) r.getAs("split")).isIn("train", "validation", "test");
        if (e.split().equals("test")) {
          assertThat((String) r.getAs("split")).isEqualTo("test");
        }
      }
    }
    assertThat(table(s, "clips").count()).isEqualTo(m.entries().size());
    assertThat(table(s, "quarantine").count()).isZero();
    assertThat(prov.get("spec_id").asText()).isEqualTo(SPEC.id());
    assertThat(prov.get("spec").get("n_mels").asInt()).isEqualTo(64);
    assertThat(prov.get("input_fingerprint").asText()).hasSize(64);
    assertThat(prov.get("inputs")).hasSize(m.entries().size());
    assertThat(prov.get("runs")).hasSize(1);
    assertThat(prov.get("code_version").asText()).isNotBlank();
  }

  @Test
  void segmentsUseTwoLevelFloatListsAndTheSessionSettingsAreRestored(@TempDir Path tmp) throws IOException {
    spark.conf().set(io.timbre.table.SegmentsWrite.PLANNED_WRITE, "true");
    new IrmasGenerator(1.0, 1.0).generate(tmp.resolve("in"), 3, 1);
    com.codahale.metrics.Histogram compilations = org.apache.spark.metrics.source.CodegenMetrics
        .METRIC_COMPILATION_TIME();
    long guard = compilations.getCount();
    // The counter does see compilations in this JVM (a query with a fresh literal cannot hit the class cache).
    spark.range(3).selectExpr("id * " + System.nanoTime() % 1_000_000 + " + 17 as x").collectAsList();
    assertThat(compilations.getCount()).isGreaterThan(guard);
    long compiledBefore = compilations.getCount();
    IngestSummary s = ingest("irmas", tmp.resolve("in"), tmp.resolve("tables"), false);
    // The writes run interpreted: no class is generated and compiled by Janino (see SegmentsWrite).
    assertThat(compilations.getCount())
        .as("Janino compilations during the ingest").isEqualTo(compiledBefore);
    // The scoped settings are put back: unset stays unset, a set value comes back.
    assertThat(spark.conf().contains(io.timbre.table.SegmentsWrite.LEGACY_FORMAT)).isFalse();
    assertThat(spark.conf().contains(io.timbre.table.SegmentsWrite.CONCURRENT_WRITERS)).isFalse();
    assertThat(spark.conf().contains(io.timbre.table.SegmentsWrite.WHOLE_STAGE_CODEGEN)).isFalse();
    assertThat(spark.conf().contains(io.timbre.table.SegmentsWrite.CODEGEN_FACTORY_MODE)).isFalse();
    assertThat(spark.conf().get(io.timbre.table.SegmentsWrite.PLANNED_WRITE)).isEqualTo("true");
    spark.conf().unset(io.timbre.table.SegmentsWrite.PLANNED_WRITE);

    org.apache.parquet.schema.MessageType schema;
    try (var reader = firstParquetFile(Path.of(io.timbre.table.TableVersion.current(s.table(),
        new org.apache.hadoop.conf.Configuration()).locations("segments").get(0)))) {
      schema = reader.getFooter().getFileMetaData().getSchema();
    }
    for (String column : List.of("features", "targets", "frame_targets")) {
      org.apache.parquet.schema.GroupType list = schema.getType(column).asGroupType();
      assertThat(list.getLogicalTypeAnnotation()).as(column)
          .isEqualTo(org.apache.parquet.schema.LogicalTypeAnnotation.listType());
      assertThat(list.getFieldCount()).isEqualTo(1);
      org.apache.parquet.schema.Type element = list.getType(0);
      assertThat(element.isPrimitive()).as(column + " element is the repeated float itself").isTrue();
      assertThat(element.isRepetition(org.apache.parquet.schema.Type.Repetition.REPEATED)).isTrue();
      assertThat(element.getName()).isEqualTo(io.timbre.table.SegmentsWrite.ELEMENT);
      assertThat(element.asPrimitiveType().getPrimitiveTypeName())
          .isEqualTo(org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.FLOAT);
    }
    // Read back as Spark's array<float> (file sources report every field as nullable, whatever the file says).
    org.apache.spark.sql.types.StructField features = table(s, "segments").schema().apply("features");
    assertThat(((org.apache.spark.sql.types.ArrayType) features.dataType()).elementType())
        .isEqualTo(org.apache.spark.sql.types.DataTypes.FloatType);
  }

  /**
   * parquet-mr left to itself checks a page's size only every 100 rows: with segments of kilobytes its pages grew far
   * past the 1 MB page size (humongous allocations for G1). With the segments write's options they end near 1 MB.
   */
  @Test
  void segmentPagesEndNearThePageSizeNotEveryHundredRows(@TempDir Path tmp) throws IOException {
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
        .add("id", org.apache.spark.sql.types.DataTypes.IntegerType, false)
        .add("features", org.apache.spark.sql.types.DataTypes.createArrayType(
            org.apache.spark.sql.types.DataTypes.FloatType, false), false);
    java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
    List<Row> rows = new java.util.ArrayList<>();
    for (int i = 0; i < 150; i++) {
      Float[] f = new Float[128 * 43]; // one 1 s log-mel segment: 22 KB
      for (int j = 0; j < f.length; j++) {
        f[j] = (float) rng.nextGaussian();
      }
      rows.add(org.apache.spark.sql.RowFactory.create(i, f));
    }
    Dataset<Row> df = spark.createDataFrame(rows, schema).coalesce(1);
    df.write().options(io.timbre.table.SegmentsWrite.parquetOptions()).option("compression", "none")
        .parquet(tmp.resolve("tuned").toString());
    df.write().option("compression", "none").parquet(tmp.resolve("default").toString());
    long tuned = largestFeaturesPage(tmp.resolve("tuned"));
    long untuned = largestFeaturesPage(tmp.resolve("default"));
    assertThat(untuned).as("parquet-mr's own page check (if this fails, parquet-mr fixed it)")
        .isGreaterThan(2_000_000L);
    assertThat(tuned).isLessThanOrEqualTo(1L << 20).isGreaterThan(800_000L);
    assertThat(spark.read().parquet(tmp.resolve("tuned").toString()).orderBy("id").collectAsList())
        .isEqualTo(spark.read().parquet(tmp.resolve("default").toString()).orderBy("id").collectAsList());
  }

  /** Row groups of 32 MB: what a task buffers per open file is bounded by that, not by parquet-mr's 128 MB. */
  @Test
  void segmentRowGroupsAreThirtyTwoMegabytes(@TempDir Path tmp) throws IOException {
    // 1,600 rows of 5,632 ints-as-floats (22 KB each, incompressible enough): 36 MB, more than one 32 MB row group.
    spark.range(1600).selectExpr("cast(id as int) id",
            "transform(sequence(1, 5632), i -> cast(hash(id, i) as float)) features").coalesce(1)
        .write().options(io.timbre.table.SegmentsWrite.parquetOptions()).option("compression", "none")
        .parquet(tmp.resolve("t").toString());
    try (var reader = firstParquetFile(tmp.resolve("t"))) {
      var blocks = reader.getFooter().getBlocks();
      assertThat(blocks).hasSizeGreaterThanOrEqualTo(2);
      assertThat(blocks).allSatisfy(b -> assertThat(b.getTotalByteSize()).isLessThanOrEqualTo(34L << 20));
      assertThat(blocks.stream().mapToLong(b -> b.getRowCount()).sum()).isEqualTo(1600);
    }
  }

  /** A reader of the first Parquet data file anywhere under {@code dir}. */
  private static org.apache.parquet.hadoop.ParquetFileReader firstParquetFile(Path dir) throws IOException {
    Path file;
    try (var files = Files.walk(dir)) {
      file = files.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    return org.apache.parquet.hadoop.ParquetFileReader.open(org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
        new org.apache.hadoop.fs.Path(file.toUri()), new org.apache.hadoop.conf.Configuration()));
  }

  private static long largestFeaturesPage(Path dir) throws IOException {
    long max = 0;
    try (var reader = firstParquetFile(dir)) {
      for (var block : reader.getFooter().getBlocks()) {
        for (var column : block.getColumns()) {
          if (column.getPath().toDotString().startsWith("features")) {
            var pages = reader.readOffsetIndex(column);
            for (int i = 0; i < pages.getPageCount(); i++) {
              max = Math.max(max, pages.getCompressedPageSize(i));
            }
          }
        }
      }
    }
    return max;
  }

  @Test
  void badFilesAreQuarantinedOnceAndRerunsAndIncrementalRunsNeverDuplicate(@TempDir Path tmp) throws IOException {
    Path in = tmp.resolve("in");
    SampleManifest m = new IrmasGenerator(0.6, 1.0).generate(in, 5, 1);
    Path pia = in.resolve("IRMAS-TrainingData/pia");
    byte[] wav = Files.readAllBytes(in.resolve(m.entries().get(0).id()));
    Files.write(pia.resolve("[pia][jaz_blu]9001__1.wav"), java.util.Arrays.copyOf(wav, wav.length - 100));
    Files.write(pia.resolve("[pia][jaz_blu]9002__1.wav"), new byte[0]);
    Files.writeString(pia.resolve("[pia][jaz_blu]9003__1.wav"), "not audio");
    IngestSummary first = ingest("irmas", in, tmp.resolve("t"), false);
    assertThat(first.clipsOk()).isEqualTo(m.entries().size());
    List<Row> q = table(first, "quarantine").collectAsList();
    assertThat(q).extracting(r -> r.<String>getAs("path")).doesNotHaveDuplicates().hasSize(3)
        .allMatch(p -> p.contains("900"));
    assertThat(q).extracting(r -> r.<String>getAs("error_class")).containsExactlyInAnyOrder("TRUNCATED",
        "NOT_WAVE", "NOT_WAVE");

    Set<String> before = fingerprint(first);
    IngestSummary again = ingest("irmas", in, tmp.resolve("t"), false);
    assertThat(fingerprint(again)).isEqualTo(before);
    assertThat(table(again, "quarantine").count()).isEqualTo(3);

    // Add two training clips (new content), then ingest incrementally: only they are featurised.
    Path cel = in.resolve("IRMAS-TrainingData/cel");
    SampleManifest extra = new IrmasGenerator(0.6, 1.0).generate(tmp.resolve("extra"), 99, 1);
    int added = 0;
    for (SampleManifest.Entry e : extra.entries()) {
      if (e.id().startsWith("IRMAS-TrainingData/cel/")) {
        Path src = tmp.resolve("extra").resolve(e.id());
        Files.copy(src, cel.resolve("[cel][pop_roc]880" + added + "__1.wav"));
        added++;
      }
    }
    IngestSummary inc = ingest("irmas", in, tmp.resolve("t"), true);
    assertThat(inc.clipsOk()).isEqualTo(added);
    assertThat(inc.clipsSkipped()).isEqualTo(m.entries().size());
    Set<String> after = fingerprint(inc);
    assertThat(after).containsAll(before).hasSize(before.size() + added * new Segmenter(SPEC)
        .starts(SPEC.frameCount(Math.round(0.6 * 22050))).length);
    assertThat(table(inc, "clips").select("clip_id").distinct().count())
        .isEqualTo(table(inc, "clips").count()).isEqualTo(m.entries().size() + added);
    assertThat(provenance(inc).get("runs")).hasSize(2);
    assertThat(table(inc, "clips").groupBy("group_key").agg(org.apache.spark.sql.functions.countDistinct("split")
        .as("n")).where("n > 1").count()).isZero();
    // A second incremental run with nothing new adds nothing.
    IngestSummary noop = ingest("irmas", in, tmp.resolve("t"), true);
    assertThat(noop.clipsOk()).isZero();
    assertThat(fingerprint(noop)).isEqualTo(after);
  }

  @Test
  void drumsOnsetsBecomeFrameTargetsAtTheirFrames(@TempDir Path tmp) throws IOException {
    IdmtDrumsGenerator g = new IdmtDrumsGenerator(1.2);
    g.generate(tmp.resolve("in"), 3, 1);
    IngestSummary s = ingest("idmt-drums", tmp.resolve("in"), tmp.resolve("t"), false);
    assertThat(s.clipsOk()).isEqualTo(3);
    JsonNode prov = provenance(s);
    assertThat(prov.get("frame_target_channels").toString()).isEqualTo("[\"HH\",\"KD\",\"SD\"]");
    for (Row r : table(s, "segments").where("segment_index = 0").collectAsList()) {
      int channels = r.getAs("n_target_channels");
      assertThat(channels).isEqualTo(3);
      List<Float> t = r.getList(r.fieldIndex("frame_targets"));
      int n = r.getAs("n_frames");
      assertThat(t).hasSize(n * 3);
      List<Double> kicks = g.onsets().get((String) r.getAs("clip_id")).byInstrument().get("KD");
      double frameRate = 22050.0 / 512;
      for (double on : kicks) {
        int frame = (int) Math.round(on * frameRate);
        if (frame < n) {
          assertThat(t.get(frame * 3 + 1)).as("kick at %.3f s", on).isEqualTo(1f);
        }
      }
      long ones = t.stream().filter(v -> v == 1f).count();
      assertThat(ones).isGreaterThan(0);
    }
  }

  @Test
  void medleyDbMelodyIsAlignedToFrameTimes(@TempDir Path tmp) throws IOException {
    MedleyDbGenerator g = new MedleyDbGenerator(2.0);
    g.generate(tmp.resolve("in"), 2, 2);
    IngestSummary s = ingest("medleydb", tmp.resolve("in"), tmp.resolve("t"), false);
    assertThat(s.clipsOk()).isEqualTo(2);
    List<String> channels = new ObjectMapper().convertValue(provenance(s).get("frame_target_channels"), List.class);
    int ch = channels.indexOf("melody1_f0_hz");
    assertThat(ch).isNotNegative();
    Row r = table(s, "segments").where("segment_index = 1").orderBy("clip_id").first();
    float[] f0 = g.melodyF0().get((String) r.getAs("clip_id"));
    List<Float> t = r.getList(r.fieldIndex("frame_targets"));
    int start = r.getAs("start_frame");
    int voiced = 0;
    for (int i = 0; i < (int) r.getAs("n_frames"); i++) {
      double time = (start + i) * 512 / 22050.0;
      int k = (int) Math.round(time * 44100 / 256);
      double expected = f0[Math.min(f0.length - 1, k * 256)];
      assertThat((double) t.get(i * channels.size() + ch)).isCloseTo(expected, within(1e-3));
      voiced += expected > 0 ? 1 : 0;
    }
    assertThat(voiced).isGreaterThan(0);
  }

  /** A quarantined melody annotation is "not annotated" (NaN), never "unvoiced", and melody models skip the clip. */
  @Test
  void aClipWhoseMelodyIsQuarantinedIsNotTaughtAsSilence(@TempDir Path tmp) throws IOException {
    MedleyDbGenerator g = new MedleyDbGenerator(2.0);
    g.generate(tmp.resolve("in"), 2, 2);
    String broken;
    try (var files = Files.walk(tmp.resolve("in/Annotations/Melody/Melody1"))) {
      Path csv = files.filter(p -> p.toString().endsWith("_MELODY1.csv")).sorted().findFirst().orElseThrow();
      broken = csv.getFileName().toString().replace("_MELODY1.csv", "");
      List<String> lines = new java.util.ArrayList<>(Files.readAllLines(csv));
      for (int i = 0; i < 3; i++) {
        lines.set(i, lines.get(i) + ",7,extra");
      }
      Files.write(csv, lines);
    }
    IngestSummary s = ingest("medleydb", tmp.resolve("in"), tmp.resolve("t"), false);
    assertThat(s.clipsOk()).isEqualTo(2);
    assertThat(table(s, "quarantine").where("error_class = 'BadAnnotation'").count()).isEqualTo(1);
    List<String> channels = new ObjectMapper().convertValue(provenance(s).get("frame_target_channels"), List.class);
    int ch = channels.indexOf("melody1_f0_hz");
    var encoder = new io.timbre.model.ExampleEncoder(io.timbre.train.Experiment.load(new java.io.File(
        "../conf/experiments/medleydb-melody-crnn.conf")).model(), new io.timbre.model.Normalizer(
        new float[SPEC.nMels()], ones(SPEC.nMels())), table(s, "segments").first().getInt(
        table(s, "segments").first().fieldIndex("n_frames")), io.timbre.table.TableInfo.read(s.table(),
        new org.apache.hadoop.conf.Configuration()));
    for (Row r : table(s, "segments").collectAsList()) {
      List<Float> t = r.getList(r.fieldIndex("frame_targets"));
      boolean isBroken = r.<String>getAs("clip_id").contains(broken);
      // Frames inside the clip are NaN for the broken track (a last segment's padding past the clip end is 0).
      assertThat(Float.isNaN(t.get(ch))).as("clip %s, first frame", r.<String>getAs("clip_id")).isEqualTo(isBroken);
      for (int i = 0; !isBroken && i < (int) r.getAs("n_frames"); i++) {
        assertThat(t.get(i * channels.size() + ch)).as("clip %s frame %d", r.getAs("clip_id"), i).isNotNaN();
      }
      if (isBroken) {
        assertThat(encoder.keyed(r)).as("melody examples of %s", r.<String>getAs("clip_id")).isEmpty();
      } else {
        assertThat(encoder.keyed(r)).as("melody examples of %s", r.<String>getAs("clip_id")).isNotEmpty();
      }
    }
  }

  private static float[] ones(int n) {
    float[] a = new float[n];
    java.util.Arrays.fill(a, 1f);
    return a;
  }

  @Test
  void effectsTableHasOneClassPerClip(@TempDir Path tmp) throws IOException {
    SampleManifest m = new IdmtEffectsGenerator(0.3).generate(tmp.resolve("in"), 4, 1);
    IngestSummary s = ingest("idmt-effects", tmp.resolve("in"), tmp.resolve("t"), false);
    assertThat(s.clipsOk()).isEqualTo(m.entries().size());
    assertThat(table(s, "segments").select("labels").distinct().count()).isEqualTo(12);
    assertThat(table(s, "segments").where("size(labels) != 1").count()).isZero();
    // The 33 variants of a clean note share one split.
    assertThat(table(s, "clips").groupBy("group_key").agg(org.apache.spark.sql.functions.countDistinct("split")
        .as("n")).where("n > 1").count()).isZero();
  }

  private static Set<String> fingerprint(IngestSummary s) {
    Set<String> out = new HashSet<>();
    for (Row r : table(s, "segments").collectAsList()) {
      out.add(r.getAs("clip_id") + "#" + r.getAs("segment_index") + "#" + r.getAs("split") + "#"
          + r.getList(r.fieldIndex("features")).hashCode());
    }
    return out;
  }

  private static JsonNode provenance(IngestSummary s) throws IOException {
    return new ObjectMapper().readTree(Path.of(io.timbre.table.TableVersion.current(s.table(),
        new org.apache.hadoop.conf.Configuration()).provenanceLocation()).toFile());
  }
}
