package org.ntsim.ke;

import java.util.ArrayList;
import java.util.List;
import org.ntsim.hal.Cpu;
import org.ntsim.hal.Machine;
import org.ntsim.trace.TraceKind;

/**
 * A thread's life and its scheduling parameters (ReactOS's ke/thrdobj.c and ke/procobj.c):
 * KeInitThread and the first KeReadyThread, KeTerminateThread with its rundown of owned mutants
 * and queue, KeStackAttachProcess, and the routines that set a thread's priority, base priority,
 * affinity and ideal processor.
 *
 * <p>Invariants: {@link #liveThreads} holds, in creation order, every thread initialised and not
 * yet terminated; a thread's affinity is never empty and lies within its process's; a terminated
 * thread owns no mutant and belongs to no queue.
 *
 * <p>Left out: KeSuspendThread and alerts ({@link KeObjects}), processor groups, and the
 * per-process quantum and priority class tables (the process's base priority is set as given).
 */
final class ThreadControl {
  private final Kernel kernel;
  private final Machine machine;
  private final Scheduler scheduler;
  /** Every thread that has been initialised and not yet terminated, in creation order. */
  final List<KThread> liveThreads = new ArrayList<>();

  ThreadControl(Kernel kernel, Scheduler scheduler) {
    this.kernel = kernel;
    this.machine = kernel.machine();
    this.scheduler = scheduler;
  }

  /**
   * KeInitThread: sets up a thread that will run {@code body} on its own coroutine. The thread is
   * Initialized until {@link #readyNewThread(KThread)}.
   */
  void initThread(KThread t, String name, int priority, long affinity, boolean kernelMode,
      Runnable body) {
    KProcess p = t.process;
    t.name = name;
    t.basePriority = priority;
    t.priority = priority;
    t.affinity = affinity & p.affinity;
    if (t.affinity == 0) {
      t.affinity = p.affinity;
    }
    t.idealProcessor = pickIdealProcessor(p, t.affinity);
    if (p.threads.isEmpty()) {
      p.quantumReset = scheduler.quantum.quantumReset(p.foreground); // PspComputeQuantum
    }
    scheduler.quantum.resetQuantum(t);
    t.inKernel = kernelMode;
    t.body = body;
    t.state = ThreadState.INITIALIZED;
    p.threads.add(t);
    liveThreads.add(t);
  }

  private int pickIdealProcessor(KProcess p, long affinity) {
    int n = kernel.processorCount();
    for (int i = 0; i < n; i++) {
      int c = (p.threadSeed + i) % n;
      if ((affinity & (1L << c)) != 0) {
        p.threadSeed = c + 1;
        return c;
      }
    }
    return Long.numberOfTrailingZeros(affinity);
  }

  /** KeReadyThread for a new thread: Initialized to DeferredReady, then placed. */
  void readyNewThread(KThread t) {
    machine.tracer.emit(machine.activeCpu().clockNs(), machine.activeCpu().index,
        TraceKind.THREAD_CREATE, t.uniqueThread, t.process.uniqueProcess, t.priority);
    scheduler.readyThread(t);
    kernel.exitDispatcher();
  }

  /**
   * KeTerminateThread: the thread is signalled and leaves the processor for good. Called on the
   * thread's own coroutine as its last act; the caller then returns from the thread body.
   */
  void terminateCurrentThread(int exitStatus) {
    KThread self = kernel.currentThread();
    Cpu cpu = machine.activeCpu();
    machine.tracer.emit(cpu.clockNs(), cpu.index, TraceKind.THREAD_EXIT, self.uniqueThread,
        self.process.uniqueProcess, exitStatus);
    self.apcQueueable = false;
    rundownThread(self);
    self.signalState = 1;
    kernel.waits.waitTest(self, 0);
    scheduler.processDeferredReadyList();
    self.process.threads.remove(self);
    liveThreads.remove(self);
    scheduler.setState(self, ThreadState.TERMINATED);
    KPrcb prcb = kernel.currentPrcb();
    KThread next = scheduler.selectNextThread(prcb);
    scheduler.contextSwitch(prcb, self, next);
    cpu.setIrql(next.savedIrql);
  }

  /**
   * KeRundownThread: abandons every mutant the ending thread still owns and takes it off its
   * queue (releasing a waiter in its place); user APCs still queued are flushed with their
   * rundown routines (PspExitThread's KeFlushQueueApc).
   */
  private void rundownThread(KThread t) {
    kernel.apcs.flushUser(t);
    while (t.ownedMutants != null) {
      KMutant m = t.ownedMutants;
      t.ownedMutants = m.ownerNext;
      m.ownerNext = null;
      m.owner = null;
      m.signalState = 1;
      m.abandoned = true;
      if (m.kernelMutex) {
        t.kernelApcDisable--;
      }
      kernel.waits.waitTest(m, KMutant.MUTANT_INCREMENT);
    }
    if (t.queue != null) {
      KQueue q = t.queue;
      q.threads.remove(t);
      t.queue = null;
      kernel.objects.activateWaiter(q);
    }
  }

  /**
   * KeStackAttachProcess: the current thread runs in {@code p}'s address space until
   * {@link #unstackDetachProcess}; it keeps doing so if it is switched out and resumes elsewhere.
   * Returns the process it was attached to before (null: its own), for the detach.
   */
  KProcess stackAttachProcess(KProcess p) {
    kernel.waits.checkSwitchContext(p.address, "process attach");
    KThread t = kernel.currentThread();
    KProcess previous = t.attachedProcess;
    t.attachedProcess = p == t.process ? null : p;
    loadAddressSpace(t);
    return previous;
  }

  /** KeUnstackDetachProcess: back to the address space the thread had before the attach. */
  void unstackDetachProcess(KProcess previous) {
    KThread t = kernel.currentThread();
    t.attachedProcess = previous;
    loadAddressSpace(t);
  }

  private void loadAddressSpace(KThread t) {
    long directoryBase = t.addressSpaceProcess().directoryTableBase;
    if (directoryBase != 0) {
      machine.activeCpu().mmu.loadDirectoryBase(directoryBase);
    }
  }

  /** KeSetPriorityThread: returns the old priority. */
  int setPriorityThread(KThread t, int priority) {
    int old = t.priority;
    t.priorityDecrement = 0;
    scheduler.setPriority(t, priority);
    kernel.exitDispatcher();
    return old;
  }

  /** KeSetBasePriorityThread-like: a new base; the current priority follows it (boosts drop). */
  void setBasePriority(KThread t, int base) {
    t.basePriority = base;
    t.priorityDecrement = 0;
    scheduler.setPriority(t, base);
    kernel.exitDispatcher();
  }

  /** KeSetAffinityThread: returns the old affinity. */
  long setAffinityThread(KThread t, long affinity) {
    long old = t.affinity;
    scheduler.setAffinity(t, affinity);
    kernel.exitDispatcher();
    return old;
  }
}
