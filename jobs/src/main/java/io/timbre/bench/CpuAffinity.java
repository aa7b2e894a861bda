package io.timbre.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Confines this whole JVM (every thread: tasks, driver, JIT compilers, GC) to the first N CPUs, as an N-core
 * container or YARN executor would, with util-linux {@code taskset}. Threads created later inherit the mask.
 *
 * <p>Why the ingest benchmark does this: unconfined on a 2-core machine, a {@code local[1]} run has the second core
 * to itself for the JIT compiler, the garbage collector and the driver (it uses ~1.2–1.3 cores while being counted
 * as one), while a {@code local[2]} run shares both cores with all of them. Confined, every master pays for its own
 * overheads on the cores it is counted for, which is what "audio-hours per core-hour" means on a cluster.
 */
public final class CpuAffinity {
  private CpuAffinity() {}

  /** Whether {@code taskset} can be used here (Linux with util-linux). */
  public static boolean available() {
    return run("taskset", "-p", Long.toString(ProcessHandle.current().pid())) == 0;
  }

  /**
   * Confines this JVM to CPUs 0 … cpus−1.
   *
   * @throws IllegalStateException if taskset fails (not Linux, no util-linux, fewer CPUs than asked)
   */
  public static void confine(int cpus) {
    int max = Runtime.getRuntime().availableProcessors();
    String list = cpus <= 1 ? "0" : "0-" + (cpus - 1);
    // taskset -a walks /proc/<pid>/task and fails if a thread ends meanwhile (thread pools shutting down): retry.
    int rc = -1;
    for (int attempt = 0; attempt < 5 && rc != 0; attempt++) {
      rc = run("taskset", "-a", "-p", "-c", list, Long.toString(ProcessHandle.current().pid()));
      if (rc != 0) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    if (rc != 0) {
      throw new IllegalStateException("Cannot confine the JVM to CPUs " + list + " with taskset (exit " + rc
          + "; this JVM sees " + max + " CPUs)");
    }
  }

  /** Lets this JVM run on all {@code cpus} CPUs of the machine again. */
  public static void release(int cpus) {
    confine(cpus);
  }

  private static int run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
