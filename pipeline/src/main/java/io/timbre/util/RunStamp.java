package io.timbre.util;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The one time stamp in the names Timbre gives runs, table versions, tuning sessions, prediction runs and promotion
 * records: UTC to the millisecond, digits only around the {@code T}, so names sort by time as plain strings on every
 * file system and object store.
 */
public final class RunStamp {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

  private RunStamp() {}

  public static String of(Instant t) {
    return FORMAT.format(t);
  }

  public static String now() {
    return of(Instant.now());
  }

  /** The instant a stamp written by {@link #of} names. */
  public static Instant parse(String stamp) {
    return Instant.from(FORMAT.parse(stamp));
  }
}
