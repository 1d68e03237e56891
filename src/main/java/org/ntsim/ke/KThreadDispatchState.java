package org.ntsim.ke;

import org.ntsim.hal.Coroutine;

/**
 * The part of KTHREAD that the dispatcher reads when it wakes a thread and when it dispatches
 * one: scheduling state, priority, the ready-queue links, the wait's status and the objects a
 * wake-up follows (the thread's timer and its wait block) or a dispatch resumes (the coroutine).
 * {@link KThread} holds the rest.
 *
 * <h2>Implementation notes</h2>
 *
 * <p><b>Why a class of its own.</b> HotSpot lays out a superclass's fields before its subclass's,
 * so these fields take the first three cache lines of every thread object (objects start on a
 * line with the launcher's 64-byte alignment). With many threads a thread's object has left the
 * host's caches by the time its timer wakes it and again by the time it is dispatched, and each
 * visit then waits for every line it touches: grouped here, a wake-up touches three lines rather
 * than five. NT's KTHREAD groups its hot fields for the same reason.
 *
 * <p><b>Invariants.</b> Those of {@link KThread}, whose fields these are.
 */
abstract class KThreadDispatchState extends DispatcherObject {
  final KProcess process;
  final KTimer timer;
  final WaitBlock timerWaitBlock; // KThread.waitBlocks[THREAD_WAIT_OBJECTS], read without the array
  ThreadState state = ThreadState.INITIALIZED;
  WaitBlock waitBlockList;
  KThread readyNext; // ready-queue links
  KThread readyPrev;
  KThread deferredNext; // deferred ready list / swapper list
  KQueue queue; // the KQUEUE this thread is associated with
  KProcess attachedProcess; // ApcState.Process when attached to another process, else null
  Coroutine coroutine;

  long affinity;
  long readyTick; // KeTickCount when it last became ready (starvation detection)
  long earliestRunNs; // it may not run again before: when it last stopped running or was readied
  long contextSwitches;
  /** The thread part of the CID (ETHREAD Cid.UniqueThread), set by the process manager; 0 for idle threads. */
  public long uniqueThread;

  int priority;
  int basePriority;
  int priorityDecrement; // the part of priority above base that came from a boost
  int quantum; // quantum units left
  int idealProcessor;
  int lastCpu = -1; // processor it last ran on (NextProcessor)
  int readyCpu = -1; // whose ready queue holds it, while READY
  int standbyCpu = -1; // whose NextThread it is, while STANDBY
  int waitStatus;
  int waitReason;
  int savedIrql; // the IRQL to resume at

  final boolean idle;
  boolean preempted;
  boolean disableBoost;
  boolean kernelStackResident = true;
  boolean inKernel; // executing in kernel mode (system call or system thread)

  KThreadDispatchState(KProcess process, long address, long timerAddress, boolean idle) {
    super(THREAD, address);
    this.process = process;
    this.idle = idle;
    this.timer = new KTimer(true, timerAddress);
    this.timerWaitBlock = new WaitBlock();
  }
}
