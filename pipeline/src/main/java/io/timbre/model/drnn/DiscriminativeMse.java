package io.timbre.model.drnn;

import static io.timbre.util.Checks.check;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Huang et al.'s discriminative training objective (TASLP 2015, eq. 9) for {@code sources} estimates stacked
 * source-major in each row: per example (1 / (sources × bins)) · Σᵢ (‖ŷᵢ − yᵢ‖² − γ Σⱼ≠ᵢ ‖ŷᵢ − yⱼ‖²), which
 * rewards an estimate for being far from the other sources as well as close to its own. With γ = 0 it is DL4J's
 * {@code LossMSE} (mean squared error over the outputs); the paper uses γ between 0.01 and 0.1. Rows are masked
 * per example (recurrent time steps) as DL4J's losses do.
 */
public final class DiscriminativeMse implements ILossFunction {
  private static final long serialVersionUID = 1L;

  private final int sources;
  private final double gamma;

  public DiscriminativeMse(@JsonProperty("sources") int sources, @JsonProperty("gamma") double gamma) {
    check(sources >= 1, "Cannot build loss: sources must be >= 1: %s", sources);
    check(gamma >= 0 && gamma < 1.0 / Math.max(1, sources - 1),
        "Cannot build loss: discriminative gamma must be in [0, 1/(sources-1)) so the loss stays bounded below: %s",
        gamma);
    this.sources = sources;
    this.gamma = gamma;
  }

  @JsonProperty("sources")
  public int sources() {
    return sources;
  }

  @JsonProperty("gamma")
  public double gamma() {
    return gamma;
  }

  /** Per example (row) scores, before averaging; masked rows score 0. */
  @Override
  public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation fn, INDArray mask) {
    INDArray out = fn.getActivation(preOutput.dup(), true);
    long n = out.size(1);
    long bins = n / sources;
    check(labels.size(1) == n && bins * sources == n, "Cannot score: %s outputs, %s labels, %s sources", n,
        labels.size(1), sources);
    INDArray score = out.sub(labels).muli(out.sub(labels)).sum(1);
    if (gamma > 0) {
      for (int i = 0; i < sources; i++) {
        INDArray oi = block(out, i, bins);
        for (int j = 0; j < sources; j++) {
          if (j != i) {
            INDArray diff = oi.sub(block(labels, j, bins));
            score.subi(diff.muli(diff).sum(1).muli(gamma));
          }
        }
      }
    }
    score.divi(n);
    if (mask != null) {
      score.muli(mask.reshape(mask.length()).castTo(score.dataType()));
    }
    return score.reshape(score.length(), 1);
  }

  @Override
  public double computeScore(INDArray labels, INDArray preOutput, IActivation fn, INDArray mask, boolean average) {
    double sum = computeScoreArray(labels, preOutput, fn, mask).sumNumber().doubleValue();
    return average ? sum / preOutput.size(0) : sum;
  }

  /** ∂/∂ŷᵢ = (2 / n) · ((1 − γ(S−1)) ŷᵢ − yᵢ + γ Σⱼ≠ᵢ yⱼ), then through the activation. */
  @Override
  public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation fn, INDArray mask) {
    INDArray out = fn.getActivation(preOutput.dup(), true);
    long n = out.size(1);
    long bins = n / sources;
    INDArray dOut = out.sub(labels);
    if (gamma > 0) {
      INDArray labelSum = block(labels, 0, bins).dup();
      for (int j = 1; j < sources; j++) {
        labelSum.addi(block(labels, j, bins));
      }
      for (int i = 0; i < sources; i++) {
        INDArray others = labelSum.sub(block(labels, i, bins));
        block(dOut, i, bins).subi(block(out, i, bins).mul(gamma * (sources - 1)).subi(others.muli(gamma)));
      }
    }
    dOut.muli(2.0 / n);
    INDArray grad = fn.backprop(preOutput.dup(), dOut).getFirst();
    if (mask != null) {
      grad.muliColumnVector(mask.reshape(mask.length(), 1).castTo(grad.dataType()));
    }
    return grad;
  }

  @Override
  public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation fn,
      INDArray mask, boolean average) {
    return new Pair<>(computeScore(labels, preOutput, fn, mask, average),
        computeGradient(labels, preOutput, fn, mask));
  }

  private static INDArray block(INDArray rows, int source, long bins) {
    return rows.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
        org.nd4j.linalg.indexing.NDArrayIndex.interval(source * bins, (source + 1) * bins));
  }

  @Override
  public String name() {
    return "DiscriminativeMse(sources=" + sources + ", gamma=" + gamma + ")";
  }

  @Override
  public String toString() {
    return name();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DiscriminativeMse d && d.sources == sources && d.gamma == gamma;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(gamma) * 31 + sources;
  }
}
