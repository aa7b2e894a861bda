package io.timbre.eval;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Magnitude spectrograms side by side as one PNG for a self-contained report (an {@code <img>} with a data: URI): each
 * panel in dB over an 80 dB range shared by all panels (so a quieter estimate looks quieter), low frequencies at the
 * bottom, at most {@value #MAX_WIDTH} frames wide (longer inputs are shown from the start).
 */
public final class SpectrogramPicture {
  static final int MAX_WIDTH = 600;
  static final int HEIGHT = 200;
  static final double RANGE_DB = 80;

  private SpectrogramPicture() {}

  /** One panel: a title and its frames × bins magnitudes, row-major. */
  public record Panel(String title, float[] magnitude, int frames, int bins) {}

  /** An HTML {@code <img>} element holding the panels as a PNG. */
  public static String html(List<Panel> panels, String alt) {
    return "<img alt=\"" + HtmlReport.esc(alt) + "\" src=\"data:image/png;base64,"
        + Base64.getEncoder().encodeToString(png(panels)) + "\">\n";
  }

  static byte[] png(List<Panel> panels) {
    double max = Double.NEGATIVE_INFINITY;
    for (Panel p : panels) {
      for (float v : p.magnitude()) {
        max = Math.max(max, v);
      }
    }
    double top = 20 * Math.log10(Math.max(max, 1e-10));
    int width = panels.stream().mapToInt(p -> Math.min(MAX_WIDTH, p.frames())).max().orElse(1);
    int gap = 24;
    BufferedImage img = new BufferedImage(Math.max(1, width), panels.size() * (HEIGHT + gap),
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int k = 0; k < panels.size(); k++) {
      Panel p = panels.get(k);
      int y0 = k * (HEIGHT + gap) + gap;
      g.setColor(Color.DARK_GRAY);
      g.drawString(p.title(), 2, y0 - 6);
      for (int x = 0; x < Math.min(width, p.frames()); x++) {
        for (int y = 0; y < HEIGHT; y++) {
          // Rows map to bins linearly, bin 0 at the bottom; the strongest bin of the row's range is shown.
          int from = (int) ((long) (HEIGHT - 1 - y) * p.bins() / HEIGHT);
          int to = Math.max(from + 1, (int) ((long) (HEIGHT - y) * p.bins() / HEIGHT));
          float m = 0;
          for (int b = from; b < to && b < p.bins(); b++) {
            m = Math.max(m, p.magnitude()[x * p.bins() + b]);
          }
          double db = 20 * Math.log10(Math.max(m, 1e-10));
          double level = Math.max(0, Math.min(1, (db - (top - RANGE_DB)) / RANGE_DB));
          img.setRGB(x, y0 + y, colour(level));
        }
      }
    }
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A dark-blue → orange → light-yellow ramp, readable in print. */
  private static int colour(double level) {
    int r = (int) Math.round(255 * Math.min(1, 1.6 * level));
    int gr = (int) Math.round(255 * Math.max(0, Math.min(1, 1.8 * level - 0.55)));
    int b = (int) Math.round(255 * Math.max(0, Math.min(1, 0.45 - level) * 1.6 + Math.max(0, level - 0.85) * 4));
    return (r << 16) | (gr << 8) | Math.min(255, b);
  }
}
