package io.timbre.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {
  static SearchSpace space(String params) {
    return SearchSpace.parse(ConfigFactory.parseString("search { trials = 5, seed = 3, params { " + params + " } }"),
        "test");
  }

  @Test
  void trialsAreSeededInRangeAndTyped() {
    SearchSpace s = space("""
        "model.learning_rate" { log_uniform = [1e-4, 1e-2] }
        "model.dropout" { uniform = [0.1, 0.5] }
        "model.dense_units" { uniform = [16, 128] }
        "model.conv_channels" { choice = [[8, 16], [16, 32]] }
        """);
    for (int k = 0; k < 50; k++) {
      Map<String, Object> t = s.trial(k);
      assertThat(t).isEqualTo(s.trial(k));
      assertThat((Double) t.get("model.learning_rate")).isBetween(1e-4, 1e-2);
      assertThat((Double) t.get("model.dropout")).isBetween(0.1, 0.5);
      assertThat((Integer) t.get("model.dense_units")).isBetween(16, 128);
      assertThat(t.get("model.conv_channels")).isIn(List.of(8, 16), List.of(16, 32));
    }
    assertThat(s.trial(0)).isNotEqualTo(s.trial(1));
  }

  @Test
  void aTrialIsAValidExperiment() {
    Experiment ex = Experiment.parse(ConfigFactory.parseString("""
        name = t
        search { params { "model.dropout" { uniform = [0.1, 0.2] }, "train.epochs" { choice = [2, 3] } } }
        """), "test");
    Experiment trial = ex.with(ex.search().trial(0), "");
    assertThat(trial.model().dropout()).isBetween(0.1, 0.2);
    assertThat(trial.train().epochs()).isIn(2, 3);
    assertThat(trial.fingerprint()).isNotEqualTo(ex.fingerprint());
  }

  @Test
  void badRangesNameTheParameter() {
    assertThatThrownBy(() -> space("\"model.dropout\" { uniform = [0.5, 0.1] }")).hasMessageContaining("model.dropout");
    assertThatThrownBy(() -> space("\"model.learning_rate\" { log_uniform = [0, 1] }"))
        .hasMessageContaining("lo > 0");
    assertThatThrownBy(() -> space("\"lr\" { uniform = [0, 1] }")).hasMessageContaining("must start with model.");
    assertThatThrownBy(() -> space("\"model.l2\" { normal = [0, 1] }")).hasMessageContaining("unknown distribution");
  }
}
