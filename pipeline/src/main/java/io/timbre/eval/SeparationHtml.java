package io.timbre.eval;

import io.timbre.util.JsonDocument;
import java.util.List;
import java.util.Locale;

/** The separation section of the evaluation report: per-source SDR bars of the model beside its two baselines. */
final class SeparationHtml {
  private SeparationHtml() {}

  static void section(StringBuilder h, JsonDocument s) {
    List<String> sources = s.strings("sources");
    JsonDocument per = s.object("per_source");
    h.append("<h2>Separation per source (BSS Eval, dB)</h2>\n<table><tr><th>source</th><th>SDR</th><th>SIR</th>"
        + "<th>SAR</th><th>NSDR</th><th>GNSDR</th><th>ideal mask SDR</th><th>mixture SDR</th></tr>");
    double lo = 0;
    double hi = 1;
    for (String name : sources) {
      JsonDocument o = per.object(name);
      double[] v = {o.number("sdr"), o.object("ideal_ratio_mask").number("sdr"), o.object("mixture").number("sdr")};
      for (double x : v) {
        if (Double.isFinite(x)) {
          lo = Math.min(lo, x);
          hi = Math.max(hi, x);
        }
      }
      h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.2f</td><td>%.2f</td><td>%.2f</td><td>%.2f</td>"
          + "<td>%.2f</td><td>%.2f</td><td>%.2f</td></tr>", HtmlReport.esc(name), o.number("sdr"), o.number("sir"),
          o.number("sar"), o.number("nsdr"), o.number("gnsdr"), v[1], v[2]));
    }
    h.append("</table>\n");
    int rowH = 14;
    int left = 90;
    int width = 460;
    double span = hi - lo;
    String[] series = {"model", "ideal ratio mask", "mixture"};
    String[] colours = {HtmlReport.BAR, HtmlReport.LINE, "#999999"};
    h.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"SDR per source\">",
        left + width + 80, sources.size() * (3 * rowH + 10) + 20));
    int zero = left + (int) Math.round(-lo / span * width);
    h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"0\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>", zero, zero,
        sources.size() * (3 * rowH + 10) + 5));
    int y = 5;
    for (String name : sources) {
      JsonDocument o = per.object(name);
      double[] v = {o.number("sdr"), o.object("ideal_ratio_mask").number("sdr"), o.object("mixture").number("sdr")};
      h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", left - 6,
          y + rowH + 8, HtmlReport.esc(name)));
      for (int k = 0; k < 3; k++) {
        double x = Double.isFinite(v[k]) ? v[k] : 0;
        int a = left + (int) Math.round((Math.min(0, x) - lo) / span * width);
        int w = Math.max(1, (int) Math.round(Math.abs(x) / span * width));
        h.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\">"
            + "<title>%s %.2f dB</title></rect>", a, y + k * rowH, w, rowH - 2, colours[k], series[k], v[k]));
        h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%.1f</text>", a + w + 4, y + k * rowH + 11,
            v[k]));
      }
      y += 3 * rowH + 10;
    }
    h.append("</svg>\n<p>Bars: model (orange), ideal ratio mask (green, the upper bound of a magnitude mask), the "
        + "mixture itself (grey, NSDR 0).</p>\n");
  }
}
