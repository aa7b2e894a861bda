package io.timbre.backend;

import java.io.Serializable;
import java.util.Map;

/**
 * Which ND4J backend one JVM loaded, and why CUDA did not load where it did not.
 *
 * @param role {@code driver} or {@code executor <id>}
 * @param backend ND4J's own name for it: {@code CPU} or {@code CUDA}
 * @param details ND4J's environment information (BLAS vendor and threads, OpenMP threads, CUDA devices…) and its
 *     native build flags
 * @param cudaProblem why the CUDA backend is not in use, or null when it is
 */
public record BackendReport(String role, String host, String backend, String backendClass, Map<String, String> details,
    String cudaProblem) implements Serializable {
  private static final long serialVersionUID = 1L;

  public boolean is(String name) {
    return backend.equalsIgnoreCase(name);
  }

  /** One line for logs and error messages. */
  public String summary() {
    return role + " on " + host + ": " + backend + (cudaProblem == null ? "" : " (CUDA: " + cudaProblem + ")");
  }
}
