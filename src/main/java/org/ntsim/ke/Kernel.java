package org.ntsim.ke;

import java.util.ArrayList;
import java.util.List;
import org.ntsim.hal.Checks;
import org.ntsim.hal.CostModel;
import org.ntsim.hal.Coroutine;
import org.ntsim.hal.Cpu;
import org.ntsim.hal.CpuDriver;
import org.ntsim.hal.Irql;
import org.ntsim.hal.Machine;
import org.ntsim.hal.TimeCategory;
import org.ntsim.trace.TraceKind;

/**
 * The kernel (ntoskrnl's Ke layer): the processor blocks, the dispatcher, waits, timers, DPCs, the
 * clock interrupt and its time accounting, and the kernel's own system-thread loops (balance set
 * manager and stack swapper). Its public methods are the exported Ke routines; each Javadoc opens
 * with the NT routine it models.
 *
 * <p>Execution contexts: code runs either on a thread's coroutine (guest code, system calls,
 * system threads) or on the machine loop's stack at raised IRQL (ISRs and DPCs, "arbitrary
 * context"). Only coroutine code may block; {@link #spend(long)} is the simulation point where it
 * gives the CPU back to the loop when the slice ends or an interrupt is due.
 *
 * <p>Invariants: dispatcher state changes only between simulation points, so every operation here
 * is atomic with respect to other CPUs and interrupts (the role of the dispatcher lock in NT).
 */
public final class Kernel implements CpuDriver {
  /** TIMER_EXPIRE_INCREMENT: timer expiry gives no boost. */
  public static final int TIMER_EXPIRE_INCREMENT = 0;
  /** Ticks a thread may sit ready before the balance set manager boosts it (about 4.7 s). */
  public static final int READY_WITHOUT_RUNNING_TICKS = 300;
  /** Seconds a thread waits in user mode before its kernel stack may be swapped out. */
  public static final int STACK_OUTSWAP_WAIT_SECONDS = 7;
  public static final int KERNEL_MODE = 0;
  public static final int USER_MODE = 1;

  private final Machine machine;
  private final CostModel cost; // the machine's, read at each use: fixed for a run
  private final KPrcb[] prcbs;
  private final Scheduler scheduler;
  final Apcs apcs = new Apcs(this);
  /** The dispatcher objects' operations: mutants, semaphores, events, queues, APCs, suspension. */
  public final KeObjects objects = new KeObjects(this);
  private final TimerTable timerTable;
  private final Kdpc timerExpiryDpc;
  private final KEvent swapEvent;
  private KThread swapListHead; // threads in Transition, waiting for their stacks
  private KThread runningCoroutine; // non-null while a thread's coroutine runs
  private final List<KThread> liveThreads = new ArrayList<>();
  private BugCheck bugCheck;
  private long nextStaticAddress = 0x81F00000L;
  private int bsmPasses;
  private long starvationBoosts;
  private long stacksOutswapped;
  private long stacksInswapped;
  private int warmUpSink; // keeps the reads of warmUpNextExpiries; its value means nothing

  public Kernel(Machine machine) {
    this.machine = machine;
    this.cost = machine.cost;
    this.prcbs = new KPrcb[machine.cpuCount()];
    for (int i = 0; i < prcbs.length; i++) {
      Cpu cpu = machine.cpu(i);
      prcbs[i] = new KPrcb(i, cpu);
      cpu.setHandler(Irql.CLOCK_LEVEL, this::clockInterrupt);
      cpu.setHandler(Irql.IPI_LEVEL, this::ipiInterrupt);
      cpu.setHandler(Irql.DISPATCH_LEVEL, this::dispatchInterrupt);
    }
    this.scheduler = new Scheduler(this);
    this.timerTable = new TimerTable(machine.config.clockIntervalNs);
    this.timerExpiryDpc =
        new Kdpc("nt!KiTimerExpiration", this::timerExpiration, null, staticAddress(0x20));
    this.timerExpiryDpc.importance = Kdpc.HIGH_IMPORTANCE;
    this.timerExpiryDpc.targetCpu = 0;
    this.swapEvent = new KEvent(false, false, staticAddress(0x10));
    machine.attach(this);
    if (machine.tracer.isRecording()) {
      machine.tracer.nameServices(ServiceTable.names());
    }
  }

  /** An address in the kernel image's data, for objects NT allocates statically. */
  public long staticAddress(int sizeBytes) {
    long a = nextStaticAddress;
    nextStaticAddress += (sizeBytes + 7) & ~7L;
    return a;
  }

  // ================================================================== boot

  /**
   * KiInitializeKernel for each processor: binds the idle threads and starts the clock. The idle
   * threads run at priority 0 in the Idle process.
   */
  public void startProcessors(KThread[] idleThreads) {
    for (int i = 0; i < prcbs.length; i++) {
      KThread idle = idleThreads[i];
      idle.priority = 0;
      idle.basePriority = 0;
      idle.affinity = 1L << i;
      idle.idealProcessor = i;
      idle.lastCpu = i;
      idle.inKernel = true;
      idle.state = ThreadState.RUNNING;
      prcbs[i].idleThread = idle;
      prcbs[i].currentThread = idle;
      scheduler.mount(machine.cpu(i), idle);
    }
    machine.startIntervalTimer();
  }

  // ================================================================== accessors

  public Machine machine() {
    return machine;
  }

  public KPrcb prcb(int cpu) {
    return prcbs[cpu];
  }

  public int processorCount() {
    return prcbs.length;
  }

  public KPrcb currentPrcb() {
    return prcbs[machine.activeCpu().index];
  }

  /** KeGetCurrentThread. */
  public KThread currentThread() {
    return currentPrcb().currentThread;
  }

  /** KeTickCount: clock interrupts since boot. */
  public long tickCount() {
    return machine.clockTicks();
  }

  /** The bug check that stopped the machine, or null. */
  public BugCheck bugCheck() {
    return bugCheck;
  }

  public long starvationBoosts() {
    return starvationBoosts;
  }

  /** Running threads displaced by a higher-priority thread (dispatch-interrupt preemptions). */
  public long preemptions() {
    return scheduler.preemptions;
  }

  public long quantumEnds() {
    return scheduler.quantumEnds;
  }

  /** Quantum ends that gave the processor to another ready thread. */
  public long roundRobins() {
    return scheduler.roundRobins;
  }

  /** Priority boosts on wait completion. */
  public long waitBoosts() {
    return scheduler.waitBoosts;
  }

  public long stacksOutswapped() {
    return stacksOutswapped;
  }

  public long stacksInswapped() {
    return stacksInswapped;
  }

  public int timerCount() {
    return timerTable.count();
  }

  public List<KTimer> timers() {
    return timerTable.all();
  }

  /** Every thread that has been initialised and not yet terminated, in creation order. */
  public List<KThread> liveThreads() {
    return liveThreads;
  }

  /** The thread id traces and the debugger show (the CID, 0 for idle threads). */
  public long threadId(KThread t) {
    return t.uniqueThread;
  }

