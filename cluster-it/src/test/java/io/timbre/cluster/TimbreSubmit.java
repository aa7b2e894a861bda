package io.timbre.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Timbre command as a user submits it to a cluster: {@code spark-submit --class io.timbre.jobs.Timbre} with the JVM
 * flags of {@code conf/jvm-flags.txt} for the driver and the executors, one OpenMP thread per executor core, an event
 * log, then the shaded jar and the command's own arguments.
 */
final class TimbreSubmit {
  private final SparkHome spark;
  private final String master;
  private final Path eventLogs;
  private final Map<String, String> conf = new LinkedHashMap<>();
  private final List<String> submitOptions = new ArrayList<>();
  private final Map<String, String> env = new LinkedHashMap<>();
  private int pinCpus;

  TimbreSubmit(SparkHome spark, String master, Path eventLogs) {
    this.spark = spark;
    this.master = master;
    this.eventLogs = eventLogs;
    String flags = String.join(" ", jvmFlags(spark.repo));
    conf.put("spark.driver.extraJavaOptions", flags);
    conf.put("spark.executor.extraJavaOptions", flags);
    conf.put("spark.executorEnv.OMP_NUM_THREADS", "1");
    conf.put("spark.executor.memory", "2g");
    conf.put("spark.executor.cores", "1");
    conf.put("spark.cores.max", "2");
    conf.put("spark.eventLog.enabled", "true");
    conf.put("spark.eventLog.dir", eventLogs.toUri().toString());
  }

  /** The JVM flags the README's spark-submit line passes: every line of conf/jvm-flags.txt. */
  static List<String> jvmFlags(Path repo) {
    try {
      return Files.readAllLines(repo.resolve("conf/jvm-flags.txt")).stream().map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  TimbreSubmit conf(String key, String value) {
    conf.put(key, value);
    return this;
  }

  /** A spark-submit option with its value, e.g. {@code --deploy-mode cluster}. */
  TimbreSubmit option(String... optionAndValue) {
    submitOptions.addAll(Arrays.asList(optionAndValue));
    return this;
  }

  /** An environment variable of the spark-submit process (e.g. HADOOP_CONF_DIR). */
  TimbreSubmit env(String name, String value) {
    env.put(name, value);
    return this;
  }

  /** spark-submit (and so a local-mode job's one JVM) confined with taskset to CPUs 0 … cpus−1. */
  TimbreSubmit pin(int cpus) {
    this.pinCpus = cpus;
    return this;
  }

  Path repo() {
    return spark.repo;
  }

  Path eventLogs() {
    return eventLogs;
  }

  List<String> args(String appName, String... command) {
    List<String> a = new ArrayList<>(List.of("--master", master, "--class", "io.timbre.jobs.Timbre", "--name",
        appName));
    a.addAll(submitOptions);
    conf.forEach((k, v) -> {
      a.add("--conf");
      a.add(k + "=" + v);
    });
    a.add(spark.shadedJar.toString());
    a.addAll(Arrays.asList(command));
    return a;
  }

  /** Runs the command to its end; its output goes to {@code logs/<appName>.log}. */
  SparkHome.Submitted run(Path logs, String appName, String... command) throws IOException, InterruptedException {
    Files.createDirectories(logs);
    Files.createDirectories(eventLogs);
    return spark.submit(args(appName, command), logs.resolve(appName + ".log"), env, pinCpus, 900);
  }

  /** Starts the command and returns at once (for tests that disturb the cluster while it runs). */
  Process start(Path logs, String appName, String... command) throws IOException {
    Files.createDirectories(logs);
    Files.createDirectories(eventLogs);
    ProcessBuilder pb = spark.submitProcess(args(appName, command), logs.resolve(appName + ".log"));
    pb.environment().putAll(env);
    return pb.start();
  }
}
