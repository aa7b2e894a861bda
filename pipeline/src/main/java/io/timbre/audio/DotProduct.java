package io.timbre.audio;


/** Σ a[ao+k]·b[bo+k] for k < len: the resampler's inner loop, scalar or SIMD. */
interface DotProduct {
  float dot(float[] a, int ao, float[] b, int bo, int len);

  /** The SIMD version when the Vector API is enabled (see FeatureExtractor's kernel), else the scalar one. */
  static DotProduct best() {
    if (vectorApi()) {
      try {
        return (DotProduct) Class.forName("io.timbre.audio.VectorDotProduct").getDeclaredConstructor()
            .newInstance();
      } catch (ReflectiveOperationException | LinkageError e) {
        return new ScalarDotProduct();
      }
    }
    return new ScalarDotProduct();
  }

  /** Whether the JVM was started with the Vector API and SIMD is not switched off ({@code -Dtimbre.simd=false}). */
  static boolean vectorApi() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
        && !"false".equalsIgnoreCase(System.getProperty("timbre.simd"));
  }
}
