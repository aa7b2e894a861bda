package io.timbre.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timbre.model.EpochRecord;
import io.timbre.util.JsonDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * {@code report.html}: one self-contained page (inline CSS and SVG, no script, no network) with the headline numbers,
 * a confusion-matrix heat map, per-class F1 bars, the multi-label threshold sweep, the run's training curves and the
 * provenance. Pure string building from {@code metrics.json} and {@code curves.json}, so it renders the same
 * anywhere, including offline viewers of an S3 bucket.
 */
public final class HtmlReport {
  /** Heat-map colour of a full cell and the bar colour: tests look for these pixels in a screenshot. */
  public static final String HEAT = "#1f4e99";
  public static final String BAR = "#e07b00";
  public static final String LINE = "#2e8b57";

  private static final ObjectMapper JSON = new ObjectMapper();

  private HtmlReport() {}

  public static String render(MetricsDocument metrics, List<EpochRecord> curves) {
    return render(metrics, curves, "");
  }

  /** @param figures extra HTML the evaluation drew (the separation spectrograms), after the task's sections */
  public static String render(MetricsDocument metrics, List<EpochRecord> curves, String figures) {
    StringBuilder h = new StringBuilder();
    header(h, metrics);
    JsonDocument m = metrics.metrics();
    cards(h, metrics);
    frameLevel(h, m);
    clipLevel(h, m);
    m.optionalObject("separation").ifPresent(s -> SeparationHtml.section(h, s));
    m.optionalObject("generation").ifPresent(g -> generation(h, g));
    h.append(figures);
    curves(h, metrics, curves);
    Optional<JsonDocument> errors = m.optionalObject("errors");
    if (errors.isPresent() && !errors.get().keys().isEmpty()) {
      h.append("<h2>Metrics that could not be computed</h2><pre>").append(esc(pretty(errors.get().node())))
          .append("</pre>\n");
    }
    h.append("<h2>Provenance</h2><pre>").append(esc(pretty(metrics.summary()))).append("</pre>\n");
    h.append("</body></html>\n");
    return h.toString();
  }

  private static void header(StringBuilder h, MetricsDocument metrics) {
    String title = "Timbre evaluation: " + metrics.experiment() + " / " + metrics.runId() + " on " + metrics.split();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
        .append("</title>\n<style>body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}"
            + "h1{font-size:22px}h2{font-size:17px;margin-top:28px}.cards{display:flex;gap:12px;flex-wrap:wrap}"
            + ".card{border:1px solid #ddd;border-radius:6px;padding:10px 14px;min-width:130px}"
            + ".card b{display:block;font-size:24px}table{border-collapse:collapse;font-size:13px}"
            + "td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}th{background:#f4f4f4}"
            + "pre{background:#f7f7f7;padding:10px;font-size:11px;overflow:auto;max-height:420px}"
            + "svg text{font-size:11px;fill:#333}</style></head><body>\n");
    h.append("<h1>").append(esc(title)).append("</h1>\n");
  }

  /** The headline figures of whatever was evaluated (absent ones are left out). */
  private static void cards(StringBuilder h, MetricsDocument m) {
    h.append("<div class=\"cards\">");
    card(h, "clips", m, "clips");
    card(h, "accuracy", m, "single_label.accuracy");
    card(h, "macro F1", m, "single_label.macro_f1");
    card(h, "weighted F1", m, "single_label.weighted_f1");
    String theta = m.find("multi_label.theta").isPresent() ? String.valueOf(m.value("multi_label.theta")) : "";
    card(h, "S1 micro F1 (θ " + theta + ")", m, "multi_label.s1.micro_f1");
    card(h, "S2 micro F1", m, "multi_label.s2.micro_f1");
    card(h, "LRAP", m, "multi_label.lrap");
    card(h, "onset F-measure", m, "onset.f_measure");
    card(h, "onset precision", m, "onset.precision");
    card(h, "onset recall", m, "onset.recall");
    card(h, "raw pitch accuracy", m, "melody.mean.raw_pitch_accuracy");
    card(h, "raw chroma accuracy", m, "melody.mean.raw_chroma_accuracy");
    card(h, "overall accuracy", m, "melody.mean.overall_accuracy");
    card(h, "voicing recall", m, "melody.mean.voicing_recall");
    card(h, "voicing false alarm", m, "melody.mean.voicing_false_alarm");
    card(h, "GNSDR (dB)", m, "separation.gnsdr");
    card(h, "mean SDR (dB)", m, "separation.mean.sdr");
    card(h, "mean SIR (dB)", m, "separation.mean.sir");
    card(h, "mean SAR (dB)", m, "separation.mean.sar");
    card(h, "ideal mask GNSDR (dB)", m, "separation.baselines.ideal_ratio_mask.gnsdr");
    card(h, "next-frame MSE", m, "generation.model.next_frame_mse");
    card(h, "MSE reduction vs repeat-last", m, "generation.mse_reduction_vs_repeat_last");
    card(h, "MSE reduction vs mean frame", m, "generation.mse_reduction_vs_mean_frame");
    card(h, "log-spectral distance (dB)", m, "generation.model.log_spectral_distance_db");
    h.append("</div>\n");
  }

