package io.timbre.jobs;


/**
 * Text from the data (file names, annotation content) made safe for one console line. Dataset file names may hold
 * newlines, carriage returns or terminal escape sequences; printed raw they split one record over several lines (and
 * a log scraper then reads a forged record) or rewrite the terminal.
 */
final class ConsoleLine {
  private ConsoleLine() {}

  /**
   * {@code text} with C0 and C1 control characters, DEL and the Unicode line/paragraph separators written as visible
   * escapes (newline as backslash-n, ESC as backslash-x1b, NEL as backslash-u0085).
   */
  static String escape(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder b = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String esc = switch (c) {
        case '\n' -> "\\n";
        case '\r' -> "\\r";
        case '\t' -> "\\t";
        default -> c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c)
            : (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029' ? String.format("\\u%04x", (int) c) : null;
      };
      if (esc != null && b == null) {
        b = new StringBuilder(text.length() + 8).append(text, 0, i);
      }
      if (b != null) {
        if (esc != null) {
          b.append(esc);
        } else {
          b.append(c);
        }
      }
    }
    return b == null ? text : b.toString();
  }
}
