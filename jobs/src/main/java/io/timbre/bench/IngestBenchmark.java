package io.timbre.bench;

import io.timbre.audio.TestSignals;
import io.timbre.audio.WavWriter;
import io.timbre.datasets.ClipRef;
import io.timbre.datasets.DatasetRoot;
import io.timbre.datasets.catalog.Datasets;
import io.timbre.features.FeatureSpec;
import io.timbre.featurize.ClipFeaturizer;
import io.timbre.featurize.ClipResult;
import io.timbre.featurize.FrameTargets;
import io.timbre.ingest.IngestJob;
import io.timbre.ingest.IngestOptions;
import io.timbre.ingest.IngestSummary;
import io.timbre.sampledata.IrmasGenerator;
import io.timbre.spark.Sessions;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * End-to-end ingest throughput: decode + resample + features + Parquet write of generated 44.1 kHz stereo 16-bit
 * audio in the IRMAS layout, once per Spark master (local[1], local[2], …) in the same JVM, reported as audio-hours
 * per core-hour and as the scaling ratio between masters. Also the one-long-file check: a single WAV of N minutes,
 * generated block by block, ingested in whatever heap this JVM has (run it with TIMBRE_HEAP=1g).
 */
public final class IngestBenchmark {
  /** One measured run. */
  public record Result(String master, int cores, double audioHours, double wallSeconds, long segments,
      double taskCpuSeconds) {
    public double perCoreRealtime() {
      return audioHours * 3600 / wallSeconds / cores;
    }

    public double realtime() {
      return audioHours * 3600 / wallSeconds;
    }

    /** Audio-seconds per second of task CPU time: the work itself, without scheduling, JIT or waiting for a core. */
    public double perTaskCpuRealtime() {
      return audioHours * 3600 / taskCpuSeconds;
    }
  }

  private final PrintStream log;
  /** CPUs of the machine, read before any confinement. */
  private final int machineCpus = Runtime.getRuntime().availableProcessors();
  private boolean pin;

  public IngestBenchmark(PrintStream log) {
    this.log = log;
  }

  /** Generates (or reuses) ≥ {@code hours} of IRMAS-layout audio under {@code work}/dataset. */
  public Path dataset(Path work, double hours, double clipSeconds) throws IOException {
    Path root = work.resolve("dataset-" + hours + "h-" + clipSeconds + "s");
    if (Files.isDirectory(root.resolve("IRMAS-TrainingData"))) {
      log.printf("reusing %s%n", root);
      return root;
    }
    int perClass = (int) Math.ceil(hours * 3600 / clipSeconds / 12.5);
    long t0 = System.nanoTime();
    new IrmasGenerator(clipSeconds, clipSeconds).generate(root, 7, perClass);
    log.printf("generated %s in %.0f s%n", root, (System.nanoTime() - t0) / 1e9);
    return root;
  }