  /** The model next to its two baselines, on the same held-out frames. */
  private static void generation(StringBuilder h, JsonDocument g) {
    h.append("<h2>Next-frame prediction (").append(esc(g.string("representation"))).append(" frames, ")
        .append(num(g, "frames")).append(" held-out frames)</h2>\n<table><tr><th>predictor</th><th>next-frame MSE "
            + "(standardised)</th><th>log-spectral distance (dB)</th></tr>");
    for (String p : List.of("model", "repeat_last", "mean_frame")) {
      JsonDocument e = g.object(p);
      h.append("<tr><td>").append(esc(p.replace('_', ' '))).append("</td><td>").append(num(e, "next_frame_mse"))
          .append("</td><td>").append(num(e, "log_spectral_distance_db")).append("</td></tr>");
    }
    h.append("</table>\n");
  }

  /** Onsets per instrument, melody per track. */
  private static void frameLevel(StringBuilder h, JsonDocument m) {
    Optional<JsonDocument> perInstrument = m.optionalObject("onset").flatMap(o -> o.optionalObject("per_instrument"));
    if (perInstrument.isPresent() && !perInstrument.get().keys().isEmpty()) {
      JsonDocument onset = m.object("onset");
      h.append("<h2>Onsets per instrument (±").append(num(onset, "window_seconds"))
          .append(" s)</h2>\n<table><tr><th>instrument</th><th>F</th><th>precision</th><th>recall</th>"
              + "<th>reference onsets</th></tr>");
      for (String name : perInstrument.get().keys()) {
        JsonDocument e = perInstrument.get().object(name);
        h.append("<tr><td>").append(esc(name)).append("</td><td>").append(num(e, "f_measure")).append("</td><td>")
            .append(num(e, "precision")).append("</td><td>").append(num(e, "recall")).append("</td><td>")
            .append(num(e, "reference_onsets")).append("</td></tr>");
      }
      h.append("</table>\n");
    }
    Optional<JsonDocument> melody = m.optionalObject("melody");
    List<JsonDocument> tracks = melody.isPresent() && melody.get().has("per_track")
        ? melody.get().objects("per_track") : List.of();
    if (!tracks.isEmpty()) {
      h.append("<h2>Melody per track</h2>\n<table><tr><th>track</th><th>raw pitch</th><th>raw chroma</th>"
          + "<th>overall</th><th>voicing recall</th><th>voicing false alarm</th></tr>");
      for (JsonDocument t : tracks) {
        h.append("<tr><td>").append(esc(t.string("clip_id"))).append("</td><td>")
            .append(num(t, "raw_pitch_accuracy")).append("</td><td>").append(num(t, "raw_chroma_accuracy"))
            .append("</td><td>").append(num(t, "overall_accuracy")).append("</td><td>")
            .append(num(t, "voicing_recall")).append("</td><td>").append(num(t, "voicing_false_alarm"))
            .append("</td></tr>");
      }
      h.append("</table>\n");
    }
  }

