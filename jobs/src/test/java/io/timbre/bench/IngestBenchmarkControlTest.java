package io.timbre.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.timbre.datasets.ClipRef;
import io.timbre.datasets.DatasetRoot;
import io.timbre.datasets.catalog.Datasets;
import io.timbre.features.FeatureSpec;
import io.timbre.featurize.ClipFeaturizer;
import io.timbre.featurize.FrameTargets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingest benchmark's no-Spark control and its CPU confinement: the parts its scaling figures rest on. */
class IngestBenchmarkControlTest {
  @TempDir
  Path work;

  @Test
  void controlFeaturisesEveryClipOnceWhateverTheThreadCount() throws Exception {
    IngestBenchmark b = new IngestBenchmark(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    Path dataset = b.dataset(work, 0.01, 3.0);
    List<ClipRef> clips = Datasets.reader("irmas", 0.0, 0.0, 0)
        .read(DatasetRoot.open(dataset.toString(), new Configuration())).clips();
    FeatureSpec spec = FeatureSpec.defaults();
    double expected = 0;
    ClipFeaturizer f = new ClipFeaturizer(spec, FrameTargets.of(clips), new Configuration());
    for (ClipRef c : clips) {
      expected += f.featurize(c).durationSec();
    }
    assertTrue(clips.size() >= 12, "clips: " + clips.size());
    for (int threads : new int[] {1, 2, 3}) {
      double[] r = b.control(threads, clips, spec);
      assertTrue(r[0] > 0, "wall seconds");
      assertEquals(expected / 3600, r[1], 1e-9, threads + " thread(s): every clip exactly once");
    }
  }

  @Test
  void confineLimitsTheWholeJvmAndReleaseRestoresIt() {
    assumeTrue(CpuAffinity.available(), "taskset not available here");
    int cpus = Runtime.getRuntime().availableProcessors();
    String all = allowedCpus();
    try {
      CpuAffinity.confine(1);
      assertEquals("0", allowedCpus(), "this thread");
      // Threads started later inherit the mask.
      String[] seen = new String[1];
      Thread t = new Thread(() -> seen[0] = allowedCpus());
      t.start();
      t.join();
      assertEquals("0", seen[0], "a thread started after confine");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      CpuAffinity.release(cpus);
    }
    assertEquals(all, allowedCpus());
  }

  /** Cpus_allowed_list of the calling thread (Linux). */
  private static String allowedCpus() {
    try {
      return java.nio.file.Files.readAllLines(Path.of("/proc/thread-self/status")).stream()
          .filter(l -> l.startsWith("Cpus_allowed_list:")).map(l -> l.substring(l.indexOf(':') + 1).strip())
          .findFirst().orElseThrow();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