  /** Reports every thread state change to {@code observer} from now on (null: nobody). */
  public void setThreadStateObserver(ThreadStateObserver observer) {
    scheduler.stateObserver = observer;
  }

  /** True while a thread's coroutine (not an ISR or DPC on the loop) is executing. */
  public boolean inThreadContext() {
    return runningCoroutine != null;
  }

  // ================================================================== threads

  /**
   * KeInitThread: sets up a thread that will run {@code body} on its own coroutine. The thread is
   * Initialized until {@link #readyNewThread(KThread)}.
   */
  public void initThread(KThread t, String name, int priority, long affinity, boolean kernelMode,
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
    t.quantum = p.quantumReset;
    t.inKernel = kernelMode;
    t.body = body;
    t.state = ThreadState.INITIALIZED;
    p.threads.add(t);
    liveThreads.add(t);
  }

  private int pickIdealProcessor(KProcess p, long affinity) {
    int n = prcbs.length;
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
  public void readyNewThread(KThread t) {
    machine.tracer.emit(machine.activeCpu().clockNs(), machine.activeCpu().index,
        TraceKind.THREAD_CREATE, t.uniqueThread, t.process.uniqueProcess, t.priority);
    scheduler.readyThread(t);
    exitDispatcher();
  }

  /**
   * Runs (or continues) a thread's coroutine on the active CPU; called by the processor loop. The
   * coroutine runs the thread's body itself, with no frame of the kernel's beneath it: every frame
   * on a coroutine's stack is copied out and back in at each switch.
   */
  void resumeThread(KThread t) {
    Coroutine c = t.coroutine;
    if (c == null) {
      c = machine.backend.create(t.name, t.body);
      t.coroutine = c;
    }
    KThread saved = runningCoroutine;
    runningCoroutine = t;
    KPrcb prcb = prcbs[machine.activeCpu().index];
    if (prcb.readyCount >= KPrcb.READ_AHEAD_MIN_READY) {
      prcb.warmUpReadyQueue();
    }
    try {
      c.resume();
    } finally {
      runningCoroutine = saved;
    }
    if (t.state != ThreadState.TERMINATED && c.isDone()) {
      throw new IllegalStateException("thread " + t.name + " returned without terminating");
    }
  }

  /**
   * KeTerminateThread: the thread is signalled and leaves the processor for good. Called on the
   * thread's own coroutine as its last act; the caller then returns from the thread body.
   */
  public void terminateCurrentThread(int exitStatus) {
    KThread self = currentThread();
    Cpu cpu = machine.activeCpu();
    machine.tracer.emit(cpu.clockNs(), cpu.index, TraceKind.THREAD_EXIT, self.uniqueThread,
        self.process.uniqueProcess, exitStatus);
    self.apcQueueable = false;
    rundownThread(self);
    self.signalState = 1;
    waitTest(self, 0);
    scheduler.processDeferredReadyList();
    self.process.threads.remove(self);
    liveThreads.remove(self);
    scheduler.setState(self, ThreadState.TERMINATED);
    KPrcb prcb = currentPrcb();
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
    apcs.flushUser(t);
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
      waitTest(m, KMutant.MUTANT_INCREMENT);
    }
    if (t.queue != null) {
      KQueue q = t.queue;
      q.threads.remove(t);
      t.queue = null;
      objects.activateWaiter(q);
    }
  }

  /** Signals a process object (all its threads have ended) and releases its waiters. */
  public void signalProcess(KProcess p, int exitStatus) {
    Cpu cpu = machine.activeCpu();
    machine.tracer.emit(cpu.clockNs(), cpu.index, TraceKind.PROCESS_EXIT, p.uniqueProcess,
        exitStatus, 0);
    p.signalState = 1;
    waitTest(p, 0);
    exitDispatcher();
  }

  /**
   * Asks a thread to end, as NT's termination APC does: a waiting thread is woken with
   * STATUS_KERNEL_APC, and any thread ends at its next system-service boundary.
   */
  public void requestTermination(KThread t) {
    if (t.terminationRequested || t.state == ThreadState.TERMINATED) {
      return;
    }
    Kapc exitApc = new Kapc(t, "nt!PsExitSpecialApc", apc -> apc.thread.terminationRequested = true,
        null, null, KERNEL_MODE, t.address + 0x1a0);
    if (!apcs.insert(exitApc, null, null, 0)) {
      t.terminationRequested = true;
    }
  }

  /** Ends the current thread by unwinding its coroutine if its termination was requested. */
  public void testTermination() {
    KThread t = currentThread();
    if (t.terminationRequested && runningCoroutine == t) {
      throw new ThreadExitSignal();
    }
  }

  // ================================================================== simulation points

  /**
   * Spends {@code ns} of CPU time in the current mode. On a thread's coroutine this is the
   * simulation point: when the slice ends or an interrupt falls due, the coroutine yields to the
   * loop (and may resume later on another CPU). On the loop (an ISR or DPC) the time passes at
   * raised IRQL, and only interrupts above it are taken meanwhile.
   */
  public void spend(long ns) {
    if (runningCoroutine == null) {
      spendAtRaisedIrql(ns);
      return;
    }
    spendOnThread(machine.activeCpu(), ns, null);
  }

  /**
   * {@link #spend(long)} on a thread's coroutine, running on {@code cpu}. {@code computing} is
   * the thread when it computes in user mode: a termination requested meanwhile (the exit APC,
   * delivered at the APC interrupt the loop raises between slices) ends it at once, as in NT,
   * instead of after the computation. Each pass spends at least one slice or yields, so the loop
   * ends after at most {@code ns} divided by the slice passes, plus one.
   */
  private void spendOnThread(Cpu cpu, long ns, KThread computing) {
    if (cpu.runsClear(ns)) {
      cpu.advance(ns);
      return;
    }
    while (true) {
      long step = Math.min(ns, cpu.runLimitNs() - cpu.clockNs());
      if (step > 0) {
        cpu.advance(step);
        ns -= step;
      }
      if (ns <= 0 && !cpu.mustYield()) {
        return;
      }
      yieldToLoop();
      cpu = machine.activeCpu();
      if (ns <= 0) {
        return;
      }
      if (computing != null && computing.terminationRequested) {
        throw new ThreadExitSignal();
      }
    }
  }

  /** KeStallExecutionProcessor-style busy time on the loop's stack, taking higher interrupts. */
  void spendAtRaisedIrql(long ns) {
    Cpu cpu = machine.activeCpu();
    while (ns > 0 && !machine.stopped()) {
      long due = Math.min(cpu.nextInterruptNs(), machine.events.peekTimeNs());
      long step = Math.min(ns, Math.max(0, due - cpu.clockNs()));
      cpu.advance(step);
      ns -= step;
      fireEventsDueBy(cpu.clockNs());
      if (cpu.highestDeliverable() >= 0) {
        cpu.deliverInterrupts();
      }
    }
  }

