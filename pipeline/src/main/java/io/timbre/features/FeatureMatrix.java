package io.timbre.features;


/**
 * A frames × bins feature array, row-major (frame t, bin b at {@code values[t * bins + b]}): librosa's output
 * transposed, which is the layout the feature tables store and the networks read.
 *
 * <p>The array is owned by this value and not copied (feature arrays are large); callers must not modify it.
 */
public record FeatureMatrix(int frames, int bins, double[] values) {
  public FeatureMatrix {
    if (frames < 0 || bins <= 0 || (long) frames * bins != values.length) {
      throw new IllegalArgumentException("Cannot create feature matrix: " + frames + " × " + bins + " for "
          + values.length + " values");
    }
  }

  public double get(int frame, int bin) {
    return values[frame * bins + bin];
  }

  /** A copy as float32, the feature tables' storage type. */
  public float[] toFloatArray() {
    float[] f = new float[values.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) values[i];
    }
    return f;
  }
}
