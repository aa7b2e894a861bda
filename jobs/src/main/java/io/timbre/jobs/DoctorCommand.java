package io.timbre.jobs;

import io.timbre.backend.BackendProbe;
import io.timbre.backend.BackendReport;
import io.timbre.backend.LayerHelpers;
import io.timbre.model.NetworkFactory;
import io.timbre.train.Experiment;
import io.timbre.util.Versions;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code timbre doctor}: what this node gives Timbre — Java, Spark, ND4J's backend with its BLAS/oneDNN/CUDA details
 * and why CUDA did not load, visible GPUs, OpenMP threads, the Vector API — and a short CNN fit that reports
 * examples/s. The first thing to run on a new node (an EMR step runs it too).
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = "Print this node's Java, Spark, ND4J backend (BLAS, oneDNN, CUDA), GPUs, OpenMP threads and Vector "
        + "API state, then fit the irmas-cnn network on random 1 s log-mel batches for a few seconds and print "
        + "examples/s.")
final class DoctorCommand implements Callable<Integer> {
  @Spec CommandSpec cli;

  @Option(names = "--fit-seconds", defaultValue = "10", description = "How long the CNN fit runs (default "
      + "${DEFAULT-VALUE}; 0 skips it).")
  double fitSeconds;

  @Option(names = "--require-backend", paramLabel = "cpu|cuda", description = "Exit 3 unless ND4J loaded this "
      + "backend here.")
  String requireBackend;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter w = cli.commandLine().getOut();
    Map<String, String> versions = Versions.all(org.apache.spark.package$.MODULE$.SPARK_VERSION());
    section(w, "versions");
    versions.forEach((k, v) -> row(w, k, v));
    section(w, "jvm");
    Runtime rt = Runtime.getRuntime();
    row(w, "java", System.getProperty("java.vm.name") + " " + Runtime.version());
    row(w, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch"));
    row(w, "processors", String.valueOf(rt.availableProcessors()));
    row(w, "max heap", String.format(Locale.ROOT, "%.1f GiB", rt.maxMemory() / (double) (1L << 30)));
    row(w, "vector api", vectorApi());
    row(w, "OMP_NUM_THREADS", String.valueOf(System.getenv("OMP_NUM_THREADS")));
    BackendReport here = BackendProbe.here("this JVM");
    section(w, "nd4j");
    row(w, "backend", here.backend() + " (" + here.backendClass() + ")");
    for (String key : List.of("blas.vendor", "blas.threads", "omp.threads", "cores", "memory.available",
        "cuda.availableDevices", "cuda.devicesInformation")) {
      if (here.details().containsKey(key)) {
        row(w, key, here.details().get(key));
      }
    }
    String build = here.details().getOrDefault("build", "");
    row(w, "onednn", build.contains("HAVE_ONEDNN") ? "yes" : "no (nd4j-native without the -onednn classifier)");
    row(w, "native build", build);
    row(w, "cuda", here.cudaProblem() == null ? "in use" : here.cudaProblem());
    section(w, "gpus");
    gpus(w);
    if (fitSeconds > 0) {
      section(w, "cnn fit");
      fit(w);
    }
    w.flush();
    if (requireBackend != null && !here.is(requireBackend)) {
      cli.commandLine().getErr().println("timbre doctor: --require-backend " + requireBackend + ", but ND4J loaded "
          + here.summary());
      return 3;
    }
    return 0;
  }

  /** irmas-cnn (the bundled experiment) on random [batch, 1, 44, 128] inputs: 1 s of log-mel at hop 512. */
  private void fit(PrintWriter w) throws IOException {
    Experiment ex;
    try (InputStream in = DoctorCommand.class.getClassLoader().getResourceAsStream(DemoCommand.EXPERIMENT)) {
      if (in == null) {
        throw new IOException("Cannot find the bundled experiment " + DemoCommand.EXPERIMENT);
      }
      ex = Experiment.parse(com.typesafe.config.ConfigFactory.parseString(new String(in.readAllBytes(),
          StandardCharsets.UTF_8)), DemoCommand.EXPERIMENT);
    }
    int frames = 44;
    int bins = 128;
    int classes = 11;
    int batch = ex.train().batchSizePerWorker();
    MultiLayerNetwork net = NetworkFactory.create(ex.model(), frames, bins, classes, 1);
    Nd4j.getRandom().setSeed(1);
    INDArray features = Nd4j.rand(new int[] {batch, 1, frames, bins});
    INDArray labels = Nd4j.zeros(batch, classes);
    for (int i = 0; i < batch; i++) {
      labels.putScalar(i, i % classes, 1);
    }
    DataSet ds = new DataSet(features, labels);
    net.fit(ds); // warm-up: native kernels, workspaces
    long examples = 0;
    long start = System.nanoTime();
    long end = start + (long) (fitSeconds * 1e9);
    while (System.nanoTime() < end) {
      net.fit(ds);
      examples += batch;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    row(w, "network", ex.name() + ", " + net.numParams() + " parameters, batch " + batch + ", input 1x" + frames
        + "x" + bins);
    row(w, "layer helpers", LayerHelpers.engaged(net) > 0 ? "oneDNN, " + LayerHelpers.engaged(net) + " layers ("
        + String.join(", ", LayerHelpers.describe(net).stream().map(d -> d.substring(d.indexOf(':') + 1))
            .distinct().toList()) + ")" : "none: DL4J's built-in layer code (" + (LayerHelpers.enabled()
                ? "no layer supports them" : "switched off or no oneDNN backend") + ")");
    row(w, "throughput", String.format(Locale.ROOT, "%.0f examples/s (%d examples in %.1f s, one JVM, no Spark)",
        examples / seconds, examples, seconds));
  }

  private static void gpus(PrintWriter w) throws InterruptedException {
    try {
      Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=index,name,memory.total,memory.used,driver_version",
          "--format=csv,noheader").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        row(w, "nvidia-smi", "failed: " + out);
        return;
      }
      for (String line : out.split("\n")) {
        row(w, "gpu", line.trim());
      }
    } catch (IOException e) {
      row(w, "nvidia-smi", "not found: no NVIDIA driver on this node");
    }
  }

  private static String vectorApi() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return "off (start the JVM with --add-modules=jdk.incubator.vector, conf/jvm-flags.txt)";
    }
    try {
      Object species = Class.forName("jdk.incubator.vector.FloatVector").getField("SPECIES_PREFERRED").get(null);
      Object bits = Class.forName("jdk.incubator.vector.VectorSpecies").getMethod("vectorBitSize").invoke(species);
      return "on, " + bits + "-bit float vectors";
    } catch (ReflectiveOperationException | RuntimeException e) {
      return "on, species unknown (" + e + ")";
    }
  }

  private static void section(PrintWriter w, String name) {
    w.println("[" + name + "]");
  }

  private static void row(PrintWriter w, String key, String value) {
    w.printf(Locale.ROOT, "  %-22s %s%n", key, value);
  }
}
