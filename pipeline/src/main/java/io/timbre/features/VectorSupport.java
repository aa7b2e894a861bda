package io.timbre.features;

import java.lang.reflect.Constructor;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds out once whether the JDK's incubating Vector API is usable, and builds the SIMD kernel reflectively so that no
 * class referring to {@code jdk.incubator.vector} is loaded on a JVM started without it.
 */
final class VectorSupport {
  private static final Logger LOG = LoggerFactory.getLogger(VectorSupport.class);
  private static final boolean AVAILABLE = detect();

  private VectorSupport() {}

  static boolean available() {
    return AVAILABLE;
  }

  private static boolean detect() {
    Optional<Module> m = ModuleLayer.boot().findModule("jdk.incubator.vector");
    if (m.isEmpty()) {
      LOG.info("Vector API not enabled (start the JVM with --add-modules=jdk.incubator.vector for ~2x faster "
          + "features); using the scalar STFT");
      return false;
    }
    return true;
  }

  static SpectraKernel newVectorSpectra(FeatureSpec spec, double[] window) {
    try {
      Class<?> c = Class.forName("io.timbre.features.VectorSpectra");
      Constructor<?> k = c.getDeclaredConstructor(FeatureSpec.class, double[].class);
      return (SpectraKernel) k.newInstance(spec, window);
    } catch (ReflectiveOperationException | LinkageError e) {
      LOG.warn("Vector API present but unusable ({}); using the scalar STFT", e.toString());
      return new ScalarSpectra(spec, window);
    }
  }
}
