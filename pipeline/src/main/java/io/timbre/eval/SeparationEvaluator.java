package io.timbre.eval;

import io.timbre.datasets.ClipRef;
import io.timbre.features.ComplexSpectrogram;
import io.timbre.features.ComplexStft;
import io.timbre.features.FeatureSpec;
import io.timbre.features.InverseStft;
import io.timbre.separate.TrackSeparator;
import io.timbre.separation.MaskedResynthesis;
import io.timbre.separation.SeparationAudio;
import io.timbre.separation.SeparationFrames;
import io.timbre.separation.SourceGrouping;
import io.timbre.table.FeatureTable;
import io.timbre.table.TableProvenance;
import io.timbre.table.TableVersion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A separation run's evaluation: every track of the split separated whole by the model on the executors (its mixture
 * and stems read from where the table's clips say, grouped into sources as the table was), scored with {@link BssEval}
 * against the sources, next to the ideal ratio mask and the mixture. Per-track figures go to
 * {@code per_track.parquet}, the summary to metrics.json's {@code separation} section ({@link SeparationReport}), and
 * the first scored track's spectrograms (mixture, estimate, reference of each source) to the report.
 */
final class SeparationEvaluator {
  static final StructType PER_TRACK = new StructType()
      .add("clip_id", DataTypes.StringType, false)
      .add("source", DataTypes.StringType, false)
      .add("seconds", DataTypes.DoubleType, false)
      .add("sdr", DataTypes.DoubleType, false)
      .add("sir", DataTypes.DoubleType, false)
      .add("sar", DataTypes.DoubleType, false)
      .add("nsdr", DataTypes.DoubleType, false)
      .add("ideal_mask_sdr", DataTypes.DoubleType, false)
      .add("mixture_sdr", DataTypes.DoubleType, false)
      .add("degenerate", DataTypes.StringType, true);

  private SeparationEvaluator() {}

  /** The metrics body and the report's figures. */
  record Outcome(com.fasterxml.jackson.databind.node.ObjectNode body, String figures) {}

  static Outcome run(SparkSession spark, ModelBundle model, String table, String split, Path dir) throws IOException {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration conf = sc.hadoopConfiguration();
    TableVersion version = TableVersion.require(table, conf, "evaluate");
    TableProvenance p = TableProvenance.read(version.provenanceLocation(), conf);
    if (!p.separation()) {
      throw new IllegalArgumentException("Cannot evaluate separation run " + model.runDir() + " on " + table
          + ": it is not a separation table (ingest with --sources)");
    }
    SourceGrouping grouping = p.separationSources();
    FeatureSpec spec = p.featureSpec();
    List<ClipRef> clips = clips(spark, table, split);
    if (clips.isEmpty()) {
      throw new IllegalArgumentException("Cannot evaluate on split '" + split + "' of " + table + ": no clips");
    }
    TrackSeparator separator = new TrackSeparator(model.modelZip(), spec, model.normalizer(), grouping.names());
    Map<String, String> hadoop = new HashMap<>();
    conf.forEach(e -> {
      if (e.getKey().startsWith("fs.")) {
        hadoop.put(e.getKey(), e.getValue());
      }
    });
    sc.setJobDescription("timbre evaluate " + model.runDir() + ": separate and score " + clips.size() + " tracks");
    List<SeparationScores> tracks = new ArrayList<>(sc.parallelize(clips, Math.max(1, Math.min(clips.size(),
        2 * sc.defaultParallelism()))).map(c -> score(c, grouping, separator, hadoop)).collect());
    tracks.sort(Comparator.comparing(SeparationScores::clipId));
    writePerTrack(spark, dir, tracks);
    String figures = tracks.stream().filter(SeparationScores::scored).findFirst()
        .map(t -> figures(clips.stream().filter(c -> c.id().equals(t.clipId())).findFirst().orElseThrow(),
            grouping, separator, conf)).orElse("");
    return new Outcome(SeparationReport.compute(tracks, grouping.names()), figures);
  }

  /** The split's clips as the table recorded them (paths, tags, split). */
  private static List<ClipRef> clips(SparkSession spark, String table, String split) {
    List<ClipRef> out = new ArrayList<>();
    var rows = FeatureTable.read(spark, table, "clips");
    for (Row r : rows.where(rows.col("split").equalTo(split)).collectAsList()) {
      Map<String, String> tags = new TreeMap<>(r.getJavaMap(r.fieldIndex("tags")));
      out.add(new ClipRef(r.getString(r.fieldIndex("clip_id")), r.getString(r.fieldIndex("dataset")),
          r.getList(r.fieldIndex("audio_paths")), split, r.getList(r.fieldIndex("labels")),
          new TreeMap<>(tags), List.of(), List.of(), r.getString(r.fieldIndex("group_key")),
          r.getLong(r.fieldIndex("size_bytes"))));
    }
    out.sort(Comparator.comparing(ClipRef::id));
    return out;
  }

