package io.timbre.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CpuAccountingTest {
  @Test
  void slotIdleSeparatesTheTailFromGapsBetweenTasks() {
    // Two slots: slot A runs 0-1000 and 1010-2000; slot B runs 0-1500 and then has nothing left.
    List<long[]> tasks = new ArrayList<>(List.of(new long[] {0, 1000}, new long[] {1010, 2000},
        new long[] {0, 1500}));
    SlotIdle idle = SlotIdle.of(tasks, 2);
    assertThat(idle.tasks()).isEqualTo(3);
    assertThat(idle.seconds()).isCloseTo(2.0, within(1e-9));
    // 4 slot-s minus 3.49 s of tasks.
    assertThat(idle.idleSlotSeconds()).isCloseTo(0.51, within(1e-9));
    // After the last launch (1010): 2 × 0.99 slot-s, of which tasks ran 0.99 + 0.49.
    assertThat(idle.tailSlotSeconds()).isCloseTo(0.50, within(1e-9));
    assertThat(SlotIdle.of(new ArrayList<>(), 2).tasks()).isZero();
  }

  @Test
  void procStatLinesParseWhateverTheThreadIsCalled() {
    String stat = "4242 (C2 Compiler) (x)) S 1 2 3 4 5 6 7 8 9 10 1234 56 0 0 20 0 1 0 100 0 0";
    assertThat(CpuAccount.utimePlusStime(stat)).isEqualTo(1290);
    assertThat(CpuAccount.group("C2 CompilerThread0")).isEqualTo("jit");
    assertThat(CpuAccount.group("C1 CompilerThre")).isEqualTo("jit");
    assertThat(CpuAccount.group("GC Thread#1")).isEqualTo("gc");
    assertThat(CpuAccount.group("G1 Conc#0")).isEqualTo("gc");
    assertThat(CpuAccount.group("Executor task launch worker for task 0.0")).isEqualTo("other");
  }

  @Test
  void usageOfThisJvmIsSeenWhereProcIsAvailable() {
    if (!CpuAccount.available()) {
      assertThat(CpuAccount.snapshot().jvm()).isNaN();
      return;
    }
    CpuAccount.Snapshot a = CpuAccount.snapshot();
    long end = System.nanoTime() + 300_000_000L;
    double sink = 0;
    while (System.nanoTime() < end) {
      sink += Math.sqrt(sink + 1);
    }
    CpuAccount.Usage u = CpuAccount.between(a, CpuAccount.snapshot());
    assertThat(sink).isPositive();
    // 0.3 s of spinning on this thread: the JVM used some of it (ticks are 10 ms, the machine may be busy), the machine
    // at least as much.
    assertThat(u.jvm()).isGreaterThan(0.05);
    assertThat(u.machineBusy()).isGreaterThanOrEqualTo(u.jvm() - 0.05);
  }
}