  /**
   * Code on the loop's stack (an ISR or a DPC) keeps the loop from firing the machine's events
   * until it returns; when it runs past the slice end it fires them itself as its clock passes
   * them (they only post timestamped interrupt requests), so that a clock tick still lands in a
   * long DPC and is charged to it.
   */
  private void fireEventsDueBy(long t) {
    while (machine.events.peekTimeNs() <= t) {
      long at = machine.events.peekTimeNs();
      machine.events.poll().fire(at);
    }
  }

  /** Gives the CPU back to the machine loop from a thread's coroutine. */
  void yieldToLoop() {
    KThread self = runningCoroutine;
    machine.backend.yieldCurrent();
    deliverPendingApcs(self); // the loop resumed this coroutine as runningCoroutine again
  }

  /** KiDeliverApc (kernel mode) for the current thread: whatever NT's rules let run now. */
  public void deliverKernelApcs() {
    if (runningCoroutine != null) {
      deliverPendingApcs(runningCoroutine);
    }
  }

  /** Runs the kernel APCs the thread may take at its IRQL now (the APC_LEVEL interrupt's work). */
  void deliverPendingApcs(KThread self) {
    if (self.kernelApcPending && apcs.kernelApcDeliverable(self, machine.activeCpu().irql())) {
      apcs.deliverKernel(self);
    }
  }

  /**
   * KeStackAttachProcess: the current thread runs in {@code p}'s address space until
   * {@link #unstackDetachProcess}; it keeps doing so if it is switched out and resumes elsewhere.
   * Returns the process it was attached to before (null: its own), for the detach.
   */
  public KProcess stackAttachProcess(KProcess p) {
    KThread t = currentThread();
    KProcess previous = t.attachedProcess;
    t.attachedProcess = p == t.process ? null : p;
    loadAddressSpace(t);
    return previous;
  }

  /** KeUnstackDetachProcess: back to the address space the thread had before the attach. */
  public void unstackDetachProcess(KProcess previous) {
    KThread t = currentThread();
    t.attachedProcess = previous;
    loadAddressSpace(t);
  }

  private void loadAddressSpace(KThread t) {
    long directoryBase = t.addressSpaceProcess().directoryTableBase;
    if (directoryBase != 0) {
      machine.activeCpu().mmu.loadDirectoryBase(directoryBase);
    }
  }

  /** Switches the current thread between user and kernel mode (system call entry and exit). */
  public void setKernelMode(boolean kernel) {
    KThread t = currentThread();
    t.inKernel = kernel;
    machine.activeCpu().setCategory(kernel ? TimeCategory.KERNEL : TimeCategory.USER);
  }

  /**
   * KiSystemService's entry from user mode, on the calling thread's coroutine: a termination
   * requested before the call ends the thread here; otherwise it enters kernel mode with
   * PreviousMode UserMode, records the service it is in ({@code service}, its number in the
   * {@link ServiceTable}), and is charged the call. Every system call of the guest facades passes
   * here and through {@link #exitSystemService()}, so both read the thread straight from the
   * running coroutine, which is the current thread of the active processor whenever guest or
   * system-call code runs (the invariant check below holds it to that).
   */
  public void enterSystemService(int service) {
    KThread self = runningCoroutine;
    if (self == null) {
      throw new IllegalStateException("a system call outside a guest thread");
    }
    if (Checks.INVARIANTS) {
      checkRunningCoroutineIsCurrent(self);
    }
    if (self.terminationRequested) {
      throw new ThreadExitSignal();
    }
    self.inKernel = true;
    self.previousMode = USER_MODE;
    self.service = service;
    Cpu cpu = machine.activeCpu();
    machine.tracer.annotate(cpu.clockNs(), cpu.index, TraceKind.SERVICE, self.uniqueThread,
        service, 1);
    cpu.setCategory(TimeCategory.KERNEL);
    spendOnThread(cpu, cost.systemCallNs, null);
  }

  /**
   * KiServiceExit to user mode: back to user mode; a termination requested during the call ends
   * the thread now, and user APCs made deliverable run (KiDeliverApc for user mode).
   */
  public void exitSystemService() {
    KThread self = runningCoroutine;
    if (Checks.INVARIANTS) {
      checkRunningCoroutineIsCurrent(self);
    }
    Cpu cpu = machine.activeCpu();
    machine.tracer.annotate(cpu.clockNs(), cpu.index, TraceKind.SERVICE, self.uniqueThread,
        self.service, 0);
    self.inKernel = false;
    self.service = -1;
    cpu.setCategory(TimeCategory.USER);
    if (self.terminationRequested) {
      throw new ThreadExitSignal();
    }
    if (self.userApcPending) {
      apcs.deliverUser(self);
    }
  }

  /**
   * KiSystemService entered from kernel mode, as a Zw* routine does: the service runs with
   * PreviousMode KernelMode, so that it trusts its arguments and may use kernel handles. The
   * caller is kernel code on a thread at PASSIVE_LEVEL or APC_LEVEL (a system thread, a driver in
   * a thread's context, a service calling another). From an ISR or a DPC, or at DISPATCH_LEVEL or
   * above, it is a bug check (IRQL_NOT_LESS_OR_EQUAL), as a system service there would be in NT.
   * Guest code in user mode cannot reach the kernel's Zw* routines (they live at kernel
   * addresses): it gets an access violation. Charged as a system call. Returns the caller's
   * previous mode and service, for {@link #exitKernelService(int)}.
   */
  public int enterKernelService(int service) {
    KThread self = runningCoroutine;
    int irql = machine.activeCpu().irql();
    if (self == null || irql > org.ntsim.hal.Irql.APC_LEVEL) {
      bugCheckEx(BugCheck.IRQL_NOT_LESS_OR_EQUAL, 0, irql, 0, 0,
          "system service " + ServiceTable.nameOf(service) + " called at IRQL " + irql
              + (self == null ? " outside a thread" : ""));
    }
    if (!self.inKernel) {
      throw new GuestException(NtStatus.STATUS_ACCESS_VIOLATION,
          "user-mode code called the kernel routine " + ServiceTable.zwNameOf(service));
    }
    int saved = (self.previousMode << 16) | (self.service & 0xFFFF);
    self.previousMode = KERNEL_MODE;
    self.service = service;
    Cpu cpu = machine.activeCpu();
    machine.tracer.annotate(cpu.clockNs(), cpu.index, TraceKind.SERVICE, self.uniqueThread,
        service, 2);
    spendOnThread(cpu, cost.systemCallNs, null);
    return saved;
  }

  /**
   * KiServiceExit back to kernel mode: the caller's previous mode and service come back; no user
   * APC is delivered and a pending termination waits for the thread's return to user mode.
   */
  public void exitKernelService(int saved) {
    KThread self = runningCoroutine;
    Cpu cpu = machine.activeCpu();
    machine.tracer.annotate(cpu.clockNs(), cpu.index, TraceKind.SERVICE, self.uniqueThread,
        self.service, 0);
    self.previousMode = saved >>> 16;
    int service = saved & 0xFFFF;
    self.service = service == 0xFFFF ? -1 : service;
  }

