package org.ntsim.ke;

import org.ntsim.hal.Accountable;
import org.ntsim.hal.Coroutine;
import org.ntsim.hal.TimeCategory;

/**
 * KTHREAD: the kernel's part of a thread (seed 004, "KTHREAD fields") and its coroutine.
 *
 * <p>Models: scheduling state and priority (current, base, decrement left from a boost), quantum
 * in units (3 per clock tick) and, under Vista's accounting, its target in cycles, hard affinity
 * and ideal processor, the wait (reason, mode, status, wait blocks: three built in plus one for
 * the timeout timer, as NT's), context-switch count, and CPU time both as NT samples it at clock
 * ticks and measured exactly.
 *
 * <p>Invariants: in READY it is in exactly one CPU's ready queue ({@code readyCpu}); in STANDBY it
 * is exactly one CPU's NextThread; in RUNNING exactly one CPU's CurrentThread; in WAITING its wait
 * blocks are on their objects' lists; a thread is signalled once it is TERMINATED.
 *
 * <p>Layout: the fields the dispatcher reads at every wake-up and dispatch are declared in
 * {@link KThreadDispatchState}, so that they come first in the object; the rest are here.
 */
public class KThread extends KThreadDispatchState implements Accountable {
  public static final int THREAD_WAIT_OBJECTS = 3;
  public static final int LOW_REALTIME_PRIORITY = 16;
  public static final int HIGH_PRIORITY = 31;

  String name;
  long waitTick; // KeTickCount when it last began waiting
  int waitMode; // 0 KernelMode, 1 UserMode
  boolean alertable;
  int waitObjectCount;
  int waitIrql;
  final WaitBlock[] waitBlocks = new WaitBlock[THREAD_WAIT_OBJECTS + 1];
  WaitBlock[] largeWaitBlocks; // for waits on more than THREAD_WAIT_OBJECTS objects
  boolean terminationRequested;
  boolean waitNext; // KTHREAD.WaitNext: a wait follows at once; the dispatcher stays held

  // APC state (KAPC_STATE and the disable counts)
  Kapc kernelApcHead; // special APCs first, then normal ones, each group first-in first-out
  Kapc userApcHead;
  boolean kernelApcPending;
  boolean userApcPending;
  boolean kernelApcInProgress; // a normal kernel APC's normal routine is running
  int kernelApcDisable; // KeEnterCriticalRegion depth (and held kernel mutexes)
  int specialApcDisable; // KeEnterGuardedRegion depth
  boolean apcQueueable = true;
  boolean alertedUser;
  boolean alertedKernel;
  int suspendCount;
  Kapc suspendApc; // built in, as KTHREAD.SuspendApc
  KSemaphore suspendSemaphore; // KTHREAD.SuspendSemaphore
  KMutant ownedMutants; // MutantListHead
  Object queueEntry; // the entry KeRemoveQueue hands back

  /** KTHREAD.QuantumTarget: the cycle time at which the quantum runs out (cycle accounting). */
  long quantumTargetCycles;
  long quantumEnds; // quantum ends it reached while running (KiQuantumEnd found it expired)
  long kernelTicks;
  long userTicks;
  long exactUserNs;
  long exactKernelNs;

  Runnable body;

  /**
   * KTHREAD.PreviousMode: the mode the current system service was called from (KernelMode for a
   * Zw* call, a system thread, or no service at all; UserMode inside a service a guest called).
   */
  int previousMode = Kernel.KERNEL_MODE;
  /** The system service (its number in the service table) the thread is in, or -1. */
  int service = -1;
  /** Picoseconds of instrumented guest code charged but not yet a whole nanosecond. */
  long guestPicoseconds;
  /** How much of the time it deferred the loop has passed for it (SimulationPoints). */
  long spendProgressNs;

  protected KThread(KProcess process, long address, long timerAddress, boolean idle) {
    super(process, address, timerAddress, idle);
    for (int i = 0; i < THREAD_WAIT_OBJECTS; i++) {
      waitBlocks[i] = new WaitBlock();
    }
    waitBlocks[THREAD_WAIT_OBJECTS] = timerWaitBlock;
  }

  /*
   * Read-ahead for the scheduler and the timer DPC, which know which threads come next: with
   * many threads, a thread's objects have left the host's caches by the time it is readied or
   * dispatched again. These methods only read, and return a combination of what they read so
   * that the reads are kept; the callers add it to a sink.
   */

  /**
   * Reads the lines of {@link KThreadDispatchState}, which a wake-up and a dispatch read nearly
   * all of: one field from each of its three cache lines.
   */
  int warmUpFields() {
    int x = (readyNext != null ? 1 : 0) + priority + waitStatus;
    if (kernelStackResident) {
      x++;
    }
    return x + state.ordinal();
  }