  /** Confusion matrix, per-class F1 and the multi-label threshold sweep. */
  private static void clipLevel(StringBuilder h, JsonDocument m) {
    Optional<JsonDocument> single = m.optionalObject("single_label");
    Optional<JsonDocument> multi = m.optionalObject("multi_label");
    if (single.isPresent() && single.get().has("confusion")) {
      h.append("<h2>Confusion matrix (rows: truth, columns: prediction)</h2>\n");
      heatMap(h, single.get().integerRows("confusion"), labels(single.get().objects("per_class")));
    }
    List<JsonDocument> perClass = single.isPresent() && single.get().has("per_class")
        ? single.get().objects("per_class")
        : multi.flatMap(x -> x.optionalObject("s1")).filter(s1 -> s1.has("per_class"))
            .map(s1 -> s1.objects("per_class")).orElse(List.of());
    if (!perClass.isEmpty()) {
      Optional<JsonDocument> auc = multi.flatMap(x -> x.optionalObject("roc_auc"));
      h.append("<h2>Per-class F1</h2>\n");
      bars(h, perClass);
      h.append("<table><tr><th>label</th><th>precision</th><th>recall</th><th>F1</th><th>support</th>"
          + "<th>ROC AUC</th></tr>");
      for (JsonDocument c : perClass) {
        String label = c.string("label");
        h.append("<tr><td>").append(esc(label)).append("</td><td>").append(num(c, "precision")).append("</td><td>")
            .append(num(c, "recall")).append("</td><td>").append(num(c, "f1")).append("</td><td>")
            .append(num(c, "support")).append("</td><td>")
            .append(auc.isPresent() ? num(auc.get(), label) : "–").append("</td></tr>");
      }
      h.append("</table>\n");
    }
    List<JsonDocument> sweep = multi.filter(x -> x.has("theta_sweep")).map(x -> x.objects("theta_sweep"))
        .orElse(List.of());
    if (!sweep.isEmpty()) {
      h.append("<h2>Threshold sweep (multi-label micro F1; S1 solid, S2 dashed)</h2>\n");
      List<double[]> s1 = new ArrayList<>();
      List<double[]> s2 = new ArrayList<>();
      for (JsonDocument p : sweep) {
        s1.add(new double[] {p.number("theta"), p.number("s1_micro_f1")});
        s2.add(new double[] {p.number("theta"), p.number("s2_micro_f1")});
      }
      lines(h, List.of(s1, s2), "θ", "micro F1");
    }
  }

  /** The run's training loss and early-stopping metric per epoch. */
  private static void curves(StringBuilder h, MetricsDocument metrics, List<EpochRecord> curves) {
    if (!curves.isEmpty()) {
      h.append("<h2>Training curves</h2>\n");
      List<double[]> loss = new ArrayList<>();
      List<double[]> metric = new ArrayList<>();
      String metricName = metrics.model().best().metric();
      for (EpochRecord c : curves) {
        loss.add(new double[] {c.epoch(), c.trainLoss()});
        metric.add(new double[] {c.epoch(), c.validation().getOrDefault(metricName, Double.NaN)});
      }
      h.append("<p>train loss</p>");
      lines(h, List.of(loss), "epoch", "loss");
      h.append("<p>validation ").append(esc(metricName)).append("</p>");
      lines(h, List.of(metric), "epoch", metricName);
    }
  }

  private static void card(StringBuilder h, String name, MetricsDocument m, String path) {
    OptionalDouble v = m.find(path);
    if (v.isPresent() && Double.isFinite(v.getAsDouble())) {
      h.append("<div class=\"card\">").append(esc(name)).append("<b>").append(format(v.getAsDouble(),
          integral(m, path))).append("</b></div>");
    }
  }

  private static List<String> labels(List<JsonDocument> perClass) {
    return perClass.stream().map(c -> c.string("label")).toList();
  }

