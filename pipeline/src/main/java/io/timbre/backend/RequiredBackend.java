package io.timbre.backend;

import io.timbre.exceptions.TimbreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --require-backend cuda}: a job that asked for GPUs refuses to start unless ND4J loaded that backend on every
 * executor — where DL4J's workers fit — instead of training on CPUs while GPUs are billed. The driver only averages
 * parameters; it must have the backend too when it was given a GPU ({@code spark.driver.resource.gpu.amount}, as the
 * EMR doctor step does), and for {@code cpu}. A YARN cluster-mode driver without a GPU sees no device, and ND4J
 * rightly gives it the CPU backend.
 */
public final class RequiredBackend {
  private static final Logger LOG = LoggerFactory.getLogger(RequiredBackend.class);
  public static final List<String> NAMES = List.of("cpu", "cuda");

  private RequiredBackend() {}

  /** Thrown when a JVM of the application runs another backend than the one required. */
  public static final class BackendUnavailableException extends TimbreException {
    private static final long serialVersionUID = 1L;
    private final transient List<BackendReport> offending;

    BackendUnavailableException(String message, List<BackendReport> offending) {
      super(message);
      this.offending = List.copyOf(offending);
    }

    public List<BackendReport> offending() {
      return offending;
    }
  }

  /**
   * @param required {@code cpu} or {@code cuda} (case-insensitive); null or empty: nothing required
   * @return the reports of the driver and every executor
   * @throws BackendUnavailableException naming each JVM with another backend and the reason CUDA did not load
   */
  public static List<BackendReport> check(String required, JavaSparkContext sc) {
    List<BackendReport> all = new ArrayList<>();
    all.add(BackendProbe.here("driver"));
    if (required == null || required.isBlank()) {
      return all;
    }
    String want = required.toLowerCase(Locale.ROOT);
    if (!NAMES.contains(want)) {
      throw new IllegalArgumentException("Cannot require ND4J backend '" + required + "': expected one of " + NAMES);
    }
    all.addAll(BackendProbe.executors(sc));
    boolean driverNeedsIt = want.equals("cpu") || sc.getConf().getDouble("spark.driver.resource.gpu.amount", 0) > 0;
    List<BackendReport> offending = all.stream()
        .filter(r -> !r.is(want) && (driverNeedsIt || !r.role().equals("driver"))).toList();
    all.forEach(r -> LOG.info("ND4J backend: {}", r.summary()));
    if (!offending.isEmpty()) {
      StringBuilder m = new StringBuilder("Cannot start: --require-backend " + want + ", but ND4J loaded another "
          + "backend in " + offending.size() + " of " + all.size() + " JVMs:");
      offending.forEach(r -> m.append("\n  ").append(r.summary()));
      throw new BackendUnavailableException(m.toString(), offending);
    }
    return all;
  }
}
