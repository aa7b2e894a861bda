package io.timbre.eval;

/**
 * A square system's LU factorisation with partial pivoting (LAPACK's {@code getrf}/{@code getrs}, which numpy's
 * {@code linalg.solve} calls), factored once and solved for many right-hand sides: BSS Eval solves the same Gram
 * matrix for every estimate of a track.
 */
final class LuSolver {
  private final double[][] lu;
  private final int[] pivot;

  private LuSolver(double[][] lu, int[] pivot) {
    this.lu = lu;
    this.pivot = pivot;
  }

  /** Thrown where a pivot is exactly 0, as LAPACK reports a singular matrix. */
  static final class SingularMatrixException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SingularMatrixException(String message) {
      super(message);
    }
  }

  /**
   * Factors {@code a} in place (its rows are reused).
   *
   * @param what names the matrix in the exception when it is singular
   */
  static LuSolver factor(double[][] a, String what) {
    int n = a.length;
    int[] pivot = new int[n];
    for (int k = 0; k < n; k++) {
      int p = k;
      double max = Math.abs(a[k][k]);
      for (int i = k + 1; i < n; i++) {
        double v = Math.abs(a[i][k]);
        if (v > max) {
          max = v;
          p = i;
        }
      }
      pivot[k] = p;
      if (max == 0) {
        throw new SingularMatrixException("the Gram matrix of " + what + " is singular (column " + k + ")");
      }
      if (p != k) {
        double[] row = a[p];
        a[p] = a[k];
        a[k] = row;
      }
      double[] rowK = a[k];
      double inv = 1 / rowK[k];
      for (int i = k + 1; i < n; i++) {
        double[] rowI = a[i];
        double l = rowI[k] * inv;
        rowI[k] = l;
        if (l != 0) {
          for (int j = k + 1; j < n; j++) {
            rowI[j] -= l * rowK[j];
          }
        }
      }
    }
    return new LuSolver(a, pivot);
  }

  /** x with A·x = b; {@code b} is not modified. */
  double[] solve(double[] b) {
    int n = lu.length;
    double[] x = b.clone();
    for (int k = 0; k < n; k++) {
      int p = pivot[k];
      if (p != k) {
        double t = x[p];
        x[p] = x[k];
        x[k] = t;
      }
    }
    for (int i = 1; i < n; i++) {
      double[] row = lu[i];
      double s = x[i];
      for (int j = 0; j < i; j++) {
        s -= row[j] * x[j];
      }
      x[i] = s;
    }
    for (int i = n - 1; i >= 0; i--) {
      double[] row = lu[i];
      double s = x[i];
      for (int j = i + 1; j < n; j++) {
        s -= row[j] * x[j];
      }
      x[i] = s / row[i];
    }
    return x;
  }
}
