package io.timbre.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * Network families. {@code cnn} works on log-mel patches as images (Han et al. 2017); {@code lstm}/{@code bilstm}
 * on frame sequences; {@code crnn} puts a convolutional front end (1-D convolutions over time, mel bands as input
 * channels, so the time resolution frame-level heads need is kept) before a bidirectional recurrent layer; {@code drnn}
 * is Huang et al.'s deep recurrent separation network with its joint soft mask (a ComputationGraph); {@code
 * frame_lstm} is the stacked LSTM or GRU that predicts the next STFT frame (GRUV, Nayebi &amp; Vitelli 2015; Glover).
 */
public enum Architecture {
  CNN("cnn"),
  LSTM("lstm"),
  BILSTM("bilstm"),
  CRNN("crnn"),
  DRNN("drnn"),
  FRAME_LSTM("frame_lstm");

  private final String key;

  Architecture(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }

  /** Whether the network consumes frame sequences ([batch, bins, time]) rather than images. */
  public boolean recurrent() {
    return this != CNN;
  }

  public static Architecture parse(String s) {
    for (Architecture a : values()) {
      if (a.key.equals(s.toLowerCase(Locale.ROOT))) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown architecture '" + s + "' (known: "
        + String.join(", ", Arrays.stream(values()).map(Architecture::key).toList()) + ")");
  }
}
