package org.ntsim.labs;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.ntsim.hal.Prng;
import org.ntsim.ob.ObjectType;
import org.ntsim.ps.EProcess;
import org.ntsim.win32.GuestContext;
import org.ntsim.win32.Kernel32;
import org.ntsim.win32.Ntos;

/**
 * A seeded random workload for dispatcher objects, waits, APCs and handles, in the style of
 * simulation testing. The seed picks one to three processes, each with two to six worker
 * threads, and every operation they perform on a shared set of named events (manual and auto
 * reset), mutexes, semaphores and waitable timers: signals, resets and pulses, waits on one
 * object and on several (any and all) with timeouts, SignalObjectAndWait, mutex releases (by
 * owners and by others), semaphore releases past the limit, timers set once or periodically and
 * cancelled, alertable sleeps and user APCs, suspension and resumption of siblings, termination
 * of a sibling, handles opened by name, duplicated and closed. Every wait has a timeout, so the
 * workload always ends; threads that end owning mutexes abandon them.
 *
 * <p>The randomized test runs it over many seeds with the kernel's invariants checked after
 * every slice (no lost wake-up, every wait block on its object's list, owned mutants on their
 * owners' lists) and, at the end, every object deleted and every handle closed; a failing seed
 * replays with {@code ntsim run sync-stress --seed N --cpus M}.
 */
public final class SyncStressLab implements Lab {
  private static final int OBJECTS = 8;
  private static final long EVERYTHING_ENDS_MS = 20_000;

  private final List<EProcess> processes = new ArrayList<>();
  private Prng prng;
  private Ntos os;
  private long operations;
  private long waitsSatisfied;
  private long waitsTimedOut;
  private long abandonedSeen;
  private long apcsRun;
  private long[] objectsAtStart;

  @Override
  public String name() {
    return "sync-stress";
  }

  @Override
  public String description() {
    return "seeded random workload on events, mutexes, semaphores, timers, APCs and handles";
  }

  @Override
  public void start(Ntos os) {
    this.os = os;
    this.prng = os.machine.prng.split("sync-stress");
    objectsAtStart = objectCounts(os);
    int count = 1 + prng.nextInt(3);
    for (int i = 0; i < count; i++) {
      int threads = 2 + prng.nextInt(5);
      processes.add(os.launch("sync" + i + ".exe", ctx -> main(ctx, threads)));
    }
  }

  @Override
  public long timeLimitNs() {
    return 120_000_000_000L;
  }