  /**
   * Spends {@code instructions} guest instructions of user-mode CPU time on the current thread;
   * a termination requested before or meanwhile ends it.
   */
  public void spendGuestInstructions(long instructions) {
    KThread self = runningCoroutine;
    if (self == null) {
      throw new IllegalStateException("compute outside a guest thread");
    }
    if (instructions <= 0) {
      return;
    }
    if (Checks.INVARIANTS) {
      checkRunningCoroutineIsCurrent(self);
    }
    if (self.terminationRequested) {
      throw new ThreadExitSignal();
    }
    spendOnThread(machine.activeCpu(), cost.instructionsToNs(instructions), self);
    if (self.terminationRequested) {
      throw new ThreadExitSignal();
    }
  }

  private void checkRunningCoroutineIsCurrent(KThread self) {
    if (self != currentThread()) {
      throw new IllegalStateException("coroutine of " + self.name + " runs while "
          + currentThread().name + " is the current thread of processor "
          + machine.activeCpu().index);
    }
  }

  /** KeRaiseIrql. Returns the old IRQL. */
  public int raiseIrql(int newIrql) {
    Cpu cpu = machine.activeCpu();
    int old = cpu.irql();
    if (newIrql < old) {
      bugCheckEx(BugCheck.IRQL_NOT_LESS_OR_EQUAL, 0, old, 0, 0, "KeRaiseIrql to a lower IRQL");
    }
    cpu.setIrql(newIrql);
    return old;
  }

  /** KeLowerIrql: pending interrupts above the new level are taken at once. */
  public void lowerIrql(int newIrql) {
    Cpu cpu = machine.activeCpu();
    cpu.setIrql(newIrql);
    if (cpu.highestDeliverable() >= 0) {
      if (runningCoroutine != null) {
        yieldToLoop();
      } else {
        cpu.deliverInterrupts();
      }
    }
  }

  /** KiExitDispatcher: places deferred-ready threads and lets a pending preemption happen now. */
  void exitDispatcher() {
    scheduler.processDeferredReadyList();
    Cpu cpu = machine.activeCpu();
    if (runningCoroutine != null && !runningCoroutine.waitNext
        && cpu.irql() < Irql.DISPATCH_LEVEL
        && cpu.highestDeliverable() >= 0) {
      yieldToLoop();
    }
  }

  // ================================================================== waits

  /**
   * The Wait argument of KeSetEvent, KeReleaseSemaphore and KeReleaseMutant: the caller waits
   * right after signalling, so no other thread may run in between (NtSignalAndWaitForSingleObject
   * is atomic). Cleared by the wait, or by {@link #clearWaitNext()} if no wait follows.
   */
  public void setWaitNext() {
    currentThread().waitNext = true;
  }

  public void clearWaitNext() {
    currentThread().waitNext = false;
  }

  /** KeWaitForSingleObject. Timeout: negative for none, else relative nanoseconds. */
  public int waitForSingleObject(DispatcherObject object, int waitReason, int waitMode,
      boolean alertable, long timeoutNs) {
    return waitForMultipleObjects(new DispatcherObject[] {object}, 1, WaitBlock.WAIT_ANY,
        waitReason, waitMode, alertable, timeoutNs);
  }

  /**
   * KeWaitForMultipleObjects: satisfied at once if it can be, else the thread waits (Waiting)
   * until an object satisfies it, the timeout expires (STATUS_TIMEOUT) or it is told to end.
   * Returns STATUS_WAIT_0 + index for WaitAny, STATUS_WAIT_0 for WaitAll.
   */
  public int waitForMultipleObjects(DispatcherObject[] objects, int count, int waitType,
      int waitReason, int waitMode, boolean alertable, long timeoutNs) {
    if (timeoutNs != 0 || machine.activeCpu().irql() > Irql.DISPATCH_LEVEL) {
      checkWaitContext(objects[0], timeoutNs); // a zero timeout only tests: fine up to DISPATCH
    }
    KThread self = currentThread();
    long deadline = timeoutNs > 0 ? machine.activeCpu().clockNs() + timeoutNs : timeoutNs;
    while (true) { // each pass blocks; another follows only a kernel APC delivered meanwhile
      int early = waitPreamble(self, waitMode, alertable);
      if (early != NtStatus.STATUS_PENDING) {
        return early;
      }
      int immediate = trySatisfy(self, objects, count, waitType);
      if (immediate >= 0) {
        return immediate;
      }
      long remaining = deadline > 0 ? deadline - machine.activeCpu().clockNs() : deadline;
      if (remaining == 0 || (deadline > 0 && remaining <= 0)) {
        return NtStatus.STATUS_TIMEOUT;
      }
      WaitBlock[] blocks =
          count <= KThread.THREAD_WAIT_OBJECTS ? self.waitBlocks : largeBlocks(self);
      WaitBlock prev = null;
      for (int i = 0; i < count; i++) {
        WaitBlock b = blocks[i];
        b.thread = self;
        b.object = objects[i];
        b.waitKey = i;
        b.waitType = waitType;
        b.nextWaitBlock = null;
        b.linkAtTail();
        if (prev == null) {
          self.waitBlockList = b;
        } else {
          prev.nextWaitBlock = b;
        }
        prev = b;
      }
      if (remaining > 0) {
        prev.nextWaitBlock = armTimeout(self, NtStatus.STATUS_TIMEOUT, deadline);
      }
      if (self.queue != null) {
        this.objects.activateWaiter(self.queue); // KiActivateWaiterQueue: it stops being active
      }
      beginBlock(self, count, waitReason, waitMode, alertable);
      machine.backend.yieldCurrent();
      int status = endBlock(self);
      if (status != NtStatus.STATUS_KERNEL_APC) {
        return status;
      }
    }
  }

  /**
   * What every wait checks before it tests its objects: termination, kernel APCs that may run now
   * (delivered, then the wait goes on), and for alertable waits a pending alert or user APC.
   * Returns STATUS_PENDING when the wait should proceed.
   */
  int waitPreamble(KThread self, int waitMode, boolean alertable) {
    self.waitNext = false;
    testTermination();
    deliverPendingApcs(self);
    testTermination();
    if (alertable) {
      if (waitMode == USER_MODE && self.alertedUser) {
        self.alertedUser = false;
        return NtStatus.STATUS_ALERTED;
      }
      if (waitMode == KERNEL_MODE && self.alertedKernel) {
        self.alertedKernel = false;
        return NtStatus.STATUS_ALERTED;
      }
      if (waitMode == USER_MODE && self.userApcHead != null) {
        self.userApcPending = true;
        return NtStatus.STATUS_USER_APC;
      }
    }
    return NtStatus.STATUS_PENDING;
  }

