package org.ntsim.labs;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.ntsim.hal.Prng;
import org.ntsim.ke.KEvent;
import org.ntsim.ke.KQueue;
import org.ntsim.ke.KTimer;
import org.ntsim.ke.Kdpc;
import org.ntsim.ke.KeObjects;
import org.ntsim.ke.Kernel;
import org.ntsim.ke.WaitReason;
import org.ntsim.ps.EThread;
import org.ntsim.win32.Ntos;

/**
 * The concurrency example of Windows Internals' "I/O completion ports" (seed 001), played on a
 * KQUEUE directly from kernel code: a queue with a concurrency limit of 1, two worker system
 * threads waiting on it (KeRemoveQueue), a "network" system thread that inserts two requests
 * (KeInsertQueue). The worker that gets the first request blocks on an event standing for a file
 * read, which lowers the queue's active count and releases the other worker with the second
 * request; the read completes (a timer DPC sets the event) while that one is still busy, so both
 * are active with a limit of 1, until one goes back to the queue.
 *
 * <p>The lab logs the queue's current (active) count at every step of the story, and every change
 * of it through the kernel's thread-state observer (which sees each wait and unwait as it
 * happens, without disturbing any thread). The seed picks the arrival times, the work per request
 * and the read's latency, within bounds that keep the order of the story (timers expire on clock
 * ticks, so the read's latency and the arrivals are measured in ticks).
 */
final class KQueueLab implements Lab {
  private static final long US = 1_000L;
  private static final long MS = 1_000_000L;
  private static final Object QUIT = "quit";

  /** One step of the story: what happened, and the queue as it stood right after. */
  record Step(long timeNs, String what, int active, int entries, String book) {}

  private final List<Step> steps = new ArrayList<>();
  private final List<long[]> samples = new ArrayList<>(); // {time, active, entries}
  private KQueue queue;
  private int exited;
  private int maxActive;
  private Ntos os;

  @Override
  public String name() {
    return "kqueue";
  }

  @Override
  public String description() {
    return "a KQUEUE with concurrency 1: a worker blocks, a second is released, both end up"
        + " active (seed 001)";
  }

  @Override
  public long timeLimitNs() {
    return 1_000_000_000L;
  }

  /** The largest current count seen (steps and samples). */
  int maxActive() {
    return maxActive;
  }

  List<Step> steps() {
    return steps;
  }

