package io.timbre.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A Spark standalone cluster on 127.0.0.1 made of separate JVMs: one master and workers, each started with
 * {@code bin/spark-class} exactly as Spark's {@code sbin} scripts start them; each worker launches its executors as
 * JVMs of their own. Workers can be added while an application runs and executors killed with SIGKILL.
 */
final class StandaloneCluster implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final SparkHome spark;
  private final Path dir;
  private final int cores;
  private final String memory;
  private final int masterPort;
  private final int masterUiPort;
  private final Process master;
  private final List<Process> workers = new ArrayList<>();
  private boolean pinWorkers;

  private StandaloneCluster(SparkHome spark, Path dir, int cores, String memory) throws IOException {
    this.spark = spark;
    this.dir = dir;
    this.cores = cores;
    this.memory = memory;
    this.masterPort = freePort();
    this.masterUiPort = freePort();
    Files.createDirectories(dir);
    this.master = spark.script("spark-class", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
        "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(masterUiPort)),
        dir.resolve("master.log")).start();
  }

  /** A master and {@code workers} workers of {@code cores} cores and {@code memory} each, all registered. */
  static StandaloneCluster start(SparkHome spark, Path dir, int workers, int cores, String memory)
      throws IOException, InterruptedException {
    StandaloneCluster c = new StandaloneCluster(spark, dir, cores, memory);
    try {
      c.awaitState(s -> true, "the master's web UI to answer", 60);
      for (int i = 0; i < workers; i++) {
        c.addWorker();
      }
      return c;
    } catch (IOException | InterruptedException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /**
   * Workers started from now on are confined with {@code taskset} to one CPU each, round robin (worker i on CPU
   * i mod CPUs); their executors inherit it, as a container or a dedicated node would confine them.
   */
  StandaloneCluster pinWorkers() {
    this.pinWorkers = true;
    return this;
  }

  String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  /** Starts one more worker and waits until the master counts it alive. */
  void addWorker() throws IOException, InterruptedException {
    int n = workers.size();
    Path work = dir.resolve("worker-" + n);
    Files.createDirectories(work);
    ProcessBuilder pb = spark.script("spark-class", List.of("org.apache.spark.deploy.worker.Worker", "--host",
        "127.0.0.1", "--cores", Integer.toString(cores), "--memory", memory, "--work-dir", work.toString(),
        "--webui-port", Integer.toString(freePort()), masterUrl()), dir.resolve("worker-" + n + ".log"));
    if (pinWorkers) {
      List<String> pinned = new ArrayList<>(List.of("taskset", "-c",
          Integer.toString(n % Runtime.getRuntime().availableProcessors())));
      pinned.addAll(pb.command());
      pb.command(pinned);
    }
    workers.add(pb.start());
    awaitState(s -> aliveWorkers(s) == n + 1, (n + 1) + " alive workers", 60);
  }

  /** The master's state ({@code /json/}): workers, active and completed applications and drivers. */
  JsonNode state() throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterUiPort
        + "/json/")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  JsonNode awaitState(Predicate<JsonNode> ok, String what, int seconds) throws InterruptedException {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    Exception last = null;
    while (System.nanoTime() < end) {
      SparkHome.check(master.isAlive(), "The Spark master died: " + SparkHome.tail(dir.resolve("master.log")));
      try {
        JsonNode s = state();
        if (ok.test(s)) {
          return s;
        }
      } catch (IOException e) {
        last = e;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("Waited " + seconds + " s for " + what + " (" + last + ")\n"
        + SparkHome.tail(dir.resolve("master.log")));
  }

  private static int aliveWorkers(JsonNode s) {
    int n = 0;
    for (JsonNode w : s.path("workers")) {
      n += "ALIVE".equals(w.path("state").asText()) ? 1 : 0;
    }
    return n;
  }

  /** The executor JVMs the workers run now (their PIDs), in start order. */
  List<ProcessHandle> executors() {
    return workers.stream().flatMap(Process::descendants)
        .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
        .sorted(java.util.Comparator.comparing(p -> p.info().startInstant().orElse(java.time.Instant.EPOCH)))
        .toList();
  }

  /** A driver JVM the workers run in cluster deploy mode, if any. */
  Optional<ProcessHandle> driver() {
    return workers.stream().flatMap(Process::descendants)
        .filter(p -> p.info().commandLine().orElse("").contains("org.apache.spark.deploy.worker.DriverWrapper"))
        .findFirst();
  }

  Path dir() {
    return dir;
  }

  /** Every file the workers keep for their executors and drivers (stderr, stdout), to read their logs. */
  List<Path> workerLogs() throws IOException {
    List<Path> logs = new ArrayList<>();
    for (int i = 0; i < workers.size(); i++) {
      Path work = dir.resolve("worker-" + i);
      try (var s = Files.walk(work)) {
        s.filter(p -> p.getFileName().toString().matches("stderr|stdout")).forEach(logs::add);
      }
    }
    return logs;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    List<Process> all = new ArrayList<>(workers);
    all.add(master);
    for (Process p : all) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroy();
    }
    for (Process p : all) {
      try {
        if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
