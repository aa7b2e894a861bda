package io.timbre.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbre.model.ModelProvenance;
import io.timbre.model.Networks;
import io.timbre.table.TableInfo;
import io.timbre.util.Versions;
import java.io.IOException;
import java.time.Instant;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.api.Model;

/** The {@link ModelProvenance} of a run that has just finished training. */
final class ModelProvenanceBuilder {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelProvenanceBuilder() {}

  static ModelProvenance of(SparkSession spark, Experiment ex, TableInfo table, TrainingState state,
      TrainingExamples examples, Model net) throws IOException {
    String layout = switch (ex.model().architecture()) {
      case CNN -> "[batch, 1, frames, bins]";
      case DRNN -> "[batch, 2 x bins (features, mixture magnitude), steps]";
      default -> "[batch, bins, steps]";
    };
    return new ModelProvenance(state.runId(), ex.name(), ex.model().task(), ex.model().architecture().key(),
        Instant.now().toString(), state.startedAt(), ModelProvenance.TrainedOn.of(table),
        (ObjectNode) JSON.valueToTree(ex.resolved()), (ObjectNode) JSON.readTree(ex.configJson()), ex.origin(),
        ex.fingerprint(), ex.train().seed(), Versions.all(spark.version()), Trainer.labels(ex, table),
        table.vocabulary(), new ModelProvenance.InputLayout(layout, examples.encoder.chunkLength(), examples.bins,
            examples.encoder.outputs()), examples.normalizer,
        new ModelProvenance.Best(state.best().epoch(), ex.train().metric(), state.best().metric(),
            state.best().metrics()),
        state.epoch(), state.stoppedEarly(), state.resumedAtEpochs(), net.numParams(),
        Networks.describe(net));
  }
}
