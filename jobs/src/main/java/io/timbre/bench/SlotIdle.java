package io.timbre.bench;

import java.util.List;

/**
 * How long a stage's task slots stood empty, from its tasks' launch and finish times: in all, and in the tail (after
 * the last task was launched, when a slot that finishes has nothing left to take). The tail is what unequal partition
 * sizes cost; the rest is the scheduler's gaps between one task and the next.
 *
 * @param seconds the stage's span, first launch to last finish
 * @param idleSlotSeconds slot-seconds without a task over the span
 * @param tailSlotSeconds the part of it after the last launch
 */
public record SlotIdle(int tasks, double seconds, double idleSlotSeconds, double tailSlotSeconds) {
  /** From {launchMillis, finishMillis} pairs of one stage's tasks run on {@code slots} slots. */
  public static SlotIdle of(List<long[]> launchFinish, int slots) {
    long first = Long.MAX_VALUE;
    long lastLaunch = Long.MIN_VALUE;
    long end = Long.MIN_VALUE;
    synchronized (launchFinish) {
      for (long[] t : launchFinish) {
        first = Math.min(first, t[0]);
        lastLaunch = Math.max(lastLaunch, t[0]);
        end = Math.max(end, t[1]);
      }
      if (launchFinish.isEmpty()) {
        return new SlotIdle(0, 0, 0, 0);
      }
      long busy = 0;
      long busyInTail = 0;
      for (long[] t : launchFinish) {
        busy += t[1] - t[0];
        busyInTail += Math.max(0, t[1] - Math.max(t[0], lastLaunch));
      }
      double span = (end - first) / 1e3;
      return new SlotIdle(launchFinish.size(), span, slots * span - busy / 1e3,
          slots * (end - lastLaunch) / 1e3 - busyInTail / 1e3);
    }
  }

  @Override
  public String toString() {
    return String.format("%d tasks in %.2f s, task slots idle %.2f slot-s (%.2f of it after the last launch)", tasks,
        seconds, idleSlotSeconds, tailSlotSeconds);
  }
}