  /** Links the thread's timeout wait block to its own timer, due at {@code deadlineNs}. */
  WaitBlock armTimeout(KThread self, int key, long deadlineNs) {
    WaitBlock tb = self.timerWaitBlock;
    tb.thread = self;
    tb.object = self.timer;
    tb.waitKey = key;
    tb.waitType = WaitBlock.WAIT_ANY;
    tb.nextWaitBlock = null;
    self.timer.signalState = 0;
    tb.linkAtTail();
    timerTable.insert(self.timer, deadlineNs);
    return tb;
  }

  /** KiSwapThread for a wait: the thread blocks, and the wait's status once it runs again. */
  int blockThread(KThread self, int count, int waitReason, int waitMode,
      boolean alertable) {
    beginBlock(self, count, waitReason, waitMode, alertable);
    machine.backend.yieldCurrent();
    return endBlock(self);
  }

  /**
   * The thread enters its wait and leaves the processor; its caller then suspends the coroutine
   * right away (see {@link Scheduler#switchAway}) and calls {@link #endBlock} once it resumes.
   * The hot waits do so in their own frame, so that the stack a sleeping thread keeps is short.
   */
  private void beginBlock(KThread self, int count, int waitReason, int waitMode,
      boolean alertable) {
    self.waitReason = waitReason;
    self.waitMode = waitMode;
    self.alertable = alertable;
    self.waitObjectCount = count;
    self.waitTick = tickCount();
    self.waitStatus = NtStatus.STATUS_PENDING;
    self.waitIrql = machine.activeCpu().irql();
    scheduler.setState(self, ThreadState.WAITING);
    Cpu cpu = machine.activeCpu();
    machine.tracer.emit(cpu.clockNs(), cpu.index, TraceKind.WAIT, self.uniqueThread, waitReason,
        count);
    scheduler.processDeferredReadyList();
    scheduler.switchAway(self);
  }

  /** The end of a block, when the thread runs again: ends it if told to; the wait's status. */
  private int endBlock(KThread self) {
    testTermination();
    return self.waitStatus;
  }

  private static WaitBlock[] largeBlocks(KThread t) {
    if (t.largeWaitBlocks == null) {
      t.largeWaitBlocks = new WaitBlock[64];
      for (int i = 0; i < 64; i++) {
        t.largeWaitBlocks[i] = new WaitBlock();
      }
    }
    return t.largeWaitBlocks;
  }

  private int trySatisfy(KThread self, DispatcherObject[] objects, int count, int waitType) {
    if (waitType == WaitBlock.WAIT_ANY) {
      for (int i = 0; i < count; i++) {
        if (objects[i].isSignaledFor(self)) {
          int status = objects[i].waitStatusFor(i);
          objects[i].satisfyWait(self);
          return status;
        }
      }
      return -1;
    }
    for (int i = 0; i < count; i++) {
      if (!objects[i].isSignaledFor(self)) {
        return -1;
      }
    }
    int status = NtStatus.STATUS_WAIT_0;
    for (int i = 0; i < count; i++) {
      int s = objects[i].waitStatusFor(0);
      if (s != NtStatus.STATUS_WAIT_0) {
        status = s;
      }
      objects[i].satisfyWait(self);
    }
    return status;
  }

  /** Bug checks for waits where NT forbids them: in a DPC, or at DISPATCH_LEVEL and above. */
  private void checkWaitContext(DispatcherObject object, long timeoutNs) {
    Cpu cpu = machine.activeCpu();
    KPrcb prcb = currentPrcb();
    if (runningCoroutine == null) {
      if (prcb.dpcRoutineActive) {
        // Parameters: the original thread, the new thread, the original thread's stack (no
        // simulated stacks yet: 0), reserved.
        bugCheckEx(BugCheck.ATTEMPTED_SWITCH_FROM_DPC, prcb.currentThread.address,
            peekNextThread(prcb).address, 0, 0, "the DPC routine "
                + (prcb.activeDpc == null ? "?" : prcb.activeDpc.name) + " tried to wait");
      }
      bugCheckEx(BugCheck.IRQL_NOT_LESS_OR_EQUAL, object.address, cpu.irql(), 0, 0,
          "a wait in arbitrary context at IRQL " + cpu.irql());
    }
    if (cpu.irql() >= Irql.DISPATCH_LEVEL && timeoutNs != 0) {
      bugCheckEx(BugCheck.IRQL_NOT_LESS_OR_EQUAL, object.address, cpu.irql(), 0, 0,
          "a thread waited at " + Irql.name(cpu.irql()));
    }
  }

  /** The thread KiSwapThread would switch to on {@code prcb} now, without taking it. */
  private static KThread peekNextThread(KPrcb prcb) {
    if (prcb.nextThread != null) {
      return prcb.nextThread;
    }
    int p = prcb.highestReadyPriority();
    return p >= 0 ? prcb.readyHead[p] : prcb.idleThread;
  }

  /**
   * KeDelayExecutionThread: waits on the thread's own timer. A zero interval gives the rest of
   * the quantum to any other thread ready on this processor (Sleep(0) since Windows Server 2003;
   * before, only to threads of equal priority).
   */
  public int delayExecution(int waitMode, boolean alertable, long intervalNs) {
    KThread self = currentThread();
    if (intervalNs <= 0) {
      checkWaitContext(self.timer, 0);
      int early = waitPreamble(self, waitMode, alertable);
      if (early != NtStatus.STATUS_PENDING) {
        return early; // SleepEx(0, TRUE) with an APC queued
      }
      yieldToReady(self, 1);
      return NtStatus.STATUS_SUCCESS;
    }
    checkWaitContext(self.timer, intervalNs);
    long deadline = machine.activeCpu().clockNs() + intervalNs;
    while (true) { // each pass blocks; another follows only a kernel APC delivered meanwhile
      int early = waitPreamble(self, waitMode, alertable);
      if (early != NtStatus.STATUS_PENDING) {
        return early;
      }
      if (deadline <= machine.activeCpu().clockNs()) {
        return NtStatus.STATUS_SUCCESS;
      }
      self.waitBlockList = armTimeout(self, NtStatus.STATUS_SUCCESS, deadline);
      if (self.queue != null) {
        objects.activateWaiter(self.queue);
      }
      beginBlock(self, 0, WaitReason.DELAY_EXECUTION, waitMode, alertable);
      machine.backend.yieldCurrent();
      int status = endBlock(self);
      if (status != NtStatus.STATUS_KERNEL_APC) {
        return status;
      }
    }
  }

  /**
   * NtYieldExecution (SwitchToThread): gives the processor to a ready thread of this processor,
   * of any priority. Returns false if none was ready (STATUS_NO_YIELD_PERFORMED).
   */
  public boolean yieldExecution() {
    KThread self = runningCoroutine != null ? runningCoroutine : currentThread();
    return yieldToReady(self, 1);
  }

