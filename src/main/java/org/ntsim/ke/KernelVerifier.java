package org.ntsim.ke;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A full sweep over the dispatcher's structures, for tests (see {@code hal.Checks}): ready queues
 * against the ready summary and thread states, the current, next and idle threads of each
 * processor, wait blocks against the objects' wait lists, no waiting thread whose objects would
 * satisfy it (a lost wake-up), and DPC queue depths.
 */
final class KernelVerifier {
  private final Kernel kernel;

  KernelVerifier(Kernel kernel) {
    this.kernel = kernel;
  }

  void verify() {
    Map<KThread, String> placed = new LinkedHashMap<>(); // threads compare by identity
    for (int c = 0; c < kernel.processorCount(); c++) {
      verifyProcessor(kernel.prcb(c), placed);
    }
    for (KThread t : kernel.liveThreads()) {
      verifyThread(t, placed);
    }
  }

  private void verifyProcessor(KPrcb p, Map<KThread, String> placed) {
    int count = 0;
    for (int pri = 0; pri < 32; pri++) {
      boolean bit = (p.readySummary & (1 << pri)) != 0;
      check(bit == (p.readyHead[pri] != null), p, "ready summary bit " + pri + " disagrees");
      KThread prev = null;
      for (KThread t = p.readyHead[pri]; t != null; t = t.readyNext) {
        check(t.readyPrev == prev, p, "broken back link at priority " + pri);
        check(t.priority == pri, p, t.name + " queued at " + pri + " has priority " + t.priority);
        check(t.state == ThreadState.READY, p, t.name + " in a ready queue is " + t.state);
        check(t.readyCpu == p.number, p, t.name + " says it is queued on " + t.readyCpu);
        check(Scheduler.allowed(t, p.number), p, t.name + " queued outside its affinity");
        place(placed, t, "ready on " + p.number, p);
        prev = t;
        count++;
      }
      check(p.readyTail[pri] == prev, p, "ready tail wrong at priority " + pri);
    }
    check(count == p.readyCount, p, "ready count " + p.readyCount + " but " + count + " queued");
    KThread cur = p.currentThread;
    check(cur != null, p, "no current thread");
    if (cur != p.idleThread) {
      check(cur.state == ThreadState.RUNNING, p, "current " + cur.name + " is " + cur.state);
      check(cur.lastCpu == p.number, p, "current " + cur.name + " last ran on " + cur.lastCpu);
      check(Scheduler.allowed(cur, p.number) || p.nextThread != null, p,
          "current " + cur.name + " runs outside its affinity with nothing to replace it");
      place(placed, cur, "running on " + p.number, p);
    }
    KThread next = p.nextThread;
    if (next != null && next != p.idleThread) {
      check(next.state == ThreadState.STANDBY, p, "next " + next.name + " is " + next.state);
      check(next.standbyCpu == p.number, p, "next " + next.name + " standby cpu wrong");
      check(Scheduler.allowed(next, p.number), p, "standby outside affinity");
      place(placed, next, "standby on " + p.number, p);
    }
    int dpcs = 0;
    for (Kdpc d = p.dpcHead; d != null; d = d.next) {
      check(d.queuedOn == p.number, p, "DPC " + d.name + " says it is on " + d.queuedOn);
      dpcs++;
    }
    check(dpcs == p.dpcQueueDepth, p, "DPC depth " + p.dpcQueueDepth + " but " + dpcs);
    check(p.deferredReadyHead == null, p, "deferred ready list not drained");
  }

  private void verifyThread(KThread t, Map<KThread, String> placed) {
    for (KMutant m = t.ownedMutants; m != null; m = m.ownerNext) {
      check(m.owner == t, null, t.name + " lists a mutant it does not own");
      check(m.signalState <= 0, null, t.name + " owns a mutant whose count is " + m.signalState);
    }
    if (t.queue != null) {
      check(t.queue.threads.contains(t), null, t.name + " is not on its queue's thread list");
    }
    check(t.kernelApcHead == null || t.kernelApcPending, null,
        t.name + " has kernel APCs queued but none pending");
    switch (t.state) {
      case READY, RUNNING, STANDBY -> check(placed.containsKey(t), null,
          t.name + " is " + t.state + " but on no processor");
      case WAITING -> {
        check(t.waitBlockList != null, null, t.name + " waits with no wait blocks");
        for (WaitBlock b = t.waitBlockList; b != null; b = b.nextWaitBlock) {
          check(b.linked && onList(b), null, t.name + " has a wait block off its object's list");
        }
        check(!placed.containsKey(t), null, t.name + " waits but is " + placed.get(t));
        check(!wakeable(t), null, t.name + " waits on objects that would satisfy it (lost wake-up)");
      }
      case TERMINATED -> check(false, null, t.name + " is terminated but still live");
      default -> check(!placed.containsKey(t), null, t.name + " is " + t.state + " but "
          + placed.get(t));
    }
  }

  /**
   * Whether the objects {@code t} waits on would satisfy its wait now: one of its wait-any
   * objects signalled for it, or every wait-all object. A queue satisfies a remover only while
   * its active count is under the concurrency limit.
   */
  private static boolean wakeable(KThread t) {
    boolean waitAll = false;
    boolean allSignaled = true;
    for (WaitBlock b = t.waitBlockList; b != null; b = b.nextWaitBlock) {
      boolean signaled = b.object instanceof KQueue q
          ? q.signalState > 0 && q.currentCount < q.maximumCount
          : b.object.isSignaledFor(t);
      if (b.waitType == WaitBlock.WAIT_ANY) {
        if (signaled) {
          return true;
        }
      } else {
        waitAll = true;
        allSignaled &= signaled;
      }
    }
    return waitAll && allSignaled;
  }

  private static boolean onList(WaitBlock b) {
    DispatcherObject o = b.object;
    WaitBlock prev = null;
    for (WaitBlock w = o.waitListFirst; w != null; prev = w, w = w.next) {
      if (w.prev != prev) {
        return false;
      }
      if (w == b) {
        return true;
      }
    }
    return false;
  }

  private static void place(Map<KThread, String> placed, KThread t, String where, KPrcb p) {
    String before = placed.put(t, where);
    check(before == null, p, t.name + " is both " + before + " and " + where);
  }

  private static void check(boolean ok, KPrcb p, String what) {
    if (!ok) {
      throw new IllegalStateException("kernel invariant broken"
          + (p == null ? "" : " on processor " + p.number) + ": " + what);
    }
  }
}
