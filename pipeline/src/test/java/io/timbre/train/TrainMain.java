package io.timbre.train;

import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** A training driver in its own JVM, for the kill-and-resume test: args = table, experiment file, runs root, run id. */
public final class TrainMain {
  private TrainMain() {}

  public static void main(String[] args) {
    Experiment ex = Experiment.parse(ConfigFactory.parseFile(new File(args[1])).resolve(), args[1]);
    try (SparkSession spark = io.timbre.spark.Sessions.create("train-main", "local[2]",
        Map.of("spark.sql.shuffle.partitions", "2"))) {
      Trainer.run(spark, new TrainRequest(args[0], ex, args[2], args[3], false));
    }
  }
}