  private boolean yieldToReady(KThread self, int lowPriority) {
    KPrcb prcb = currentPrcb();
    if (prcb.nextThread == null && prcb.highestReadyPriority() < lowPriority) {
      return false;
    }
    KThread next = prcb.nextThread != null ? scheduler.takeStandby(prcb)
        : prcb.selectReady(lowPriority);
    if (!self.isRealTime() && self.priority > self.basePriority) {
      int old = self.priority;
      self.priority = self.basePriority;
      self.priorityDecrement = 0;
      machine.tracer.emit(prcb.cpu.clockNs(), prcb.number, TraceKind.PRIORITY, self.uniqueThread,
          old, self.priority);
    }
    self.quantum = self.process.quantumReset;
    self.preempted = false;
    if (Scheduler.allowed(self, prcb.number)) {
      scheduler.queueReady(prcb, self);
    } else {
      scheduler.readyThread(self);
    }
    Cpu cpu = prcb.cpu;
    self.savedIrql = cpu.irql();
    scheduler.contextSwitch(prcb, self, next);
    cpu.setIrql(next.savedIrql);
    scheduler.processDeferredReadyList(prcb); // this thread, if it may no longer run here
    machine.backend.yieldCurrent();
    resumedInKernel(self);
    return true;
  }

  /**
   * The end of KiSwapThread on the thread that runs again (the loop resumed its coroutine as
   * {@code runningCoroutine}, perhaps on another processor): places the threads readied meanwhile,
   * takes the kernel APCs it may, and ends if its termination was requested.
   */
  private void resumedInKernel(KThread self) {
    KPrcb prcb = currentPrcb();
    if (prcb.deferredReadyHead != null) {
      scheduler.processDeferredReadyList(prcb);
    }
    deliverPendingApcs(self);
    if (self.terminationRequested) {
      throw new ThreadExitSignal();
    }
  }

  /** KiWaitTest: releases the waiters that {@code object}'s signal state now satisfies. */
  void waitTest(DispatcherObject object, int increment) {
    WaitBlock b = object.waitListFirst;
    while (b != null) {
      KThread t = b.thread;
      if (!object.isSignaledFor(t)) {
        b = b.next;
        continue;
      }
      if (b.waitType == WaitBlock.WAIT_ANY) {
        int status = (object == t.timer) ? b.waitKey : object.waitStatusFor(b.waitKey);
        object.satisfyWait(t);
        unwaitThread(t, status, increment);
        b = object.waitListFirst;
      } else if (allSignaled(t)) {
        int status = NtStatus.STATUS_WAIT_0;
        for (WaitBlock w = t.waitBlockList; w != null; w = w.nextWaitBlock) {
          if (w.waitType == WaitBlock.WAIT_ALL) {
            int s = w.object.waitStatusFor(0);
            if (s != NtStatus.STATUS_WAIT_0) {
              status = s;
            }
            w.object.satisfyWait(t);
          }
        }
        unwaitThread(t, status, increment);
        b = object.waitListFirst;
      } else {
        b = b.next;
      }
    }
  }

  private static boolean allSignaled(KThread t) {
    for (WaitBlock w = t.waitBlockList; w != null; w = w.nextWaitBlock) {
      if (w.waitType == WaitBlock.WAIT_ALL && !w.object.isSignaledFor(t)) {
        return false;
      }
    }
    return true;
  }

  /** KiUnwaitThread: ends the thread's wait with {@code status}, boosts it, and readies it. */
  void unwaitThread(KThread t, int status, int increment) {
    for (WaitBlock b = t.waitBlockList; b != null; b = b.nextWaitBlock) {
      b.unlink();
    }
    t.waitBlockList = null;
    if (t.timer.inserted) {
      timerTable.remove(t.timer);
    }
    t.waitStatus = status;
    if (t.queue != null) {
      t.queue.currentCount++; // KiUnlinkThread: an associated thread is active again
    }
    Cpu cpu = machine.activeCpu();
    machine.tracer.emit(cpu.clockNs(), cpu.index, TraceKind.UNWAIT, t.uniqueThread, status,
        increment);
    scheduler.boostPriority(t, increment);
    scheduler.readyThread(t);
  }

  // ================================================================== events and objects

  /** KeSetEvent: signals the event, releases waiters, returns the previous state. */
  public int setEvent(KEvent event, int increment) {
    int previous = event.signalState;
    event.signalState = 1;
    if (previous == 0) {
      waitTest(event, increment);
    }
    exitDispatcher();
    return previous;
  }

  /** KeResetEvent: returns the previous state. */
  public int resetEvent(KEvent event) {
    int previous = event.signalState;
    event.signalState = 0;
    return previous;
  }

  // ================================================================== timers

  /**
   * KeSetTimerEx: inserts the timer to fire {@code dueNs} from now (or, if {@code absolute}, at
   * that simulated time), then every {@code periodNs} if positive, queueing {@code dpc} each time.
   * Returns whether the timer was already inserted.
   */
  public boolean setTimer(KTimer timer, long dueNs, boolean absolute, long periodNs, Kdpc dpc) {
    boolean wasInserted = timer.inserted;
    timerTable.remove(timer);
    long now = machine.activeCpu().clockNs();
    long due = absolute ? dueNs : now + dueNs;
    timer.signalState = 0;
    timer.periodNs = periodNs;
    timer.dpc = dpc;
    if (due <= now) {
      expireTimer(timer, now);
      exitDispatcher();
    } else {
      timerTable.insert(timer, due);
    }
    return wasInserted;
  }

  /** KeCancelTimer: returns whether the timer was inserted. */
  public boolean cancelTimer(KTimer timer) {
    boolean was = timer.inserted;
    timerTable.remove(timer);
    return was;
  }

  /**
   * KiTimerExpiration: the DPC the clock interrupt queues when a timer falls due. NT holds the
   * dispatcher lock for a few timers at a time ({@link #TIMERS_PER_DISPATCHER_HOLD}) and releases
   * it in between, and releasing it processes the deferred ready list: the threads those timers
   * released are placed on processors before the next timers expire, not all at the end of the
   * DPC.
   */
  private void timerExpiration(Kdpc dpc, Object context, Object a1, Object a2) {
    long tick = tickCount();
    KTimer t;
    int expired = 0;
    while ((t = timerTable.removeNextExpired(tick, machine.activeCpu().clockNs())) != null) {
      if (expired % EXPIRY_READ_AHEAD == 0) {
        warmUpNextExpiries();
      }
      spendAtRaisedIrql(machine.cost.timerExpiryNs);
      expireTimer(t, machine.activeCpu().clockNs());
      if (++expired % TIMERS_PER_DISPATCHER_HOLD == 0) {
        scheduler.processDeferredReadyList();
      }
    }
    timerTable.markScanned(tick);
    scheduler.processDeferredReadyList(); // the last release, before the DPC returns
  }

  /**
   * Expired timers processed under one hold of the dispatcher lock (MAXIMUM_TIMERS_PROCESSED of
   * the Server 2003 SP1 kernel, whose KiTimerExpiration then calls the timers' DPCs and releases
   * the lock through KiExitDispatcher).
   */
  static final int TIMERS_PER_DISPATCHER_HOLD = 4;

  /** Timers whose objects the timer DPC reads ahead at once. */
  private static final int EXPIRY_READ_AHEAD = 16;

