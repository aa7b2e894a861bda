package io.timbre.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the machine's CPU time went between two snapshots, from Linux's {@code /proc}: this JVM's threads grouped by
 * role (JIT compilers, GC, everything else) and the CPU time the rest of the machine used. A benchmark that confines
 * the JVM to fewer CPUs than the machine has needs this to be read honestly: work outside the JVM lands on the free
 * CPUs of a small master but competes with a master that holds them all.
 *
 * <p>Best effort: where {@code /proc} is missing (not Linux) every figure is NaN and {@link #available()} is false.
 */
public final class CpuAccount {
  /** CPU seconds by group at one instant. */
  public record Snapshot(double machineBusy, double steal, double jit, double gc, double jvm) {}

  /**
   * The difference of two snapshots, in CPU seconds. {@code steal}: time the hypervisor gave this VM's CPUs to
   * someone else while they had work (not part of {@code machineBusy}).
   */
  public record Usage(double machineBusy, double steal, double jit, double gc, double jvm) {
    /** CPU seconds used outside this JVM (other processes, the kernel's own threads, interrupts). */
    public double outsideJvm() {
      return machineBusy - jvm;
    }

    /** CPU seconds of this JVM's threads that are neither JIT compiler nor GC threads. */
    public double otherJvm() {
      return jvm - jit - gc;
    }
  }

  private static final Path PROC = Path.of("/proc");
  private static final double TICKS_PER_SECOND = 100.0;

  private CpuAccount() {}

  /** Whether this machine has a readable {@code /proc}. */
  public static boolean available() {
    return Files.isReadable(PROC.resolve("stat")) && Files.isDirectory(PROC.resolve("self/task"));
  }

  /** The current totals (NaN where {@code /proc} is missing). */
  public static Snapshot snapshot() {
    if (!available()) {
      return new Snapshot(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    try {
      long[] cpu = machineTicks();
      double busy = cpu[0] / TICKS_PER_SECOND;
      double steal = cpu[1] / TICKS_PER_SECOND;
      Map<String, Double> byGroup = threadTicksByGroup();
      double jit = byGroup.getOrDefault("jit", 0.0) / TICKS_PER_SECOND;
      double gc = byGroup.getOrDefault("gc", 0.0) / TICKS_PER_SECOND;
      double jvm = processTicks() / TICKS_PER_SECOND;
      return new Snapshot(busy, steal, jit, gc, jvm);
    } catch (IOException | RuntimeException e) {
      return new Snapshot(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
  }

  /** Usage between two snapshots. Threads that ended in between are missing from the later one (their JIT/GC share). */
  public static Usage between(Snapshot a, Snapshot b) {
    return new Usage(b.machineBusy() - a.machineBusy(), b.steal() - a.steal(), b.jit() - a.jit(), b.gc() - a.gc(),
        b.jvm() - a.jvm());
  }

  /** Group of a HotSpot thread by its name ("C2 CompilerThread0", "GC Thread#1", "G1 Conc#0", …). */
  static String group(String threadName) {
    if (threadName.contains("CompilerThre")) {
      return "jit";
    }
    if (threadName.startsWith("GC Thread") || threadName.startsWith("G1 ") || threadName.startsWith("VM Thread")
        || threadName.startsWith("ParGC") || threadName.startsWith("GC ")) {
      return "gc";
    }
    return "other";
  }

  /** {busy, steal} ticks of all CPUs since boot. */
  private static long[] machineTicks() throws IOException {
    String first = Files.readAllLines(PROC.resolve("stat")).get(0);
    String[] f = first.trim().split("\\s+");
    // cpu user nice system idle iowait irq softirq steal ...: busy = user, nice, system, irq, softirq.
    long busy = 0;
    for (int i : new int[] {1, 2, 3, 6, 7}) {
      if (i < f.length) {
        busy += Long.parseLong(f[i]);
      }
    }
    return new long[] {busy, f.length > 8 ? Long.parseLong(f[8]) : 0};
  }

  private static long processTicks() throws IOException {
    return utimePlusStime(Files.readString(PROC.resolve("self/stat")));
  }

  private static Map<String, Double> threadTicksByGroup() throws IOException {
    Map<String, Double> out = new LinkedHashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(PROC.resolve("self/task"))) {
      for (Path t : tasks) {
        String stat;
        try {
          stat = Files.readString(t.resolve("stat"));
        } catch (IOException gone) {
          continue; // the thread ended while we listed
        }
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        out.merge(group(name), (double) utimePlusStime(stat), Double::sum);
      }
    }
    return out;
  }

  /** utime + stime (fields 14 and 15) of a /proc stat line; the command name may contain spaces and parentheses. */
  static long utimePlusStime(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }
}
