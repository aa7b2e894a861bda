package io.timbre.datasets;

import java.util.Locale;
import java.util.Set;

/** File-name rules shared by the readers. */
public final class LayoutFiles {
  private static final Set<String> DOC_EXTENSIONS = Set.of("txt", "pdf", "md", "html", "htm", "rtf", "doc",
      "docx");

  private LayoutFiles() {}

  /**
   * Documentation and OS litter that datasets ship next to the data (ReadMe.txt, the description PDF, .DS_Store,
   * Thumbs.db, desktop.ini): listed nowhere, quarantined never. Only used where the layout has no data files with
   * these extensions.
   */
  public static boolean isDocumentationOrLitter(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.equals(".ds_store") || lower.equals("thumbs.db") || lower.equals("desktop.ini")
        || lower.startsWith("._")) {
      return true;
    }
    if (lower.startsWith("readme") || lower.startsWith("license") || lower.startsWith("licence")) {
      return true;
    }
    int dot = lower.lastIndexOf('.');
    return dot > 0 && DOC_EXTENSIONS.contains(lower.substring(dot + 1)) && !lower.matches(".*-\\d+\\.txt");
  }

  public static boolean hasExtension(String name, String ext) {
    return name.toLowerCase(Locale.ROOT).endsWith("." + ext);
  }

  public static String stem(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }
}