  /**
   * Reads ahead in the timer table's expiry order: the next {@link #EXPIRY_READ_AHEAD} timers,
   * then the first wait block of each, then each waiting thread. A clock tick may expire
   * thousands of timers whose objects have all left the host's caches; timer, wait block and
   * thread are a chain of three cache misses per timer, one after another, while here each round
   * of reads is independent within itself, so that its misses overlap. Nothing is changed.
   */
  private void warmUpNextExpiries() {
    int x = 0;
    for (int k = 0; k < EXPIRY_READ_AHEAD; k++) {
      KTimer u = timerTable.expiringAhead(k);
      if (u != null && u.inserted) {
        x += u.signalState;
      }
    }
    for (int k = 0; k < EXPIRY_READ_AHEAD; k++) {
      KTimer u = timerTable.expiringAhead(k);
      WaitBlock w = u != null ? u.waitListFirst : null;
      if (w != null) {
        x += w.waitType;
      }
    }
    for (int k = 0; k < EXPIRY_READ_AHEAD; k++) {
      KTimer u = timerTable.expiringAhead(k);
      WaitBlock w = u != null ? u.waitListFirst : null;
      if (w != null) {
        x += w.thread.warmUpFields();
      }
    }
    warmUpSink += x;
  }

  private void expireTimer(KTimer t, long nowNs) {
    Cpu cpu = machine.activeCpu();
    machine.tracer.emit(cpu.clockNs(), cpu.index, TraceKind.TIMER_EXPIRED, t.address, t.periodNs,
        t.dpc != null ? 1 : 0);
    t.signalState = 1;
    waitTest(t, TIMER_EXPIRE_INCREMENT);
    if (t.periodNs > 0) {
      timerTable.insert(t, Math.max(t.dueTimeNs, nowNs - t.periodNs) + t.periodNs);
    }
    if (t.dpc != null) {
      insertQueueDpc(t.dpc, null, null);
    }
  }

  // ================================================================== DPCs

  /** KeInitializeDpc. */
  public Kdpc initializeDpc(String name, DeferredRoutine routine, Object context, long address) {
    return new Kdpc(name, routine, context, address);
  }

  /** KeSetImportanceDpc. */
  public void setImportanceDpc(Kdpc dpc, int importance) {
    dpc.importance = importance;
  }

  /** KeSetTargetProcessorDpc. */
  public void setTargetProcessorDpc(Kdpc dpc, int cpu) {
    dpc.targetCpu = cpu;
  }

  /**
   * KeInsertQueueDpc: queues the DPC on its target processor (or this one) and requests the
   * DISPATCH_LEVEL interrupt by the rules of Windows Internals' "DPC interrupt generation" table:
   * on this processor unless the DPC is low importance, the queue is short and the DPC rate high;
   * on another processor only for a high-importance DPC or a queue past its maximum depth (an idle
   * target drains its queue from its idle loop). Returns false if it was already queued.
   */
  public boolean insertQueueDpc(Kdpc dpc, Object systemArgument1, Object systemArgument2) {
    if (dpc.queuedOn >= 0) {
      return false;
    }
    Cpu here = machine.activeCpu();
    int target = dpc.targetCpu >= 0 && dpc.targetCpu < prcbs.length ? dpc.targetCpu : here.index;
    KPrcb tp = prcbs[target];
    dpc.systemArgument1 = systemArgument1;
    dpc.systemArgument2 = systemArgument2;
    tp.enqueueDpc(dpc);
    tp.noteHandOff(here);
    if (target == here.index) {
      if (dpc.importance != Kdpc.LOW_IMPORTANCE || tp.dpcQueueDepth > tp.maximumDpcQueueDepth
          || tp.dpcRequestRate < tp.minimumDpcRate) {
        here.requestSoftwareInterrupt(Irql.DISPATCH_LEVEL);
      }
    } else {
      boolean targetIdle = tp.currentThread == tp.idleThread && tp.nextThread == null;
      if (!targetIdle && (dpc.importance == Kdpc.HIGH_IMPORTANCE
          || tp.dpcQueueDepth > tp.maximumDpcQueueDepth)) {
        here.sendIpi(tp.cpu, IPI_REASON_DPC);
      }
    }
    return true;
  }

  static final int IPI_REASON_DPC = 2;

  /** KeRemoveQueueDpc: returns whether it was queued. */
  public boolean removeQueueDpc(Kdpc dpc) {
    return dpc.queuedOn >= 0 && prcbs[dpc.queuedOn].removeDpc(dpc);
  }

  // ================================================================== interrupts

  private void dispatchInterrupt(Cpu cpu, int interruptedIrql) {
    scheduler.dispatchInterrupt(cpu, interruptedIrql);
  }

  private void ipiInterrupt(Cpu cpu, int interruptedIrql) {
    cpu.requestSoftwareInterrupt(Irql.DISPATCH_LEVEL);
  }

  /**
   * The clock interrupt: KeUpdateSystemTime on processor 0 (timer table check) and KeUpdateRunTime
   * on every processor: charge the tick by the interrupted IRQL (seed 003 slide 7), take quantum
   * from the running thread, and make sure queued DPCs wait at most one tick.
   */
  private void clockInterrupt(Cpu cpu, int interruptedIrql) {
    cpu.advance(machine.cost.clockIsrNs);
    KPrcb p = prcbs[cpu.index];
    long tick = tickCount();
    if (cpu.index == 0 && timerTable.hasExpired(tick, cpu.clockNs())) {
      insertQueueDpc(timerExpiryDpc, null, null);
    } else if (cpu.index == 0) {
      timerTable.markScanned(tick);
    }
    KThread t = p.currentThread;
    int category;
    if (interruptedIrql > Irql.DISPATCH_LEVEL) {
      p.interruptTicks++;
      category = TimeCategory.INTERRUPT;
    } else if (interruptedIrql == Irql.DISPATCH_LEVEL && p.dpcRoutineActive) {
      p.dpcTicks++;
      category = TimeCategory.DPC;
    } else if (t.idle) {
      p.idleTicks++;
      t.kernelTicks++;
      category = TimeCategory.IDLE;
    } else if (interruptedIrql == Irql.DISPATCH_LEVEL || t.inKernel) {
      t.kernelTicks++;
      t.process.kernelTicks++;
      p.kernelTicks++;
      category = TimeCategory.KERNEL;
    } else {
      t.userTicks++;
      t.process.userTicks++;
      p.userTicks++;
      category = TimeCategory.USER;
    }
    machine.tracer.emit(cpu.clockNs(), cpu.index, TraceKind.CLOCK_TICK, tick, category,
        t.uniqueThread);
    if (!t.idle) {
      t.quantum -= Scheduler.CLOCK_QUANTUM_DECREMENT;
      if (t.quantum <= 0) {
        p.quantumEnd = true;
        cpu.requestSoftwareInterrupt(Irql.DISPATCH_LEVEL);
      }
    }
    p.dpcRequestRate = (p.dpcCountThisTick + p.dpcRequestRate) / 2;
    p.dpcCountThisTick = 0;
    if (p.dpcHead != null) {
      cpu.requestSoftwareInterrupt(Irql.DISPATCH_LEVEL);
    }
  }

