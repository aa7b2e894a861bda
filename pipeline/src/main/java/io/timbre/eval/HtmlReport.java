package io.timbre.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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

  private HtmlReport() {}

  public static String render(JsonNode metrics, JsonNode curves) {
    StringBuilder h = new StringBuilder();
    header(h, metrics);
    JsonNode m = metrics.path("metrics");
    cards(h, m);
    frameLevel(h, m);
    clipLevel(h, m);
    curves(h, metrics, curves);
    if (metrics.path("metrics").path("errors").size() > 0) {
      h.append("<h2>Metrics that could not be computed</h2><pre>").append(esc(pretty(metrics.path("metrics")
          .path("errors")))).append("</pre>\n");
    }
    h.append("<h2>Provenance</h2><pre>").append(esc(pretty(provenance(metrics)))).append("</pre>\n");
    h.append("</body></html>\n");
    return h.toString();
  }

  private static void header(StringBuilder h, JsonNode metrics) {
    String title = "Timbre evaluation: " + metrics.path("experiment").asText() + " / " + metrics.path("run_id").asText()
        + " on " + metrics.path("split").asText();
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
  private static void cards(StringBuilder h, JsonNode m) {
    JsonNode single = m.path("single_label");
    JsonNode multi = m.path("multi_label");
    JsonNode onset = m.path("onset");
    h.append("<div class=\"cards\">");
    card(h, "clips", m.path("clips"));
    card(h, "accuracy", single.path("accuracy"));
    card(h, "macro F1", single.path("macro_f1"));
    card(h, "weighted F1", single.path("weighted_f1"));
    card(h, "S1 micro F1 (θ " + multi.path("theta").asText() + ")", multi.path("s1").path("micro_f1"));
    card(h, "S2 micro F1", multi.path("s2").path("micro_f1"));
    card(h, "LRAP", multi.path("lrap"));
    card(h, "onset F-measure", onset.path("f_measure"));
    card(h, "onset precision", onset.path("precision"));
    card(h, "onset recall", onset.path("recall"));
    JsonNode melody = m.path("melody").path("mean");
    card(h, "raw pitch accuracy", melody.path("raw_pitch_accuracy"));
    card(h, "raw chroma accuracy", melody.path("raw_chroma_accuracy"));
    card(h, "overall accuracy", melody.path("overall_accuracy"));
    card(h, "voicing recall", melody.path("voicing_recall"));
    card(h, "voicing false alarm", melody.path("voicing_false_alarm"));
    h.append("</div>\n");
  }

  /** Onsets per instrument, melody per track. */
  private static void frameLevel(StringBuilder h, JsonNode m) {
    JsonNode onset = m.path("onset");
    if (onset.path("per_instrument").size() > 0) {
      h.append("<h2>Onsets per instrument (±").append(num(onset.path("window_seconds")))
          .append(" s)</h2>\n<table><tr><th>instrument</th><th>F</th><th>precision</th><th>recall</th>"
              + "<th>reference onsets</th></tr>");
      onset.path("per_instrument").fields().forEachRemaining(e -> h.append("<tr><td>").append(esc(e.getKey()))
          .append("</td><td>").append(num(e.getValue().path("f_measure"))).append("</td><td>")
          .append(num(e.getValue().path("precision"))).append("</td><td>").append(num(e.getValue().path("recall")))
          .append("</td><td>").append(e.getValue().path("reference_onsets").asLong()).append("</td></tr>"));
      h.append("</table>\n");
    }
    if (m.path("melody").path("per_track").size() > 0) {
      h.append("<h2>Melody per track</h2>\n<table><tr><th>track</th><th>raw pitch</th><th>raw chroma</th>"
          + "<th>overall</th><th>voicing recall</th><th>voicing false alarm</th></tr>");
      for (JsonNode t : m.path("melody").path("per_track")) {
        h.append("<tr><td>").append(esc(t.path("clip_id").asText())).append("</td><td>")
            .append(num(t.path("raw_pitch_accuracy"))).append("</td><td>").append(num(t.path("raw_chroma_accuracy")))
            .append("</td><td>").append(num(t.path("overall_accuracy"))).append("</td><td>")
            .append(num(t.path("voicing_recall"))).append("</td><td>").append(num(t.path("voicing_false_alarm")))
            .append("</td></tr>");
      }
      h.append("</table>\n");
    }
  }

  /** Confusion matrix, per-class F1 and the multi-label threshold sweep. */
  private static void clipLevel(StringBuilder h, JsonNode m) {
    JsonNode single = m.path("single_label");
    JsonNode multi = m.path("multi_label");
    if (single.has("confusion")) {
      h.append("<h2>Confusion matrix (rows: truth, columns: prediction)</h2>\n");
      heatMap(h, single.path("confusion"), labels(single.path("per_class")));
    }
    JsonNode perClass = single.has("per_class") ? single.path("per_class") : multi.path("s1").path("per_class");
    if (perClass.size() > 0) {
      h.append("<h2>Per-class F1</h2>\n");
      bars(h, perClass);
      h.append("<table><tr><th>label</th><th>precision</th><th>recall</th><th>F1</th><th>support</th>"
          + "<th>ROC AUC</th></tr>");
      for (JsonNode c : perClass) {
        JsonNode auc = multi.path("roc_auc").path(c.path("label").asText());
        h.append("<tr><td>").append(esc(c.path("label").asText())).append("</td><td>").append(num(c.path(
            "precision"))).append("</td><td>").append(num(c.path("recall"))).append("</td><td>").append(num(c.path(
            "f1"))).append("</td><td>").append(c.path("support").asLong()).append("</td><td>").append(num(auc))
            .append("</td></tr>");
      }
      h.append("</table>\n");
    }
    if (multi.path("theta_sweep").size() > 0) {
      h.append("<h2>Threshold sweep (multi-label micro F1; S1 solid, S2 dashed)</h2>\n");
      List<double[]> s1 = new ArrayList<>();
      List<double[]> s2 = new ArrayList<>();
      for (JsonNode p : multi.path("theta_sweep")) {
        s1.add(new double[] {p.path("theta").asDouble(), p.path("s1_micro_f1").asDouble()});
        s2.add(new double[] {p.path("theta").asDouble(), p.path("s2_micro_f1").asDouble()});
      }
      lines(h, List.of(s1, s2), "θ", "micro F1");
    }
  }

  /** The run's training loss and early-stopping metric per epoch. */
  private static void curves(StringBuilder h, JsonNode metrics, JsonNode curves) {
    if (curves != null && curves.size() > 0) {
      h.append("<h2>Training curves</h2>\n");
      List<double[]> loss = new ArrayList<>();
      List<double[]> metric = new ArrayList<>();
      String metricName = metrics.path("model").path("best").path("metric").asText("val_loss");
      for (JsonNode c : curves) {
        loss.add(new double[] {c.path("epoch").asDouble(), c.path("train_loss").asDouble()});
        metric.add(new double[] {c.path("epoch").asDouble(), c.path("validation").path(metricName).asDouble()});
      }
      h.append("<p>train loss</p>");
      lines(h, List.of(loss), "epoch", "loss");
      h.append("<p>validation ").append(esc(metricName)).append("</p>");
      lines(h, List.of(metric), "epoch", metricName);
    }
  }

  private static JsonNode provenance(JsonNode metrics) {
    var o = new ObjectMapper().createObjectNode();
    for (String k : new String[] {"run_id", "experiment", "task", "split", "created_at", "code_version", "table",
        "config"}) {
      o.set(k, metrics.path(k));
    }
    JsonNode model = metrics.path("model");
    for (String k : new String[] {"config", "seed", "versions", "best", "epochs_run", "labels"}) {
      o.set("model_" + k, model.path(k));
    }
    return o;
  }

  private static void card(StringBuilder h, String name, JsonNode v) {
    if (v.isNumber()) {
      h.append("<div class=\"card\">").append(esc(name)).append("<b>").append(num(v)).append("</b></div>");
    }
  }

  private static List<String> labels(JsonNode perClass) {
    List<String> out = new ArrayList<>();
    perClass.forEach(c -> out.add(c.path("label").asText()));
    return out;
  }

  private static void heatMap(StringBuilder h, JsonNode confusion, List<String> labels) {
    int k = confusion.size();
    int cell = Math.max(18, Math.min(48, 560 / Math.max(1, k)));
    int left = 110;
    int top = 20;
    h.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"confusion\">",
        left + k * cell + 10, top + k * cell + 90));
    for (int t = 0; t < k; t++) {
      long rowSum = 0;
      for (JsonNode v : confusion.get(t)) {
        rowSum += v.asLong();
      }
      h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", left - 6,
          top + t * cell + cell / 2 + 4, esc(t < labels.size() ? labels.get(t) : String.valueOf(t))));
      for (int p = 0; p < k; p++) {
        long v = confusion.get(t).get(p).asLong();
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

  private static void bars(StringBuilder h, JsonNode perClass) {
    int rowH = 20;
    int left = 110;
    int width = 420;
    h.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"f1 bars\">",
        left + width + 60, perClass.size() * rowH + 10));
    int i = 0;
    for (JsonNode c : perClass) {
      double f1 = c.path("f1").asDouble();
      int y = 5 + i * rowH;
      h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", left - 6,
          y + 13, esc(c.path("label").asText())));
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

  private static String num(JsonNode v) {
    if (v.isIntegralNumber()) {
      return v.asText();
    }
    return v.isNumber() ? String.format(Locale.ROOT, "%.4f", v.asDouble()) : "–";
  }

  private static String pretty(JsonNode n) {
    try {
      return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(n);
    } catch (java.io.IOException e) {
      return n.toString();
    }
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
