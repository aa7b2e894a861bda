package io.timbre.jobs;

import io.timbre.datasets.DatasetListing;
import io.timbre.datasets.DatasetRoot;
import io.timbre.datasets.QuarantineRecord;
import io.timbre.datasets.catalog.Datasets;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code timbre list-dataset}: what a reader finds under a dataset root (local or s3a://), and what it refuses. */
@Command(
    name = "list-dataset",
    mixinStandardHelpOptions = true,
    description = "Read a dataset in its own layout (local path or any Hadoop URI such as s3a://bucket/irmas) and "
        + "print clips per split and label, and every quarantined file with its reason.")
final class ListDatasetCommand implements Callable<Integer> {
  @Spec CommandSpec cli;

  @Option(names = "--dataset", required = true, paramLabel = "NAME", description = "Dataset name.")
  String dataset;

  @Option(names = "--input", required = true, paramLabel = "ROOT", description = "Dataset root.")
  String input;

  @Option(names = "--validation", defaultValue = "0.15", description = "Share of groups for validation "
      + "(default ${DEFAULT-VALUE}).")
  double validation;

  @Option(names = "--test", defaultValue = "0.15", description = "Share of groups for test where there is no "
      + "official split (default ${DEFAULT-VALUE}).")
  double test;

  @Option(names = "--seed", defaultValue = "0", description = "Split seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Mixin HadoopOptions hadoopOptions;

  @Override
  public Integer call() {
    Configuration conf = hadoopOptions.configuration();
    DatasetListing listing = Datasets.reader(dataset, validation, test, seed).read(DatasetRoot.open(input, conf));
    var w = cli.commandLine().getOut();
    w.print(listing.summary());
    for (QuarantineRecord q : listing.quarantine()) {
      w.printf("  quarantined [%s/%s] %s%n", q.stage(), q.errorClass(), ConsoleLine.escape(q.message()));
    }
    w.flush();
    return 0;
  }
}