  // ================================================================== priority and affinity

  /** KeSetPriorityThread: returns the old priority. */
  public int setPriorityThread(KThread t, int priority) {
    int old = t.priority;
    t.priorityDecrement = 0;
    t.starvationBoosted = false;
    scheduler.setPriority(t, priority);
    exitDispatcher();
    return old;
  }

  /** KeSetBasePriorityThread-like: a new base; the current priority follows it (boosts drop). */
  public void setBasePriority(KThread t, int base) {
    t.basePriority = base;
    t.priorityDecrement = 0;
    t.starvationBoosted = false;
    scheduler.setPriority(t, base);
    exitDispatcher();
  }

  /** KeSetAffinityThread: returns the old affinity. */
  public long setAffinityThread(KThread t, long affinity) {
    long old = t.affinity;
    scheduler.setAffinity(t, affinity);
    exitDispatcher();
    return old;
  }

  /** KeSetIdealProcessorThread: returns the old ideal processor. */
  public int setIdealProcessor(KThread t, int cpu) {
    int old = t.idealProcessor;
    t.idealProcessor = cpu;
    return old;
  }

  /** Sets a process's base priority and moves its threads' bases by the same amount as NT does for a class change. */
  public void setProcessBasePriority(KProcess p, int base) {
    p.basePriority = base;
  }

  public void setDisableBoost(KThread t, boolean disable) {
    t.disableBoost = disable;
  }

  // ================================================================== bug checks

  /** KeBugCheckEx: records the stop, stops the machine and unwinds the code that raised it. */
  public void bugCheckEx(int code, long p1, long p2, long p3, long p4, String detail) {
    Cpu cpu = machine.activeCpu();
    BugCheck bc = new BugCheck(code, p1, p2, p3, p4, cpu.clockNs(), cpu.index, detail);
    if (bugCheck == null) {
      bugCheck = bc;
      machine.tracer.emit(cpu.clockNs(), cpu.index, TraceKind.BUGCHECK, code, p1, p2);
      machine.stop("bug check " + bc.name());
    }
    throw new BugCheckException(bc);
  }

  // ================================================================== CpuDriver

  @Override
  public void runSlice(Cpu cpu, long sliceEndNs) {
    try {
      scheduler.runSlice(cpu, sliceEndNs);
    } catch (BugCheckException e) {
      // the machine has stopped; the console inspects it
    } catch (RuntimeException | Error e) {
      machine.stop("internal error: " + e);
      throw new KernelInternalError(machine, e);
    }
  }

  private final List<Runnable> invariantChecks = new ArrayList<>();
  private Runnable workingSetManager;

  /** The memory manager's MmWorkingSetManager, which the balance set manager runs each second. */
  public void setWorkingSetManager(Runnable manager) {
    workingSetManager = manager;
  }

  /** Adds a sweep the executive runs with the kernel's when invariants are on (hal.Checks). */
  public void addInvariantCheck(Runnable check) {
    invariantChecks.add(check);
  }

  @Override
  public void verify() {
    new KernelVerifier(this).verify();
    for (Runnable check : invariantChecks) {
      check.run();
    }
  }

  @Override
  public boolean isIdle(Cpu cpu) {
    return scheduler.isIdleCpu(cpu);
  }

  // ================================================================== system threads

  /** Stack inswap request: the thread waits in Transition for the swapper. */
  void queueForInswap(KThread t) {
    t.deferredNext = swapListHead;
    swapListHead = t;
    if (swapEvent.signalState == 0) {
      swapEvent.signalState = 1;
      waitTest(swapEvent, 0);
    }
  }

  /**
   * KiSwappingThread's loop (priority 23 in the System process): brings kernel stacks back for
   * threads in Transition and readies them.
   */
  public void swapperLoop() {
    while (true) {
      waitForSingleObject(swapEvent, WaitReason.WR_EXECUTIVE, KERNEL_MODE, false, -1);
      while (swapListHead != null) {
        KThread t = swapListHead;
        swapListHead = t.deferredNext;
        t.deferredNext = null;
        spend(machine.cost.stackInswapNs);
        t.kernelStackResident = true;
        stacksInswapped++;
        scheduler.readyThread(t);
        exitDispatcher();
      }
    }
  }

  /**
   * KeBalanceSetManager's loop (priority 16): once a second, run the memory manager's working
   * set manager (aging and trimming), boost threads that have been ready
   * without running for {@link #READY_WITHOUT_RUNNING_TICKS} ticks to priority 15 for one quantum
   * (examining at most 16 and boosting at most 10 a pass); every fourth second, mark for outswap
   * the kernel stacks of threads that have waited in user mode for
   * {@link #STACK_OUTSWAP_WAIT_SECONDS} seconds.
   */
  public void balanceSetManagerLoop() {
    while (true) {
      delayExecution(KERNEL_MODE, false, 1_000_000_000L);
      bsmPasses++;
      if (workingSetManager != null) {
        workingSetManager.run(); // MmWorkingSetManager
      }
      scanReadyQueues();
      if (bsmPasses % 4 == 0) {
        outswapStacks();
      }
    }
  }

  private void scanReadyQueues() {
    long now = tickCount();
    int examined = 0;
    int boosted = 0;
    KThread[] candidates = new KThread[16];
    for (int c = 0; c < prcbs.length && examined < 16; c++) {
      KPrcb prcb = prcbs[(bsmPasses + c) % prcbs.length];
      for (int p = 1; p < 15 && examined < 16; p++) {
        for (KThread t = prcb.readyHead[p]; t != null && examined < 16; t = t.readyNext) {
          examined++;
          if (now - t.readyTick >= READY_WITHOUT_RUNNING_TICKS && boosted < 10) {
            candidates[boosted++] = t;
          }
        }
      }
    }
    for (int i = 0; i < boosted; i++) {
      KThread t = candidates[i];
      KPrcb prcb = prcbs[t.readyCpu];
      prcb.removeReady(t);
      int old = t.priority;
      t.priority = 15;
      t.starvationBoosted = true;
      t.quantum = Scheduler.CLOCK_QUANTUM_DECREMENT;
      starvationBoosts++;
      Cpu cpu = machine.activeCpu();
      machine.tracer.emit(cpu.clockNs(), cpu.index, TraceKind.PRIORITY, t.uniqueThread, old, 15);
      scheduler.readyThread(t);
    }
    exitDispatcher();
  }

  private void outswapStacks() {
    long now = tickCount();
    long limitTicks = STACK_OUTSWAP_WAIT_SECONDS * 1_000_000_000L / machine.config.clockIntervalNs;
    for (KThread t : liveThreads) {
      if (t.state == ThreadState.WAITING && t.waitMode == USER_MODE && t.kernelStackResident
          && now - t.waitTick >= limitTicks) {
        t.kernelStackResident = false;
        stacksOutswapped++;
      }
    }
  }
}
