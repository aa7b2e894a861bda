package io.timbre.util;

import java.util.Arrays;
import java.util.stream.Collectors;

/** An enum constant with a stable external id (its value in JSON, HOCON and on the command line). */
public interface Identified {
  /** The external id. */
  String id();

  /**
   * The constant of {@code type} whose id (or Java name) equals {@code id}, ignoring case.
   *
   * @param what what the value is, for the error message ("feature kind", "window", …)
   * @throws IllegalArgumentException naming the value and the accepted ids
   */
  static <E extends Enum<E> & Identified> E parse(Class<E> type, String id, String what) {
    for (E e : type.getEnumConstants()) {
      if (e.id().equalsIgnoreCase(id) || e.name().equalsIgnoreCase(id)) {
        return e;
      }
    }
    throw new IllegalArgumentException("Unknown " + what + " '" + id + "' ("
        + Arrays.stream(type.getEnumConstants()).map(Identified::id).collect(Collectors.joining(", ")) + ")");
  }
}
