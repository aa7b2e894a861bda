package io.timbre.eval;

import java.io.Serializable;
import java.util.List;

/**
 * One evaluated track of a separation run: per source, BSS Eval of the model's estimate, of the ideal ratio mask's
 * (the best a magnitude mask can do) and of the mixture itself (the baseline NSDR is measured from).
 *
 * @param seconds the track's length, the weight of its NSDR in GNSDR
 * @param degenerate why the track could not be scored (a silent reference source), or null
 */
public record SeparationScores(String clipId, double seconds, List<Source> sources, String degenerate)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public SeparationScores {
    sources = List.copyOf(sources);
  }

  /** One source of one track; NaN figures where the track is degenerate. */
  public record Source(String name, BssEval.SourceScores model, BssEval.SourceScores idealMask,
      BssEval.SourceScores mixture) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** SDR improvement over the mixture (Huang et al.'s NSDR). */
    public double nsdr() {
      return model.sdr() - mixture.sdr();
    }

    public double idealNsdr() {
      return idealMask.sdr() - mixture.sdr();
    }
  }

  public boolean scored() {
    return degenerate == null;
  }
}
