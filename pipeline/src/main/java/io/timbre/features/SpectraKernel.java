package io.timbre.features;


/**
 * The per-frame numeric work of feature extraction: |STFT|^power frames — optionally projected straight onto a mel
 * filterbank — a batch of frames at a time, the dB conversion and the DCT.
 *
 * <p>Two implementations: {@link ScalarSpectra} (JTransforms, one frame at a time; any even n_fft) and
 * {@code VectorSpectra} (the JDK's Vector API, SIMD across frames; power-of-two n_fft), chosen by
 * {@link #create(FeatureSpec, double[])}. Both follow the same conventions and agree to ~1e-12 relative.
 */
interface SpectraKernel {
  /** Frames processed per call to {@link #compute}. */
  int batch();

  /**
   * Computes frames f = 0 … count−1, whose n_fft windowed samples start at {@code src[f][off[f]]}, writing frame f's
   * spectrum (n_fft/2+1 bins), or its mel projection when {@code mel} is non-null, to
   * {@code out[(row0 + f) * stride …]}.
   */
  void compute(float[][] src, int[] off, int count, MelFilterbank mel, double[] out, int row0, int stride);

  /**
   * power_to_db (or amplitude_to_db) in place over {@code values[from, to)}, as {@link Decibels#toDb}; returns the
   * maximum dB value of the range.
   */
  double toDb(double[] values, int from, int to, double ref, double amin, boolean amplitude);

  /** The DCT of {@code frames} rows of {@code in} (row stride {@code inStride}) into rows of {@code out}. */
  void dct(Dct dct, double[] in, int frames, int inStride, double[] out, int outStride);

  /** System property that turns the SIMD kernel off ({@code -Dtimbre.simd=false}), e.g. to compare the two. */
  String SIMD_PROPERTY = "timbre.simd";

  /**
   * The fastest kernel this JVM supports for the spec: SIMD when the {@code jdk.incubator.vector} module is present
   * (the launcher and the build add it; on a cluster add {@code --add-modules=jdk.incubator.vector} to the driver and
   * executor Java options) and n_fft is a power of two, else the scalar one.
   */
  static SpectraKernel create(FeatureSpec spec, double[] window) {
    if (VectorSupport.available() && Integer.bitCount(spec.nFft()) == 1 && spec.nFft() >= 16
        && !"false".equalsIgnoreCase(System.getProperty(SIMD_PROPERTY))) {
      return VectorSupport.newVectorSpectra(spec, window);
    }
    return new ScalarSpectra(spec, window);
  }
}
