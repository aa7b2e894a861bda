package io.timbre.jobs;

import io.timbre.datasets.DatasetListing;
import io.timbre.datasets.DatasetRoot;
import io.timbre.datasets.catalog.Datasets;
import io.timbre.sampledata.SampleData;
import io.timbre.sampledata.SampleManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code timbre make-sample-data}: a small dataset in a real dataset's layout, with learnable audio. */
@Command(
    name = "make-sample-data",
    mixinStandardHelpOptions = true,
    description = "Write a small dataset in the real layout and annotation formats of IRMAS, IDMT-SMT-*, or "
        + "MedleyDB, with synthetic audio a model can learn from; then read it back and print its summary.")
final class MakeSampleDataCommand implements Callable<Integer> {
  @Spec CommandSpec cli;

  @Option(names = "--dataset", required = true, paramLabel = "NAME",
      description = "irmas, idmt-effects, idmt-drums, idmt-guitar, idmt-bass, idmt-bass-single-track, medleydb.")
  String dataset;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Local folder to write (created; "
      + "must be empty or absent).")
  Path out;

  @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--clips-per-class", defaultValue = "20", paramLabel = "N", description = "irmas: clips per "
      + "instrument; idmt-effects: clean notes per subset (x33 variants); idmt-drums: mixes per kit; idmt-guitar: "
      + "notes per guitar; idmt-bass: notes per technique; medleydb, idmt-bass-single-track: tracks "
      + "(default ${DEFAULT-VALUE}).")
  int perClass;

  @Override
  public Integer call() throws Exception {
    if (!Datasets.NAMES.contains(dataset)) {
      throw new IllegalArgumentException("unknown dataset '" + dataset + "' (" + String.join(", ", Datasets.NAMES)
          + ")");
    }
    if (Files.exists(out)) {
      try (var s = Files.list(out)) {
        if (s.findAny().isPresent()) {
          throw new IllegalArgumentException("--out " + out + " is not empty; refusing to mix datasets");
        }
      }
    }
    long t0 = System.nanoTime();
    SampleManifest m = SampleData.generate(dataset, out, seed, perClass);
    double seconds = (System.nanoTime() - t0) / 1e9;
    DatasetListing listing = Datasets.reader(dataset, 0.0, 0.0, seed)
        .read(DatasetRoot.open(out.toAbsolutePath().toString(), new Configuration()));
    var w = cli.commandLine().getOut();
    w.printf("wrote %d %s clips to %s in %.1f s%n", m.entries().size(), dataset, out, seconds);
    w.print(listing.summary());
    w.flush();
    return listing.clips().size() == m.entries().size() && listing.quarantine().isEmpty() ? 0 : 1;
  }
}
