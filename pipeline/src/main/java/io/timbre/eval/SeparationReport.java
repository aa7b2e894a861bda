package io.timbre.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The {@code separation} section of a separation run's metrics.json, from its tracks' {@link SeparationScores}:
 * per source and overall the mean SDR, SIR, SAR and NSDR of the model and the same for the two baselines (the
 * ideal ratio mask, the mixture), and Huang et al.'s GNSDR — per source the track-length-weighted mean NSDR, and
 * {@code gnsdr} their mean over sources. Degenerate tracks (a silent reference source: mir_eval refuses them) are
 * listed with the reason and left out of every mean.
 */
final class SeparationReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SeparationReport() {}

  static ObjectNode compute(List<SeparationScores> tracks, List<String> sources) {
    List<SeparationScores> scored = tracks.stream().filter(SeparationScores::scored).toList();
    ObjectNode s = JSON.createObjectNode();
    s.put("definition", BssEval.DEFINITION + "; NSDR = SDR(estimate) - SDR(mixture), GNSDR = length-weighted mean"
        + " NSDR (Huang et al. 2015)");
    s.set("sources", JSON.valueToTree(sources));
    s.put("tracks", tracks.size());
    s.put("tracks_scored", scored.size());
    ObjectNode per = s.putObject("per_source");
    double gnsdrSum = 0;
    double idealGnsdrSum = 0;
    for (int j = 0; j < sources.size(); j++) {
      int k = j;
      ObjectNode o = per.putObject(sources.get(j));
      means(o, scored, t -> t.sources().get(k).model());
      o.put("nsdr", mean(scored, t -> t.sources().get(k).nsdr()));
      double g = weighted(scored, t -> t.sources().get(k).nsdr());
      o.put("gnsdr", g);
      gnsdrSum += g;
      ObjectNode irm = o.putObject("ideal_ratio_mask");
      means(irm, scored, t -> t.sources().get(k).idealMask());
      double gi = weighted(scored, t -> t.sources().get(k).idealNsdr());
      irm.put("gnsdr", gi);
      idealGnsdrSum += gi;
      means(o.putObject("mixture"), scored, t -> t.sources().get(k).mixture());
    }
    int n = sources.size();
    ObjectNode mean = s.putObject("mean");
    mean.put("sdr", meanOver(scored, n, (t, j) -> t.sources().get(j).model().sdr()));
    mean.put("sir", meanOver(scored, n, (t, j) -> t.sources().get(j).model().sir()));
    mean.put("sar", meanOver(scored, n, (t, j) -> t.sources().get(j).model().sar()));
    mean.put("nsdr", meanOver(scored, n, (t, j) -> t.sources().get(j).nsdr()));
    s.put("gnsdr", gnsdrSum / n);
    ObjectNode baselines = s.putObject("baselines");
    ObjectNode irm = baselines.putObject("ideal_ratio_mask");
    irm.put("mean_sdr", meanOver(scored, n, (t, j) -> t.sources().get(j).idealMask().sdr()));
    irm.put("mean_nsdr", meanOver(scored, n, (t, j) -> t.sources().get(j).idealNsdr()));
    irm.put("gnsdr", idealGnsdrSum / n);
    ObjectNode mix = baselines.putObject("mixture");
    mix.put("mean_sdr", meanOver(scored, n, (t, j) -> t.sources().get(j).mixture().sdr()));
    mix.put("mean_nsdr", 0.0);
    mix.put("gnsdr", 0.0);
    ArrayNode degenerate = s.putArray("degenerate_tracks");
    tracks.stream().filter(t -> !t.scored()).forEach(t -> degenerate.addObject().put("clip_id", t.clipId())
        .put("reason", t.degenerate()));
    return s;
  }

  private interface PerSource {
    double of(SeparationScores t, int source);
  }

  private static void means(ObjectNode o, List<SeparationScores> tracks,
      java.util.function.Function<SeparationScores, BssEval.SourceScores> of) {
    o.put("sdr", mean(tracks, t -> of.apply(t).sdr()));
    o.put("sir", mean(tracks, t -> of.apply(t).sir()));
    o.put("sar", mean(tracks, t -> of.apply(t).sar()));
  }

  /** Mean over tracks; infinite figures (an estimate with no interference at all) are left out. */
  private static double mean(List<SeparationScores> tracks, ToDoubleFunction<SeparationScores> f) {
    double sum = 0;
    int n = 0;
    for (SeparationScores t : tracks) {
      double v = f.applyAsDouble(t);
      if (Double.isFinite(v)) {
        sum += v;
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  private static double meanOver(List<SeparationScores> tracks, int sources, PerSource f) {
    double sum = 0;
    int n = 0;
    for (SeparationScores t : tracks) {
      for (int j = 0; j < sources; j++) {
        double v = f.of(t, j);
        if (Double.isFinite(v)) {
          sum += v;
          n++;
        }
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  private static double weighted(List<SeparationScores> tracks, ToDoubleFunction<SeparationScores> f) {
    double sum = 0;
    double w = 0;
    for (SeparationScores t : tracks) {
      double v = f.applyAsDouble(t);
      if (Double.isFinite(v)) {
        sum += t.seconds() * v;
        w += t.seconds();
      }
    }
    return w == 0 ? Double.NaN : sum / w;
  }
}
