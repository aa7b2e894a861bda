package io.timbre.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.timbre.model.Task;
import io.timbre.registry.PromotionPolicy;
import io.timbre.train.TrainSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One vocabulary: early stopping and promotion accept the same names and agree on their direction. */
class MetricTest {
  private static TrainSpec train(Task task, String metric) {
    return TrainSpec.parse(ConfigFactory.parseString("train.early_stopping.metric = \"" + metric + "\""),
        "test.conf", task);
  }

  @ParameterizedTest
  @EnumSource(Task.class)
  void everyNameEarlyStoppingTakesPromotionTakesWithTheSameDirection(Task task) {
    for (String name : Metric.validationNames(task)) {
      TrainSpec ts = train(task, name);
      Metric m = Metric.find(name, task).orElseThrow();
      assertThat(ts.higherIsBetter()).as(name).isEqualTo(m.higherIsBetter());
      if (m.path().isPresent()) {
        String path = new PromotionPolicy(name, 0).metricFor(task);
        assertThat(path).as(name).isEqualTo(m.path().get());
        assertThat(PromotionPolicy.higherIsBetter(path)).as(name).isEqualTo(m.higherIsBetter());
      } else {
        assertThatThrownBy(() -> Metric.evaluationPath(name, task)).as(name)
            .hasMessageContaining("validation split only");
      }
    }
  }

  @Test
  void anEvaluationPathNamesTheSameEarlyStoppingMetricAsItsValidationName() {
    assertThat(train(Task.SINGLE_LABEL, "single_label.accuracy").metric()).isEqualTo("clip_accuracy");
    assertThat(train(Task.MULTI_LABEL, "multi_label.s1.micro_f1").metric()).isEqualTo("micro_f1");
    assertThat(train(Task.ONSET, "onset.f_measure").metric()).isEqualTo("onset_f1");
    assertThat(train(Task.MELODY, "melody.mean.overall_accuracy").metric()).isEqualTo("overall_accuracy");
    assertThat(new PromotionPolicy("clip_accuracy", 0).metricFor(Task.SINGLE_LABEL))
        .isEqualTo("single_label.accuracy");
    assertThat(new PromotionPolicy("onset_f1", 0).metricFor(Task.ONSET)).isEqualTo("onset.f_measure");
  }

  @Test
  void directionsAreThoseOfTheReferenceDefinitions() {
    assertThat(Metric.higherIsBetter("val_loss")).isFalse();
    assertThat(Metric.higherIsBetter("melody.mean.voicing_false_alarm")).isFalse();
    assertThat(Metric.higherIsBetter("voicing_false_alarm")).isFalse();
    assertThat(Metric.higherIsBetter("single_label.top_3_accuracy")).isTrue();
    assertThat(Metric.higherIsBetter("multi_label.roc_auc.cel")).isTrue();
    assertThat(Metric.higherIsBetter("multi_label.lrap")).isTrue();
    assertThatThrownBy(() -> Metric.higherIsBetter("clips")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'clips'");
  }

  @Test
  void theMelodyHeadlineIsAPathTheEvaluationWrites() {
    // FrameLevelReport.melody writes the per-track means under "mean".
    assertThat(PromotionPolicy.defaultMetric(Task.MELODY)).isEqualTo("melody.mean.overall_accuracy");
    assertThat(PromotionPolicy.defaultMetric(Task.SINGLE_LABEL)).isEqualTo("single_label.accuracy");
  }

  @Test
  void aNameOfAnotherTaskIsRefusedListingTheTasksNames() {
    assertThatThrownBy(() -> train(Task.ONSET, "clip_accuracy")).hasMessageContaining("onset_f1")
        .hasMessageContaining("is not a validation metric of task onset");
    assertThatThrownBy(() -> train(Task.MULTI_LABEL, "example_accuracy"))
        .hasMessageContaining("is not a validation metric");
  }
}