  private static void heatMap(StringBuilder h, List<long[]> confusion, List<String> labels) {
    int k = confusion.size();
    int cell = Math.max(18, Math.min(48, 560 / Math.max(1, k)));
    int left = 110;
    int top = 20;
    h.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"confusion\">",
        left + k * cell + 10, top + k * cell + 90));
    for (int t = 0; t < k; t++) {
      long rowSum = 0;
      for (long v : confusion.get(t)) {
        rowSum += v;
      }
      h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", left - 6,
          top + t * cell + cell / 2 + 4, esc(t < labels.size() ? labels.get(t) : String.valueOf(t))));
      for (int p = 0; p < k; p++) {
        long v = confusion.get(t)[p];
        double share = rowSum == 0 ? 0 : v / (double) rowSum;
        h.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" "
            + "fill-opacity=\"%.3f\" stroke=\"#eee\"><title>%d</title></rect>", left + p * cell, top + t * cell,
            cell, cell, HEAT, share, v));
        if (v > 0) {
          h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" style=\"fill:%s\">"
              + "%d</text>", left + p * cell + cell / 2, top + t * cell + cell / 2 + 4, share > 0.5 ? "#fff" : "#222",
              v));
        }
      }
    }
    for (int p = 0; p < k; p++) {
      int x = left + p * cell + cell / 2;
      int y = top + k * cell + 8;
      h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" transform=\"rotate(60 %d %d)\">%s</text>", x, y,
          x, y, esc(p < labels.size() ? labels.get(p) : String.valueOf(p))));
    }
    h.append("</svg>\n");
  }

  private static void bars(StringBuilder h, List<JsonDocument> perClass) {
    int rowH = 20;
    int left = 110;
    int width = 420;
    h.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"f1 bars\">",
        left + width + 60, perClass.size() * rowH + 10));
    int i = 0;
    for (JsonDocument c : perClass) {
      double f1 = c.number("f1");
      int y = 5 + i * rowH;
      h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", left - 6,
          y + 13, esc(c.string("label"))));
      h.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>",
          left, y + 2, Math.max(1, f1 * width), rowH - 5, BAR));
      h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%.3f</text>", left + f1 * width + 4, y + 13,
          f1));
      i++;
    }
    h.append("</svg>\n");
  }

  private static void lines(StringBuilder h, List<List<double[]>> series, String xName, String yName) {
    int w = 520;
    int ht = 200;
    int left = 50;
    double xMin = Double.POSITIVE_INFINITY;
    double xMax = Double.NEGATIVE_INFINITY;
    double yMin = Double.POSITIVE_INFINITY;
    double yMax = Double.NEGATIVE_INFINITY;
    for (List<double[]> s : series) {
      for (double[] p : s) {
        if (Double.isFinite(p[1])) {
          xMin = Math.min(xMin, p[0]);
          xMax = Math.max(xMax, p[0]);
          yMin = Math.min(yMin, p[1]);
          yMax = Math.max(yMax, p[1]);
        }
      }
    }
    if (!Double.isFinite(xMin)) {
      return;
    }
    if (yMax - yMin < 1e-9) {
      yMax = yMin + 1;
    }
    if (xMax - xMin < 1e-9) {
      xMax = xMin + 1;
    }
    h.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">",
        left + w + 20, ht + 40, esc(yName)));
    h.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"10\" width=\"%d\" height=\"%d\" fill=\"none\" "
        + "stroke=\"#ccc\"/>", left, w, ht));
    h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.3g</text>", left - 4, 16,
        yMax));
    h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.3g</text>", left - 4,
        ht + 10, yMin));
    h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s %.3g … %.3g</text>", left, ht + 28,
        esc(xName), xMin, xMax));
    int k = 0;
    for (List<double[]> s : series) {
      StringBuilder pts = new StringBuilder();
      for (double[] p : s) {
        if (Double.isFinite(p[1])) {
          pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", left + (p[0] - xMin) / (xMax - xMin) * w,
              10 + ht - (p[1] - yMin) / (yMax - yMin) * ht));
        }
      }
      h.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" %s "
          + "points=\"%s\"/>", LINE, k == 0 ? "" : "stroke-dasharray=\"6 4\"", pts.toString().trim()));
      k++;
    }
    h.append("</svg>\n");
  }

  /** A figure of a section: integers as they are, fractions to four places, absent or non-finite as a dash. */
  private static String num(JsonDocument section, String key) {
    OptionalDouble v = section.optionalNumber(key);
    return v.isPresent() ? format(v.getAsDouble(), section.isInteger(key)) : "–";
  }

  private static String format(double v, boolean integral) {
    if (!Double.isFinite(v)) {
      return "–";
    }
    return integral ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4f", v);
  }

  /** Whether the figure at a dotted path is a count (clips, support) rather than a fraction. */
  private static boolean integral(MetricsDocument m, String path) {
    int dot = path.lastIndexOf('.');
    JsonDocument section = m.metrics();
    if (dot >= 0) {
      for (String part : path.substring(0, dot).split("\\.")) {
        section = section.object(part);
      }
    }
    return section.isInteger(path.substring(dot + 1));
  }

  private static String pretty(JsonNode n) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n);
    } catch (java.io.IOException e) {
      return n.toString();
    }
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