  /** A dataset holding one {@code minutes}-long stereo 44.1 kHz test excerpt, written block by block. */
  public Path longFile(Path work, int minutes) throws IOException {
    Path root = work.resolve("long-" + minutes + "min");
    Path dir = root.resolve("IRMAS-TestingData-Part1/Part1");
    Path wav = dir.resolve("Long Take-1.wav");
    if (Files.exists(wav)) {
      return root;
    }
    Files.createDirectories(dir);
    int sr = 44100;
    long frames = (long) minutes * 60 * sr;
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(wav), 1 << 20);
        WavWriter.Pcm16Stream w = WavWriter.openPcm16(os, 2, sr, frames)) {
      long done = 0;
      int seed = 0;
      while (done < frames) {
        int n = (int) Math.min(10L * sr, frames - done);
        float[] mono = TestSignals.music(sr, n / (double) sr, seed++);
        float[] st = new float[2 * mono.length];
        for (int i = 0; i < mono.length; i++) {
          st[2 * i] = mono[i];
          st[2 * i + 1] = 0.8f * mono[i];
        }
        w.write(st, 0, st.length);
        done += mono.length;
      }
    }
    Files.writeString(dir.resolve("Long Take-1.txt"), "pia\t\n");
    return root;
  }

  /**
   * Confine the JVM to as many CPUs as the master has task slots for each measured run (and the control's threads
   * to as many CPUs as it has threads); see {@link CpuAffinity}. Off: every run may use every CPU.
   */
  public IngestBenchmark pinned(boolean pin) {
    this.pin = pin;
    return this;
  }

  private void confine(int cpus) {
    if (pin) {
      CpuAffinity.confine(Math.min(cpus, machineCpus));
    }
  }

  public Result run(String master, Path dataset, Path tables, FeatureSpec spec) {
    int cores = cores(master);
    try (SparkSession spark = Sessions.create("timbre bench ingest " + master, master,
        Map.of("spark.sql.shuffle.partitions", Integer.toString(Math.max(1, cores))))) {
      java.util.Map<Integer, Long> starts = new java.util.concurrent.ConcurrentHashMap<>();
      java.util.List<String> jobs = java.util.Collections.synchronizedList(new ArrayList<>());
      Map<String, Double> taskTimes = new java.util.concurrent.ConcurrentSkipListMap<>();
      Map<Integer, List<long[]>> stageTasks = new java.util.concurrent.ConcurrentHashMap<>();
      spark.sparkContext().addSparkListener(new org.apache.spark.scheduler.SparkListener() {
        @Override
        public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart e) {
          starts.put(e.jobId(), e.time());
          String d = e.properties() == null ? null : e.properties().getProperty("spark.job.description");
          jobs.add(e.jobId() + ":" + (d == null ? "?" : d.replaceAll(".*: ", "")));
        }

        @Override
        public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd e) {
          org.apache.spark.executor.TaskMetrics m = e.taskMetrics();
          if (m != null) {
            taskTimes.merge("run", m.executorRunTime() / 1e3, Double::sum);
            taskTimes.merge("cpu", m.executorCpuTime() / 1e9, Double::sum);
            taskTimes.merge("gc", m.jvmGCTime() / 1e3, Double::sum);
          }
          org.apache.spark.scheduler.TaskInfo t = e.taskInfo();
          stageTasks.computeIfAbsent(e.stageId(), k -> java.util.Collections.synchronizedList(new ArrayList<>()))
              .add(new long[] {t.launchTime(), t.finishTime()});
        }

        @Override
        public void onJobEnd(org.apache.spark.scheduler.SparkListenerJobEnd e) {
          Long t = starts.get(e.jobId());
          jobs.add(e.jobId() + " took " + (t == null ? "?" : (e.time() - t) + " ms"));
        }
      });
      CpuAccount.Snapshot before = CpuAccount.snapshot();
      long t0 = System.nanoTime();
      IngestSummary s = IngestJob.run(spark, new IngestOptions("irmas", dataset.toString(), tables.toString(), spec,
          false, 0.0, 0.0, 0, 0, 1000, Map.of()));
      double wall = (System.nanoTime() - t0) / 1e9;
      CpuAccount.Usage used = CpuAccount.between(before, CpuAccount.snapshot());
      log.println("  spark jobs: " + String.join("; ", jobs));
      log.printf("  tasks: %.1f s run, %.1f s CPU, %.1f s in GC (summed over tasks)%n", taskTimes.getOrDefault("run", 0.0),
          taskTimes.getOrDefault("cpu", 0.0), taskTimes.getOrDefault("gc", 0.0));
      Result r = new Result(master, cores, s.audioHours(), s.wallSeconds(), s.segments(),
          taskTimes.getOrDefault("cpu", 0.0));
      // The stage with the most tasks is the featurise + segments write.
      stageTasks.values().stream().max(java.util.Comparator.comparingInt(List::size))
          .ifPresent(tasks -> log.println("  featurise stage: " + SlotIdle.of(tasks, cores)));
      if (CpuAccount.available()) {
        log.printf("  CPU during the run (core-s): %d machine CPUs x %.1f s = %.1f; task CPU %.1f, JIT compilers %.2f,"
            + " GC %.2f, other JVM threads %.2f, outside this JVM %.2f, stolen by the hypervisor %.2f, idle %.2f%n",
            machineCpus, wall, machineCpus * wall, r.taskCpuSeconds(), used.jit(), used.gc(),
            used.otherJvm() - r.taskCpuSeconds(), used.outsideJvm(), used.steal(),
            machineCpus * wall - used.machineBusy() - used.steal());
      }
      log.printf("%s: %.2f h of audio in %.1f s = %.0fx real time, %.0fx per core (%s)%n", master, r.audioHours(),
          r.wallSeconds(), r.realtime(), r.perCoreRealtime(), s.stageSeconds());
      return r;
    }
  }

  /**
   * The control: the same per-clip work as the ingest tasks (read, hash, decode, resample, features, segments) on
   * {@code threads} plain threads, without Spark or Parquet. Its 2-thread/1-thread ratio is what this machine's
   * cores give this work right now (shared caches, memory bandwidth, a busy host); the ingest ratio divided by it is
   * the scaling lost to Spark, Parquet, the driver, the JIT and the GC.
   *
   * @return {wall seconds, audio hours}
   */
  public double[] control(int threads, List<ClipRef> clips, FeatureSpec spec) {
    FrameTargets targets = FrameTargets.of(clips);
    AtomicInteger next = new AtomicInteger();
    DoubleAdder seconds = new DoubleAdder();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long t0 = System.nanoTime();
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        fs.add(pool.submit(() -> {
          ClipFeaturizer f = new ClipFeaturizer(spec, targets, new Configuration());
          for (int i = next.getAndIncrement(); i < clips.size(); i = next.getAndIncrement()) {
            ClipResult r = f.featurize(clips.get(i));
            if (!r.ok()) {
              throw new IllegalStateException("control: " + r.failure());
            }
            seconds.add(r.durationSec());
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return new double[] {(System.nanoTime() - t0) / 1e9, seconds.sum() / 3600};
  }

  /**
   * Every master {@code repeat} times, interleaved (local[1], local[2], local[1], …) so that a slow spell of the
   * machine hits both alike, after {@code warmups} unmeasured runs; reports each master's median and the ratio of the
   * medians. A fresh Spark session per run, as a real job has.
   */
  public List<Result> runAll(List<String> masters, Path dataset, Path work, FeatureSpec spec, int warmups,
      int repeat) {
    // The first Spark jobs in a JVM pay for class loading and JIT compilation of the whole path.
    for (int w = 0; w < warmups; w++) {
      log.printf("warm-up run %d (not reported):%n", w + 1);
      run(masters.get(masters.size() - 1), dataset, work.resolve("tables-warmup"), spec);
    }
    List<ClipRef> clips = Datasets.reader("irmas", 0.0, 0.0, 0)
        .read(DatasetRoot.open(dataset.toString(), new Configuration()))
        .clips();
    // An unmeasured control run: the control's own warm-up, and the audio hours every control run covers.
    double hours = control(cores(masters.get(masters.size() - 1)), clips, spec)[1];
    Map<String, List<Result>> byMaster = new LinkedHashMap<>();
    Map<Integer, List<Double>> controls = new TreeMap<>();
    measureRounds(masters, dataset, work, spec, clips, hours, repeat, byMaster, controls);
    log.println();
    log.printf("machine: %s, %d cores, Java %s, max heap %d MB, GC %s%n", System.getProperty("os.arch"),
        machineCpus, Runtime.version(), Runtime.getRuntime().maxMemory() >> 20, gcNames());
    log.printf("%d measured runs per master, interleaved, after %d warm-up runs; %s; medians:%n", repeat, warmups,
        pin ? "each run with the whole JVM confined to as many CPUs as the master has task slots (taskset)"
            : "every run free to use every CPU (--no-pin)");
    List<Result> medians = reportMedians(byMaster);
    Map<Integer, Double> controlMedian = reportControls(controls, hours);
    if (medians.size() >= 2) {
      reportScaling(medians, controlMedian, byMaster, controls);
    }
    return medians;
  }

  /** {@code repeat} rounds of every master's ingest and then every master's control, pinned as configured. */
  private void measureRounds(List<String> masters, Path dataset, Path work, FeatureSpec spec, List<ClipRef> clips,
      double hours, int repeat, Map<String, List<Result>> byMaster, Map<Integer, List<Double>> controls) {
    try {
      for (int rep = 0; rep < repeat; rep++) {
        for (String m : masters) {
          confine(cores(m));
          byMaster.computeIfAbsent(m, k -> new ArrayList<>())
              .add(run(m, dataset, work.resolve("tables-" + m.replaceAll("[^A-Za-z0-9]", "")), spec));
        }
        for (String m : masters) {
          confine(cores(m));
          double wall = control(cores(m), clips, spec)[0];
          controls.computeIfAbsent(cores(m), k -> new ArrayList<>()).add(wall);
          log.printf("control, %d thread(s), no Spark: %.2f h in %.1f s = %.0fx real time%n", cores(m), hours, wall,
              hours * 3600 / wall);
        }
      }
    } finally {
      if (pin) {
        CpuAffinity.release(machineCpus);
      }
    }
  }

  private List<Result> reportMedians(Map<String, List<Result>> byMaster) {
    List<Result> medians = new ArrayList<>();
    log.printf("%-10s %8s %8s %12s %14s %18s %22s%n", "master", "audio h", "wall s", "x real time",
        "x RT per core", "(min..max per core)", "x RT per task-CPU s");
    for (Map.Entry<String, List<Result>> e : byMaster.entrySet()) {
      List<Result> rs = new ArrayList<>(e.getValue());
      rs.sort(java.util.Comparator.comparingDouble(Result::wallSeconds));
      Result med = rs.get(rs.size() / 2);
      medians.add(med);
      double lo = rs.get(rs.size() - 1).perCoreRealtime();
      double hi = rs.get(0).perCoreRealtime();
      double[] cpu = rs.stream().mapToDouble(Result::perTaskCpuRealtime).sorted().toArray();
      log.printf("%-10s %8.2f %8.1f %12.0f %14.0f %18s %22.0f%n", med.master(), med.audioHours(), med.wallSeconds(),
          med.realtime(), med.perCoreRealtime(), String.format("(%.0f..%.0f)", lo, hi), cpu[cpu.length / 2]);
    }
    return medians;
  }

  private Map<Integer, Double> reportControls(Map<Integer, List<Double>> controls, double hours) {
    Map<Integer, Double> controlMedian = new TreeMap<>();
    controls.forEach((threads, walls) -> {
      double[] w = walls.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      double median = w[w.length / 2];
      controlMedian.put(threads, median);
      log.printf("control   %8.2f %8.1f %12.0f %14.0f %18s   (%d thread(s), same per-clip work, no Spark)%n", hours,
          median, hours * 3600 / median, hours * 3600 / median / threads,
          String.format("(%.0f..%.0f)", hours * 3600 / w[w.length - 1] / threads, hours * 3600 / w[0] / threads),
          threads);
    });
    return controlMedian;
  }

  /** Throughput ratio of the second master to the first, overall and per round, against the controls' ratio. */
  private void reportScaling(List<Result> medians, Map<Integer, Double> controlMedian,
      Map<String, List<Result>> byMaster, Map<Integer, List<Double>> controls) {
    double ratio = medians.get(1).realtime() / medians.get(0).realtime();
    log.printf("scaling %s / %s: %.2fx throughput (ratio of medians)%n", medians.get(1).master(),
        medians.get(0).master(), ratio);
    Double c1 = controlMedian.get(medians.get(0).cores());
    Double c2 = controlMedian.get(medians.get(1).cores());
    if (c1 != null && c2 != null) {
      log.printf("control scaling %d / %d threads: %.2fx (what this machine's cores give the per-clip work now); "
          + "ingest keeps %.0f%% of it%n", medians.get(1).cores(), medians.get(0).cores(), c1 / c2,
          100 * ratio / (c1 / c2));
    }
    // Each round's own ratio (its two runs minutes apart at most): a slow spell of the machine that hits one round
    // moves one of these, where it can move both medians above.
    List<Result> a = byMaster.get(medians.get(0).master());
    List<Result> b = byMaster.get(medians.get(1).master());
    List<Double> ca = controls.get(medians.get(0).cores());
    List<Double> cb = controls.get(medians.get(1).cores());
    double[] pairs = new double[a.size()];
    double[] keeps = new double[a.size()];
    for (int i = 0; i < a.size(); i++) {
      pairs[i] = b.get(i).realtime() / a.get(i).realtime();
      keeps[i] = ca == null || cb == null ? Double.NaN : pairs[i] / (ca.get(i) / cb.get(i));
    }
    log.printf("per round %s / %s: %s; median %.2fx; ingest keeps %s of the round's control%n",
        medians.get(1).master(), medians.get(0).master(), join(pairs, "%.2f"), median(pairs),
        join(keeps, "%.0f%%", 100));
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static String join(double[] v, String format) {
    return join(v, format, 1);
  }

  private static String join(double[] v, String format, double scale) {
    List<String> out = new ArrayList<>();
    for (double x : v) {
      out.add(String.format(format, x * scale));
    }
    return String.join(" ", out);
  }

  private static String gcNames() {
    List<String> names = new ArrayList<>();
    for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      names.add(gc.getName());
    }
    return String.join(" + ", names);
  }

  static int cores(String master) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("local\\[(\\d+)]").matcher(master);
    return m.matches() ? Integer.parseInt(m.group(1)) : Runtime.getRuntime().availableProcessors();
  }
}