  /**
   * Reads the line of this class's own fields that the thread reads first once it runs: its wait
   * mode, APC state and CPU time.
   */
  int warmUpRunFields() {
    return kernelApcPending ? waitMode + 1 : waitMode;
  }

  /**
   * Reads the objects that running this thread reads first: its coroutine, its wait block and
   * both lines of its timer.
   */
  int warmUpObjects() {
    KTimer t = timer;
    int x = t.signalState + t.listSlot;
    if (timerWaitBlock.linked) {
      x++;
    }
    Coroutine c = coroutine;
    if (c != null && c.isDone()) {
      x++;
    }
    return x;
  }

  @Override
  public void chargeExact(int category, long ns) {
    if (category == TimeCategory.USER) {
      exactUserNs += ns;
    } else {
      exactKernelNs += ns;
    }
  }

  public KProcess kprocess() {
    return process;
  }

  /** The process whose address space the thread runs in: its own, or the one it attached to. */
  public KProcess addressSpaceProcess() {
    return attachedProcess != null ? attachedProcess : process;
  }

  public boolean isIdleThread() {
    return idle;
  }

  public String name() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public ThreadState state() {
    return state;
  }

  public int priority() {
    return priority;
  }

  public int basePriority() {
    return basePriority;
  }

  /** The part of the current priority above base that came from a boost (PriorityDecrement). */
  public int priorityDecrement() {
    return priorityDecrement;
  }

  public int quantum() {
    return quantum;
  }

  /** Quantum ends this thread reached while running. */
  public long quantumEnds() {
    return quantumEnds;
  }

  /** KTHREAD.QuantumTarget, in processor cycles (0 under tick accounting). */
  public long quantumTargetCycles() {
    return quantumTargetCycles;
  }

  public long affinity() {
    return affinity;
  }

  public int idealProcessor() {
    return idealProcessor;
  }

  public int lastCpu() {
    return lastCpu;
  }

  public int readyCpu() {
    return readyCpu;
  }

  public boolean kernelStackResident() {
    return kernelStackResident;
  }

  public int waitReason() {
    return waitReason;
  }

  public int waitMode() {
    return waitMode;
  }

  public boolean alertable() {
    return alertable;
  }

  public int waitStatus() {
    return waitStatus;
  }

  public long waitTick() {
    return waitTick;
  }

  public long readyTick() {
    return readyTick;
  }

  public boolean inKernel() {
    return inKernel;
  }

  /** KTHREAD.PreviousMode (ExGetPreviousMode): Kernel.KERNEL_MODE or Kernel.USER_MODE. */
  public int previousMode() {
    return previousMode;
  }

  /** The number of the system service the thread is in, or -1 outside one. */
  public int service() {
    return service;
  }

  public boolean terminationRequested() {
    return terminationRequested;
  }

  public long contextSwitches() {
    return contextSwitches;
  }

  public long kernelTicks() {
    return kernelTicks;
  }

  public long userTicks() {
    return userTicks;
  }

  public long exactUserNs() {
    return exactUserNs;
  }

  public long exactKernelNs() {
    return exactKernelNs;
  }

  public int suspendCount() {
    return suspendCount;
  }

  public KQueue queue() {
    return queue;
  }

  public boolean kernelApcPending() {
    return kernelApcPending;
  }

  public boolean userApcPending() {
    return userApcPending;
  }

  public int kernelApcDisable() {
    return kernelApcDisable;
  }

  public int specialApcDisable() {
    return specialApcDisable;
  }

  /** Queued APCs: kernel ones (special first) then user ones. */
  public java.util.List<Kapc> queuedApcs() {
    java.util.List<Kapc> out = new java.util.ArrayList<>();
    for (Kapc a = kernelApcHead; a != null; a = a.next) {
      out.add(a);
    }
    for (Kapc a = userApcHead; a != null; a = a.next) {
      out.add(a);
    }
    return out;
  }

  /** Mutants this thread owns, most recently acquired first. */
  public java.util.List<KMutant> ownedMutants() {
    java.util.List<KMutant> out = new java.util.ArrayList<>();
    for (KMutant m = ownedMutants; m != null; m = m.ownerNext) {
      out.add(m);
    }
    return out;
  }

  public KTimer timer() {
    return timer;
  }

  /** The wait blocks of the current wait, in key order; empty when not waiting. */
  public java.util.List<WaitBlock> currentWaitBlocks() {
    java.util.List<WaitBlock> out = new java.util.ArrayList<>();
    for (WaitBlock b = waitBlockList; b != null; b = b.nextWaitBlock) {
      out.add(b);
    }
    return out;
  }

  public boolean isRealTime() {
    return priority >= LOW_REALTIME_PRIORITY;
  }

  @Override
  public String typeName() {
    return "Thread";
  }
}
