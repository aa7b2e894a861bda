package io.timbre.backend;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reports the ND4J backend of this JVM ({@link #here}) and of every executor of a Spark application
 * ({@link #executors}). ND4J picks the highest-priority backend whose natives load and only logs a warning when CUDA's
 * do not, so a GPU job can silently train on CPUs; this is how Timbre finds out, and names the missing library.
 */
public final class BackendProbe {
  static final String CUDA_BACKEND = "org.nd4j.linalg.jcublas.JCublasBackend";
  private static final String CUDART = "org.bytedeco.cuda.global.cudart";

  private BackendProbe() {}

  /** The backend ND4J loaded in this JVM. */
  public static BackendReport here(String role) {
    String backendClass = Nd4j.getBackend().getClass().getName();
    Map<String, String> details = new TreeMap<>();
    Nd4j.getExecutioner().getEnvironmentInformation().forEach((k, v) -> details.put(String.valueOf(k),
        String.valueOf(v)));
    try {
      String build = org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
      details.put("build", build.replace('\n', ' ').trim());
    } catch (RuntimeException | LinkageError e) {
      details.put("build", "unknown (" + e + ")");
    }
    String backend = details.getOrDefault("backend", backendClass.equals(CUDA_BACKEND) ? "CUDA" : "CPU");
    return new BackendReport(role, host(), backend, backendClass, details,
        backendClass.equals(CUDA_BACKEND) ? null : cudaProblem());
  }

  /**
   * The report of every executor currently registered (in local mode: the driver's own), gathered by tasks that run
   * on each. Executors are found by running a few rounds of small tasks until every registered one answered.
   */
  public static List<BackendReport> executors(JavaSparkContext sc) {
    List<String> registered = executorIds(sc);
    Map<String, BackendReport> seen = new LinkedHashMap<>();
    int slices = Math.max(sc.defaultParallelism(), Math.max(1, registered.size())) * 4;
    // At least one round, so executors that register while it waits are asked too.
    for (int round = 0; round == 0 || round < 5 && !seen.keySet().containsAll(registered); round++) {
      sc.setJobDescription("timbre: which ND4J backend each executor loaded");
      List<BackendReport> reports = sc.parallelize(IntStream.range(0, slices).boxed().toList(), slices)
          .mapPartitions(it -> List.of(BackendProbe.here(role())).iterator()).collect();
      reports.forEach(r -> seen.putIfAbsent(r.role(), r));
    }
    for (String id : registered) { // cannot vouch for an executor that ran none of the probe's tasks
      seen.putIfAbsent(id, new BackendReport(id, "?", "UNKNOWN", "", Map.of(), "it ran none of the probe's tasks"));
    }
    return new ArrayList<>(seen.values());
  }

  /** "executor <id>" of every registered executor, from the block manager master (local mode: the driver). */
  private static List<String> executorIds(JavaSparkContext sc) {
    if (sc.isLocal()) {
      return List.of("executor driver");
    }
    List<String> roles = new ArrayList<>();
    scala.collection.Iterator<org.apache.spark.storage.BlockManagerId> it = sc.sc().env().blockManager().master()
        .getMemoryStatus().keys().iterator();
    while (it.hasNext()) {
      String id = it.next().executorId();
      if (!id.equals("driver")) {
        roles.add("executor " + id);
      }
    }
    return roles;
  }

  private static String role() {
    SparkEnv env = SparkEnv.get();
    return "executor " + (env == null ? "?" : env.executorId());
  }

  /** Why the CUDA backend is not in use here, naming the missing piece. */
  static String cudaProblem() {
    try {
      Class.forName(CUDA_BACKEND, false, BackendProbe.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return "this jar has no CUDA backend (nd4j-cuda-11.6); build it with mvn -Pgpu";
    }
    try {
      Class<?> loader = Class.forName("org.bytedeco.javacpp.Loader");
      loader.getMethod("load", Class.class).invoke(null, Class.forName(CUDART));
      return "the CUDA runtime loads, but ND4J chose another backend (is a GPU visible? nvidia-smi; "
          + "CUDA_VISIBLE_DEVICES=" + System.getenv("CUDA_VISIBLE_DEVICES") + ")";
    } catch (java.lang.reflect.InvocationTargetException e) {
      Throwable cause = e.getCause();
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      return "the CUDA 11.6 runtime did not load: " + cause.getMessage() + " (ship JavaCPP's "
          + "org.bytedeco:cuda:11.6-8.3-1.5.7:linux-x86_64-redist jar with --jars, see emr/)";
    } catch (ReflectiveOperationException | LinkageError e) {
      return "the CUDA runtime classes are missing: " + e;
    }
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown host";
    }
  }
}
