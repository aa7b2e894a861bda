package io.timbre.datasets;

import java.io.Serializable;

/**
 * A file that could not become a clip, and why. Readers and jobs never throw for one bad file and never drop one
 * silently: every problem is one of these, written to the table's {@code quarantine} folder.
 *
 * @param path the file's full path
 * @param dataset the dataset name
 * @param stage where it failed
 * @param errorClass a short, countable class of error (e.g. the {@code AudioFileException} reason, or
 *     {@code UnknownLabel})
 * @param message what exactly was wrong, naming the file and the field
 */
public record QuarantineRecord(String path, String dataset, Stage stage, String errorClass, String message)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Where in the pipeline a file failed. */
  public enum Stage {
    /** Found while listing: not a file the layout allows (wrong name, stray file, missing counterpart). */
    LIST,
    /** The label or annotation file is missing, unreadable or names unknown codes. */
    ANNOTATE,
    /** The audio header is unreadable, or wrong for the dataset (sample rate, encoding). */
    DECODE,
    /** Feature computation failed. */
    FEATURE
  }
}
