package org.nd4j.nativeblas;

import java.lang.reflect.Method;

/**
 * Workaround for Deeplearning4j 1.0.0-M2.1: {@code BaseMKLDNNHelper.mklDnnEnabled()}, which every oneDNN layer helper
 * (convolution, batch normalisation, pooling, LRN) asks before it is used, looks up
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment}; ND4J M2.1 ships that class as
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment}. The lookup fails, the check caches the failure,
 * and DL4J silently runs its slower built-in layer code even where libnd4j was built with oneDNN. This class answers
 * the lookup under the old name with the real environment's {@code isUseONEDNN()}.
 *
 * <p>Only DL4J's helper check uses it; {@code io.timbre.backend.LayerHelpers} turns the helpers on and reports whether
 * they are engaged. Remove it when Timbre moves to a DL4J release whose check finds the class.
 */
public final class Nd4jCpu {
  private Nd4jCpu() {}

  /** The part of the environment the helper check calls, by reflection: {@code getInstance().isUseMKLDNN()}. */
  public static final class Environment {
    private static final String REAL = "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment";
    private static final Environment INSTANCE = new Environment();

    private Environment() {}

    public static Environment getInstance() {
      return INSTANCE;
    }

    /** Whether the CPU backend uses oneDNN; false on any other backend (CUDA has no such class). */
    public boolean isUseMKLDNN() {
      try {
        Class<?> real = Class.forName(REAL, true, Nd4jCpu.class.getClassLoader());
        Object env = real.getMethod("getInstance").invoke(null);
        Method use = real.getMethod("isUseONEDNN");
        return (Boolean) use.invoke(env);
      } catch (ReflectiveOperationException | LinkageError e) {
        return false;
      }
    }
  }
}