  private static SeparationScores score(ClipRef clip, SourceGrouping grouping, TrackSeparator separator,
      Map<String, String> hadoop) throws IOException {
    Configuration conf = new Configuration();
    hadoop.forEach(conf::set);
    FeatureSpec spec = separator.spec();
    SeparationAudio audio = SeparationAudio.read(clip, grouping, spec.sampleRate(), conf);
    int n = audio.mixture().length;
    double[][] reference = new double[audio.sources().length][];
    for (int j = 0; j < reference.length; j++) {
      reference[j] = doubles(audio.sources()[j]);
    }
    BssEval.Track track = BssEval.prepare(reference);
    TrackSeparator.Separated model = separator.separate(audio.mixture());
    SeparationFrames frames = SeparationFrames.of(audio, new ComplexStft(spec));
    float[][] ideal = new MaskedResynthesis(new InverseStft(spec)).resynthesise(model.mixture(),
        MaskedResynthesis.idealRatioEstimates(frames), reference.length, n);
    double[][] mixture = new double[reference.length][];
    for (int j = 0; j < reference.length; j++) {
      mixture[j] = doubles(audio.mixture());
    }
    BssEval.Result m = track.score(doubles(model.signals()));
    BssEval.Result i = track.score(doubles(ideal));
    BssEval.Result x = track.score(mixture);
    List<SeparationScores.Source> sources = new ArrayList<>();
    for (int j = 0; j < reference.length; j++) {
      sources.add(new SeparationScores.Source(grouping.names().get(j), m.sources().get(j), i.sources().get(j),
          x.sources().get(j)));
    }
    String degenerate = m.degenerate() != null ? m.degenerate() : i.degenerate() != null ? i.degenerate()
        : x.degenerate();
    return new SeparationScores(clip.id(), n / (double) spec.sampleRate(), sources, degenerate);
  }

  /** Mixture, estimate and reference spectrograms of every source of one track. */
  private static String figures(ClipRef clip, SourceGrouping grouping, TrackSeparator separator,
      Configuration conf) {
    try {
      FeatureSpec spec = separator.spec();
      SeparationAudio audio = SeparationAudio.read(clip, grouping, spec.sampleRate(), conf);
      TrackSeparator.Separated s = separator.separate(audio.mixture());
      ComplexSpectrogram mix = s.mixture();
      int frames = mix.frames();
      int bins = mix.bins();
      int sources = grouping.names().size();
      SeparationFrames truth = SeparationFrames.of(audio, new ComplexStft(spec));
      List<SpectrogramPicture.Panel> panels = new ArrayList<>();
      panels.add(new SpectrogramPicture.Panel("mixture", mix.magnitude(), frames, bins));
      for (int j = 0; j < sources; j++) {
        panels.add(new SpectrogramPicture.Panel(grouping.names().get(j) + ": estimate", slice(s.estimates(), j,
            sources, frames, bins), frames, bins));
        panels.add(new SpectrogramPicture.Panel(grouping.names().get(j) + ": reference", slice(truth.targets(), j,
            sources, frames, bins), frames, bins));
      }
      return "<h2>Spectrograms of " + HtmlReport.esc(clip.id()) + "</h2>\n"
          + SpectrogramPicture.html(panels, "mixture, estimated and reference spectrograms of " + clip.id());
    } catch (IOException | RuntimeException e) {
      return "<p>Spectrograms not drawn: " + HtmlReport.esc(e.toString()) + "</p>\n";
    }
  }

  private static float[] slice(float[] frameMajor, int source, int sources, int frames, int bins) {
    float[] out = new float[frames * bins];
    for (int t = 0; t < frames; t++) {
      System.arraycopy(frameMajor, (t * sources + source) * bins, out, t * bins, bins);
    }
    return out;
  }

  private static void writePerTrack(SparkSession spark, Path dir, List<SeparationScores> tracks) {
    List<Row> rows = new ArrayList<>();
    for (SeparationScores t : tracks) {
      for (SeparationScores.Source s : t.sources()) {
        rows.add(RowFactory.create(t.clipId(), s.name(), t.seconds(), s.model().sdr(), s.model().sir(),
            s.model().sar(), s.nsdr(), s.idealMask().sdr(), s.mixture().sdr(), t.degenerate()));
      }
    }
    spark.createDataFrame(rows, PER_TRACK).coalesce(1).write().mode(SaveMode.Overwrite)
        .parquet(new Path(dir, "per_track.parquet").toString());
  }

  private static double[][] doubles(float[][] x) {
    double[][] d = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      d[i] = doubles(x[i]);
    }
    return d;
  }

  private static double[] doubles(float[] x) {
    double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      d[i] = x[i];
    }
    return d;
  }
}
