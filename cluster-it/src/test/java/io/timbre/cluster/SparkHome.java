package io.timbre.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Spark distribution the build assembles in {@code target/spark-home} from the artefacts Spark publishes on
 * Maven Central ({@code jars/}) plus launch scripts that follow Spark's launcher protocol ({@code bin/}). Every
 * process a test starts (master, workers, spark-submit) goes through {@code bin/spark-class}, so executors get what
 * a cluster gives them: Spark's jars and the application jar, never the test classpath.
 */
final class SparkHome {
  final Path home;
  final Path shadedJar;
  /** The repository's checkout (conf/, README.md). */
  final Path repo;

  private SparkHome(Path home, Path shadedJar, Path repo) {
    this.home = home;
    this.shadedJar = shadedJar;
    this.repo = repo;
  }

  static SparkHome fromBuild() {
    Path home = Path.of(required("timbre.spark.home"));
    Path jar = Path.of(required("timbre.shaded.jar"));
    Path repo = Path.of(required("timbre.repo.root"));
    check(Files.isRegularFile(home.resolve("RELEASE")) && Files.isDirectory(home.resolve("jars")),
        "Cannot use " + home + " as SPARK_HOME: no RELEASE/jars (run through mvn verify)");
    check(Files.isRegularFile(jar), "Cannot find the shaded jar " + jar + " (run through mvn verify)");
    try {
      for (String s : List.of("bin/spark-class", "bin/spark-submit")) {
        Files.setPosixFilePermissions(home.resolve(s), PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new SparkHome(home, jar, repo);
  }

  private static String required(String property) {
    String v = System.getProperty(property);
    check(v != null && !v.isBlank() && !v.startsWith("${"), "Cannot run cluster tests: system property " + property
        + " is not set (run them through mvn verify)");
    return v;
  }

  static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalStateException(message);
    }
  }

  /** What a user's shell has on a cluster node: SPARK_HOME, Java, loopback only, UTF-8 file names. */
  void environment(Map<String, String> env) {
    env.put("SPARK_HOME", home.toString());
    env.put("JAVA_HOME", Path.of(System.getProperty("java.home")).toString());
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_CONF_DIR", home.resolve("conf").toString());
    env.put("LC_ALL", "C.UTF-8");
    env.put("LANG", "C.UTF-8");
    // Not inherited from the test JVM's environment: the cluster decides per executor.
    env.remove("OMP_NUM_THREADS");
  }

  /** {@code bin/<script> args…} with its output to {@code log}. */
  ProcessBuilder script(String script, List<String> args, Path log) {
    List<String> cmd = new ArrayList<>();
    cmd.add(home.resolve("bin").resolve(script).toString());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    environment(pb.environment());
    return pb;
  }

  /** The result of one {@code bin/spark-submit}. */
  record Submitted(int exitCode, String output, Path log) {}

  /** Runs {@code bin/spark-submit args…} to its end (or kills it after {@code timeoutSeconds}). */
  Submitted submit(List<String> args, Path log, Map<String, String> env, int pinCpus, long timeoutSeconds)
      throws IOException, InterruptedException {
    ProcessBuilder pb = submitProcess(args, log);
    pb.environment().putAll(env);
    if (pinCpus > 0) {
      List<String> pinned = new ArrayList<>(List.of("taskset", "-c", pinCpus == 1 ? "0" : "0-" + (pinCpus - 1)));
      pinned.addAll(pb.command());
      pb.command(pinned);
    }
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor();
      throw new IllegalStateException("spark-submit " + args + " ran over " + timeoutSeconds + " s; log: " + log
          + "\n" + tail(log));
    }
    return new Submitted(p.exitValue(), Files.readString(log), log);
  }

  /**
   * {@code bin/spark-submit args…}, with one OpenMP thread for a driver that runs tasks itself (local mode) or scores
   * with ND4J; executors get theirs from {@code spark.executorEnv.OMP_NUM_THREADS}.
   */
  ProcessBuilder submitProcess(List<String> args, Path log) {
    ProcessBuilder pb = script("spark-submit", args, log);
    pb.environment().put("OMP_NUM_THREADS", "1");
    return pb;
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