  @Override
  public boolean finished(Ntos os) {
    for (EProcess p : processes) {
      if (p.exitTimeNs() < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * What is left of the workload once every process has ended, or null when nothing is: objects
   * of the four types beyond those that existed at the start, handles to them, or names left in
   * \BaseNamedObjects.
   */
  public String leftovers(Ntos os) {
    long[] now = objectCounts(os);
    ObjectType[] types = types(os);
    for (int i = 0; i < types.length; i++) {
      if (now[i] != objectsAtStart[i]) {
        return (now[i] - objectsAtStart[i]) + " " + types[i].name + " objects still exist";
      }
      if (types[i].handleCount() != 0) {
        return types[i].handleCount() + " handles to " + types[i].name + " objects are open";
      }
    }
    if (!os.ob.baseNamedObjects().objects().stream().allMatch(h -> h.isPermanent())) {
      return "temporary names remain in \\BaseNamedObjects";
    }
    os.ob.verifyNamespace();
    return null;
  }

  private static ObjectType[] types(Ntos os) {
    return new ObjectType[] {
      os.syncTypes.event, os.syncTypes.mutant, os.syncTypes.semaphore, os.syncTypes.timer
    };
  }

  private static long[] objectCounts(Ntos os) {
    ObjectType[] types = types(os);
    long[] counts = new long[types.length];
    for (int i = 0; i < types.length; i++) {
      counts[i] = types[i].objectCount();
    }
    return counts;
  }

  /** The objects of one process: named, so that processes share them. */
  private record Objects(long[] events, long[] mutexes, long[] semaphores, long[] timers) {
    long any(Prng prng) {
      return switch (prng.nextInt(4)) {
        case 0 -> pick(prng, events);
        case 1 -> pick(prng, mutexes);
        case 2 -> pick(prng, semaphores);
        default -> pick(prng, timers);
      };
    }

    static long pick(Prng prng, long[] handles) {
      return handles[prng.nextInt(handles.length)];
    }
  }

  private int main(GuestContext ctx, int threadCount) {
    Kernel32 k = ctx.kernel32();
    int n = OBJECTS / 2;
    long[] events = new long[n];
    long[] mutexes = new long[n];
    long[] semaphores = new long[n];
    long[] timers = new long[n];
    for (int i = 0; i < n; i++) {
      events[i] = k.CreateEventW(null, i % 2 == 0, false, "ev" + i);
      mutexes[i] = k.CreateMutexW(null, false, "mu" + i);
      int max = 1 + i;
      semaphores[i] = k.CreateSemaphoreW(null, prng.nextInt(max + 1), max, "se" + i);
      timers[i] = k.CreateWaitableTimerW(null, i % 2 == 0, "ti" + i);
    }
    Objects objects = new Objects(events, mutexes, semaphores, timers);
    long[] threads = new long[threadCount];
    boolean[] createdSuspended = new boolean[threadCount];
    for (int i = 0; i < threadCount; i++) {
      final int index = i;
      createdSuspended[i] = prng.nextInt(4) == 0;
      threads[i] = k.CreateThread(null, 0, p -> worker(ctx, objects, threads, index), 0,
          createdSuspended[i] ? Kernel32.CREATE_SUSPENDED : 0, null);
    }
    for (int i = 0; i < threadCount; i++) {
      if (createdSuspended[i]) {
        k.ResumeThread(threads[i]);
      }
    }
    for (long t : threads) {
      if (k.WaitForSingleObject(t, (int) EVERYTHING_ENDS_MS) != Kernel32.WAIT_OBJECT_0) {
        k.TerminateThread(t, 0xDEAD);
        k.WaitForSingleObject(t, Kernel32.INFINITE);
      }
    }
    for (long t : threads) {
      k.CloseHandle(t);
    }
    for (int i = 0; i < n; i++) {
      k.CloseHandle(events[i]);
      k.CloseHandle(mutexes[i]);
      k.CloseHandle(semaphores[i]);
      k.CloseHandle(timers[i]);
    }
    return 0;
  }

  private int worker(GuestContext ctx, Objects o, long[] siblings, int index) {
    Kernel32 k = ctx.kernel32();
    int ops = 10 + prng.nextInt(60);
    for (int i = 0; i < ops; i++) {
      operations++;
      switch (prng.nextInt(16)) {
        case 0 -> k.SetEvent(Objects.pick(prng, o.events));
        case 1 -> k.ResetEvent(Objects.pick(prng, o.events));
        case 2 -> k.PulseEvent(Objects.pick(prng, o.events));
        case 3, 4 -> count(k.WaitForSingleObject(o.any(prng), prng.nextInt(20)));
        case 5 -> waitForSeveral(k, o);
        case 6 -> k.ReleaseMutex(Objects.pick(prng, o.mutexes));
        case 7 -> k.ReleaseSemaphore(Objects.pick(prng, o.semaphores), 1 + prng.nextInt(2),
            null);
        case 8 -> k.SetWaitableTimer(Objects.pick(prng, o.timers),
            -10_000L * (1 + prng.nextInt(20)), prng.nextInt(3) == 0 ? 1 + prng.nextInt(10) : 0,
            null, 0, false);
        case 9 -> k.CancelWaitableTimer(Objects.pick(prng, o.timers));
        case 10 -> count(k.SignalObjectAndWait(prng.nextBoolean()
            ? Objects.pick(prng, o.events) : Objects.pick(prng, o.semaphores), o.any(prng),
            prng.nextInt(20), prng.nextBoolean()));
        case 11 -> {
          long sibling = siblings[prng.nextInt(siblings.length)];
          k.QueueUserAPC(p -> apcsRun++, sibling, index);
          k.SleepEx(prng.nextInt(5), true);
        }
        case 12 -> {
          int j = prng.nextInt(siblings.length);
          if (j != index && k.SuspendThread(siblings[j]) >= 0) {
            ctx.compute(prng.nextLong(1_000, 2_000_000));
            k.ResumeThread(siblings[j]);
          }
        }
        case 13 -> handles(k, o);
        case 14 -> {
          if (prng.nextInt(12) == 0) {
            long sibling = siblings[prng.nextInt(siblings.length)];
            k.TerminateThread(sibling, 0x7E);
          } else {
            ctx.compute(prng.nextLong(1_000, 500_000));
          }
        }
        default -> {
          if (prng.nextInt(15) == 0) {
            k.ExitThread(100 + index); // may leave mutexes owned: they are abandoned
          }
          ctx.compute(prng.nextLong(1_000, 3_000_000));
        }
      }
    }
    return index;
  }

  private void waitForSeveral(Kernel32 k, Objects o) {
    int count = 2 + prng.nextInt(5);
    long[] handles = new long[count];
    for (int j = 0; j < count; j++) {
      handles[j] = o.any(prng);
    }
    boolean all = prng.nextBoolean();
    if (all) {
      handles = distinct(handles); // WaitAll refuses a handle twice
    }
    count(k.WaitForMultipleObjectsEx(handles.length, handles, all, prng.nextInt(25),
        prng.nextBoolean()));
  }

  private static long[] distinct(long[] handles) {
    return java.util.Arrays.stream(handles).distinct().toArray();
  }

  private void handles(Kernel32 k, Objects o) {
    switch (prng.nextInt(3)) {
      case 0 -> {
        long h = k.OpenEventW(Kernel32.SYNCHRONIZE | Kernel32.EVENT_MODIFY_STATE, false,
            "ev" + prng.nextInt(OBJECTS / 2));
        k.SetEvent(h);
        k.CloseHandle(h);
      }
      case 1 -> {
        long[] dup = new long[1];
        if (k.DuplicateHandle(k.GetCurrentProcess(), o.any(prng), k.GetCurrentProcess(), dup, 0,
            false, org.ntsim.ob.ObjectManager.DUPLICATE_SAME_ACCESS)) {
          count(k.WaitForSingleObject(dup[0], prng.nextInt(5)));
          k.CloseHandle(dup[0]);
        }
      }
      default -> {
        long h = k.CreateMutexW(null, prng.nextBoolean(), "tmp" + prng.nextInt(3));
        count(k.WaitForSingleObject(h, prng.nextInt(5)));
        k.CloseHandle(h); // an owned mutex deleted here is abandoned
      }
    }
  }

  private void count(int waitResult) {
    if (waitResult == Kernel32.WAIT_TIMEOUT) {
      waitsTimedOut++;
    } else if (waitResult >= Kernel32.WAIT_ABANDONED_0
        && waitResult < Kernel32.WAIT_ABANDONED_0 + 64) {
      abandonedSeen++;
    } else if (waitResult >= 0 && waitResult < 64) {
      waitsSatisfied++;
    }
  }

  @Override
  public void report(Ntos os, PrintStream out) {
    out.printf("sync-stress: %d processes, %d operations, %s simulated%n", processes.size(),
        operations, ThreadTable.ms(os.machine.nowNs()));
    out.printf("  waits satisfied %d, timed out %d, abandoned %d; user APCs run %d%n",
        waitsSatisfied, waitsTimedOut, abandonedSeen, apcsRun);
    for (EProcess p : processes) {
      out.printf("  %-12s exit %s%n", p.imageName(),
          p.exitTimeNs() >= 0 ? String.format("0x%X", p.exitStatus()) : "still running");
    }
    if (finished(os)) {
      String left = leftovers(os);
      out.println("  " + (left == null ? "every object deleted, every handle closed" : left));
    }
  }
}