  @Override
  public void start(Ntos os) {
    this.os = os;
    Kernel ke = os.kernel;
    KeObjects ko = ke.objects;
    Prng prng = os.machine.prng.split("kqueue");
    long tick = os.machine.config.clockIntervalNs; // timers expire on clock ticks
    long firstArrival = prng.nextLong(1, 3) * tick - prng.nextLong(0, tick / 2);
    long secondGap = prng.nextLong(100 * US, 300 * US);
    long firstWorkBeforeRead = secondGap + prng.nextLong(200 * US, 600 * US);
    long readLatency = prng.nextLong(tick / 2, 2 * tick);
    long firstWorkAfterRead = prng.nextLong(500 * US, 1500 * US);
    long secondWork = readLatency + tick + firstWorkAfterRead + prng.nextLong(1 * MS, 3 * MS);

    queue = ko.initializeQueue(1, os.pool.allocateNonPaged(0x28, "Queu"));
    KEvent readDone = new KEvent(false, false, os.pool.allocateNonPaged(0x10, "Evnt"));
    KTimer disk = new KTimer(true, os.pool.allocateNonPaged(0x28, "Timr"));
    Kdpc diskDpc = ke.initializeDpc("disk!CompleteRead", (d, c, a1, a2) -> {
      step("the read completes (DPC sets the event)", "the I/O completes");
      ke.setEvent(readDone, KEvent.EVENT_INCREMENT);
    }, null, os.pool.allocateNonPaged(0x20, "Kdpc"));
    ke.setThreadStateObserver((t, from, to) -> sample());

    for (int i = 1; i <= 2; i++) {
      String name = "worker " + i;
      EThread t = os.ps.createSystemThread(name, "kqueue!WorkerThread", 10, () -> {
        int[] status = new int[1];
        while (true) {
          Object entry = ko.removeQueue(queue, Kernel.KERNEL_MODE, false, -1, status);
          if (entry == QUIT) {
            step(name + " takes quit and exits", "");
            exited++;
            return 0;
          }
          step(name + " takes " + entry, entry.equals("request A")
              ? "a thread is dispatched to the first request: active"
              : "the second waiter is released in its place");
          if (entry.equals("request A")) {
            ke.spend(firstWorkBeforeRead);
            step(name + " starts a read, waits for it", "");
            ke.setTimer(disk, readLatency, false, 0, diskDpc);
            long switches = ke.currentThread().contextSwitches();
            ke.waitForSingleObject(readDone, WaitReason.EXECUTIVE, Kernel.KERNEL_MODE, false, -1);
            step(ke.currentThread().contextSwitches() != switches
                ? name + " wakes: its read is done" : name + " finds its read done, not blocked",
                "active again: 2 with a limit of 1");
            ke.spend(firstWorkAfterRead);
          } else {
            ke.spend(secondWork);
          }
          step(name + " finishes " + entry, entry.equals("request A")
              ? "until one of them blocks again (here, on the queue)" : "");
        }
      });
      os.ob.dereference(t.header());
    }

    EThread network = os.ps.createSystemThread("network", "kqueue!ReceiveThread", 12, () -> {
      ke.delayExecution(Kernel.KERNEL_MODE, false, firstArrival);
      ko.insertQueue(queue, "request A", false);
      step("request A inserted", "");
      ke.spend(secondGap); // receiving the second request
      ko.insertQueue(queue, "request B", false);
      step("request B inserted", "the limit is reached: the second waiter may not run");
      ke.delayExecution(Kernel.KERNEL_MODE, false, secondWork + 2 * tick);
      ko.insertQueue(queue, QUIT, false);
      ko.insertQueue(queue, QUIT, false);
      step("two quit entries inserted", "");
      return 0;
    });
    os.ob.dereference(network.header());
  }

  private void step(String what, String book) {
    int active = queue.currentCount();
    maxActive = Math.max(maxActive, active);
    steps.add(new Step(os.machine.nowNs(), what, active, queue.entryCount(), book));
  }

  /**
   * Called on every thread state change (the kernel's observer hook, which sees each wait and
   * unwait as it happens): records the active count whenever it differs from the last record.
   */
  private void sample() {
    int active = queue.currentCount();
    int entries = queue.entryCount();
    long[] last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
    if (last == null || last[1] != active || last[2] != entries) {
      maxActive = Math.max(maxActive, active);
      samples.add(new long[] {os.machine.nowNs(), active, entries});
    }
  }

  @Override
  public boolean finished(Ntos os) {
    return exited == 2;
  }

  @Override
  public void report(Ntos os, PrintStream out) {
    out.println("kqueue: a KQUEUE with concurrency limit 1, two worker threads (seed 001's"
        + " concurrency example)");
    out.printf("  %-10s  %-38s  %6s  %7s   %s%n", "time", "event", "active", "entries",
        "Windows Internals");
    for (Step s : steps) {
      out.printf("  %-10s  %-38s  %6d  %7d   %s%n", ThreadTable.ms(s.timeNs()), s.what(),
          s.active(), s.entries(), s.book());
    }
    out.println();
    out.println("  the queue's counts over time (every change, seen at thread state changes):");
    out.printf("  %-10s  %6s  %7s%n", "time", "active", "entries");
    for (long[] s : samples) {
      out.printf("  %-10s  %6d  %7d  %s%n", ThreadTable.ms(s[0]), s[1], s[2],
          "#".repeat((int) s[1]) + (s[1] > queue.maximumCount() ? "   <- above the limit" : ""));
    }
    out.println();
    out.printf("  highest active count: %d with a limit of %d%n", maxActive,
        queue.maximumCount());
    out.println("Windows Internals expects: a thread associated with the port that blocks on"
        + " something else stops counting as active,");
    out.println("  so a waiter is released; when the blocked thread wakes, both count, and the"
        + " active count exceeds the limit until one blocks again.");
    out.println(maxActive > queue.maximumCount()
        ? "  seen here: yes, the active count went above the limit."
        : "  seen here: NO, the active count never went above the limit.");
  }
}
