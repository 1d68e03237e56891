package org.ntsim.ke;

import java.util.ArrayList;
import java.util.List;
import org.ntsim.hal.Checks;
import org.ntsim.hal.CostModel;
import org.ntsim.hal.Cpu;
import org.ntsim.hal.CpuDriver;
import org.ntsim.hal.Irql;
import org.ntsim.hal.Machine;
import org.ntsim.hal.TimeCategory;
import org.ntsim.trace.TraceKind;

/**
 * The kernel (ntoskrnl's Ke layer): its exported routines and the processor blocks. Each mechanism
 * lives in a class of its own, as ReactOS keeps a file per mechanism: {@link Waits} (wait.c),
 * {@link Dpcs} (dpc.c), {@link Clock} (clock.c), {@link Timers} (timerobj.c), {@link Interrupts}
 * (intobj.c),
 * {@link BalanceSetManager} (balmgr.c), {@link BugChecks} (bug.c), {@link ThreadControl}
 * (thrdobj.c), {@link Scheduler} (thrdschd.c), {@link Apcs} (apc.c), {@link KeObjects} (the other
 * dispatcher objects), and {@link SimulationPoints}, where a thread's coroutine gives the
 * processor back to the machine loop. The public methods here are the exported Ke routines and
 * delegate to those classes; each Javadoc opens with the NT routine it models.
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
  public static final int KERNEL_MODE = 0;
  public static final int USER_MODE = 1;
  /** IPI reason: a DPC was queued for another processor. */
  static final int IPI_REASON_DPC = Dpcs.IPI_REASON_DPC;

  private final Machine machine;
  private final CostModel cost; // the machine's, read at each use: fixed for a run
  private final KPrcb[] prcbs;
  private final Scheduler scheduler;
  final Apcs apcs = new Apcs(this);
  /** The dispatcher objects' operations: mutants, semaphores, events, queues, APCs, suspension. */
  public final KeObjects objects = new KeObjects(this);
  final Waits waits;
  final Dpcs dpcs;
  final Timers timers;
  final Clock clock;
  final ThreadControl threads;
  final BalanceSetManager balanceSetManager;
  final BugChecks bugChecks;
  final Interrupts interrupts;
  final SimulationPoints points;
  KThread runningCoroutine; // non-null while a thread's coroutine runs; set by SimulationPoints
  private long nextStaticAddress = 0x81F00000L;
  private final List<Runnable> invariantChecks = new ArrayList<>();

  private final SystemCalls systemCalls;

  public Kernel(Machine machine) {
    this.machine = machine;
    this.cost = machine.cost;
    this.prcbs = new KPrcb[machine.cpuCount()];
    for (int i = 0; i < prcbs.length; i++) {
      prcbs[i] = new KPrcb(i, machine.cpu(i));
    }
    this.scheduler = new Scheduler(this);
    TimerTable timerTable = new TimerTable(machine.config.clockIntervalNs);
    this.bugChecks = new BugChecks(machine);
    this.points = new SimulationPoints(this);
    this.waits = new Waits(this, scheduler, timerTable);
    this.dpcs = new Dpcs(this, scheduler);
    this.timers = new Timers(this, scheduler, timerTable); // its DPC's address before the swapper's
    this.clock = new Clock(this, timerTable, timers, dpcs);
    this.threads = new ThreadControl(this, scheduler);
    this.balanceSetManager = new BalanceSetManager(this, scheduler, threads);
    this.interrupts = new Interrupts(this, clock); // the clock and IPI vectors of every IDT
    for (int i = 0; i < prcbs.length; i++) {
      machine.cpu(i).setHandler(Irql.DISPATCH_LEVEL, dpcs::dispatchInterrupt);
      KPrcb prcb = prcbs[i];
      machine.cpu(i).setHandler(Irql.APC_LEVEL, (cpu, interrupted) -> prcb.apcInterruptTaken = true);
    }
    machine.attach(this);
    this.systemCalls = new SystemCalls(this);
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

  Scheduler scheduler() {
    return scheduler;
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
    return bugChecks.bugCheck();
  }

  public long starvationBoosts() {
    return balanceSetManager.starvationBoosts;
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
    return balanceSetManager.stacksOutswapped;
  }

  public long stacksInswapped() {
    return balanceSetManager.stacksInswapped;
  }

  public int timerCount() {
    return timers.count();
  }

  public List<KTimer> timers() {
    return timers.all();
  }

  /** Every thread that has been initialised and not yet terminated, in creation order. */
  public List<KThread> liveThreads() {
    return threads.liveThreads;
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

  /** KeInitThread: see {@link ThreadControl#initThread}. */
  public void initThread(KThread t, String name, int priority, long affinity, boolean kernelMode,
      Runnable body) {
    threads.initThread(t, name, priority, affinity, kernelMode, body);
  }

  /** KeReadyThread for a new thread: Initialized to DeferredReady, then placed. */
  public void readyNewThread(KThread t) {
    threads.readyNewThread(t);
  }

  /** KeTerminateThread, on the ending thread's coroutine as its last act. */
  public void terminateCurrentThread(int exitStatus) {
    threads.terminateCurrentThread(exitStatus);
  }

  /** Signals a process object (all its threads have ended) and releases its waiters. */
  public void signalProcess(KProcess p, int exitStatus) {
    Cpu cpu = machine.activeCpu();
    machine.tracer.emit(cpu.clockNs(), cpu.index, TraceKind.PROCESS_EXIT, p.uniqueProcess,
        exitStatus, 0);
    p.signalState = 1;
    waits.waitTest(p, 0);
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
      points.spendAtRaisedIrql(ns);
      return;
    }
    points.spendOnThread(machine.activeCpu(), ns, null);
  }

  /** {@link SimulationPoints#spendOnThread}, for the system-service entry and guest compute. */
  void spendOnThread(Cpu cpu, long ns, KThread computing) {
    points.spendOnThread(cpu, ns, computing);
  }

  /** Gives the CPU back to the machine loop from a thread's coroutine. */
  void yieldToLoop() {
    points.yieldToLoop();
  }

  /** KiDeliverApc (kernel mode) for the current thread: whatever NT's rules let run now. */
  public void deliverKernelApcs() {
    if (runningCoroutine != null) {
      deliverPendingApcs(runningCoroutine);
    }
  }

  /** Runs the kernel APCs the thread may take at its IRQL now (the APC_LEVEL interrupt's work). */
  void deliverPendingApcs(KThread self) {
    prcb(machine.activeCpu().index).apcInterruptTaken = false; // checked now
    if (self.kernelApcPending && apcs.kernelApcDeliverable(self, machine.activeCpu().irql())) {
      apcs.deliverKernel(self);
    }
  }

  /** KeStackAttachProcess: see {@link ThreadControl#stackAttachProcess}. */
  public KProcess stackAttachProcess(KProcess p) {
    return threads.stackAttachProcess(p);
  }

  /** KeUnstackDetachProcess: back to the address space the thread had before the attach. */
  public void unstackDetachProcess(KProcess previous) {
    threads.unstackDetachProcess(previous);
  }

  /** Switches the current thread between user and kernel mode (system call entry and exit). */
  public void setKernelMode(boolean kernel) {
    KThread t = currentThread();
    t.inKernel = kernel;
    machine.activeCpu().setCategory(kernel ? TimeCategory.KERNEL : TimeCategory.USER);
  }

  /** KiSystemService and KiServiceExit: the trap into a system service and the way back. */
  public SystemCalls systemCalls() {
    return systemCalls;
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

  /**
   * Charges {@code instructions} bytecodes of a guest's own, instrumented code as user time, as
   * {@link #spendGuestInstructions} does, with the fraction of a nanosecond carried over to the
   * thread's next charge: a loop charged a few bytecodes at a time costs what one charge of the
   * same total would. A termination requested before or meanwhile ends the thread.
   */
  public void spendGuestBytecodes(int instructions) {
    KThread self = runningCoroutine;
    if (self == null || instructions <= 0) {
      return;
    }
    if (self.terminationRequested) {
      throw new ThreadExitSignal();
    }
    long ps = self.guestPicoseconds + (long) instructions * cost.instructionPs;
    long ns = ps / 1000;
    self.guestPicoseconds = ps - ns * 1000;
    if (ns > 0) {
      spendOnThread(machine.activeCpu(), ns, self);
      if (self.terminationRequested) {
        throw new ThreadExitSignal();
      }
    }
  }

  void checkRunningCoroutineIsCurrent(KThread self) {
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
    return waits.waitForSingleObject(object, waitReason, waitMode, alertable, timeoutNs);
  }

  /** KeWaitForMultipleObjects: see {@link Waits#waitForMultipleObjects}. */
  public int waitForMultipleObjects(DispatcherObject[] objects, int count, int waitType,
      int waitReason, int waitMode, boolean alertable, long timeoutNs) {
    return waits.waitForMultipleObjects(objects, count, waitType, waitReason, waitMode,
        alertable, timeoutNs);
  }

  /** KeDelayExecutionThread: see {@link Waits#delayExecution}. */
  public int delayExecution(int waitMode, boolean alertable, long intervalNs) {
    return waits.delayExecution(waitMode, alertable, intervalNs);
  }

  /** NtYieldExecution (SwitchToThread): false if none was ready (STATUS_NO_YIELD_PERFORMED). */
  public boolean yieldExecution() {
    return waits.yieldToReady(runningCoroutine != null ? runningCoroutine : currentThread(), 1);
  }

  // ================================================================== events and timers

  /** KeSetEvent: signals the event, releases waiters, returns the previous state. */
  public int setEvent(KEvent event, int increment) {
    int previous = event.signalState;
    event.signalState = 1;
    if (previous == 0) {
      waits.waitTest(event, increment);
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

  /** KeSetTimerEx: see {@link Timers#setTimer}; whether the timer was already inserted. */
  public boolean setTimer(KTimer timer, long dueNs, boolean absolute, long periodNs, Kdpc dpc) {
    return timers.setTimer(timer, dueNs, absolute, periodNs, dpc);
  }

  /** KeCancelTimer: returns whether the timer was inserted. */
  public boolean cancelTimer(KTimer timer) {
    return timers.cancelTimer(timer);
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

  /** KeInsertQueueDpc: see {@link Dpcs#insertQueueDpc}; false if it was already queued. */
  public boolean insertQueueDpc(Kdpc dpc, Object systemArgument1, Object systemArgument2) {
    return dpcs.insertQueueDpc(dpc, systemArgument1, systemArgument2);
  }

  /** KeRemoveQueueDpc: returns whether it was queued. */
  public boolean removeQueueDpc(Kdpc dpc) {
    return dpcs.removeQueueDpc(dpc);
  }

  // ================================================================== interrupt objects

  /** KeInitializeInterrupt: see {@link Interrupts#initializeInterrupt}; mode is KInterrupt's. */
  public KInterrupt initializeInterrupt(String name, InterruptServiceRoutine serviceRoutine,
      Object serviceContext, KSpinLock spinLock, int vector, int irql, int synchronizeIrql,
      int mode, boolean shareVector, int processorNumber, long address) {
    return interrupts.initializeInterrupt(name, serviceRoutine, serviceContext, spinLock, vector,
        irql, synchronizeIrql, mode, shareVector, processorNumber, address);
  }

  /** KeConnectInterrupt: whether the object is now connected to its vector. */
  public boolean connectInterrupt(KInterrupt interrupt) {
    return interrupts.connectInterrupt(interrupt);
  }

  /** KeDisconnectInterrupt: whether the object was connected. */
  public boolean disconnectInterrupt(KInterrupt interrupt) {
    return interrupts.disconnectInterrupt(interrupt);
  }

  /** KeSynchronizeExecution: the routine's result, run at the interrupt's synchronize IRQL. */
  public boolean synchronizeExecution(KInterrupt interrupt, SynchronizeRoutine routine,
      Object synchronizeContext) {
    return interrupts.synchronizeExecution(interrupt, routine, synchronizeContext);
  }

  // ================================================================== priority and affinity

  /** KeSetPriorityThread: returns the old priority. */
  public int setPriorityThread(KThread t, int priority) {
    return threads.setPriorityThread(t, priority);
  }

  /** KeSetBasePriorityThread-like: a new base; the current priority follows it (boosts drop). */
  public void setBasePriority(KThread t, int base) {
    threads.setBasePriority(t, base);
  }

  /** KeSetAffinityThread: returns the old affinity. */
  public long setAffinityThread(KThread t, long affinity) {
    return threads.setAffinityThread(t, affinity);
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

  /**
   * The window manager's choice of foreground process (PsSetProcessPriorityByClass with the
   * foreground flag): its quantum is stretched and its threads get the foreground unwait boost.
   * Null: none (the default; nothing in a run chooses one unless a lab or guest does).
   */
  public void setForegroundProcess(KProcess p) {
    scheduler.setForegroundProcess(p);
  }

  public KProcess foregroundProcess() {
    return scheduler.foregroundProcess;
  }

  /** QueryThreadCycleTime: the processor cycles the thread has run, interrupts and DPCs apart. */
  public long threadCycleTime(KThread t) {
    return scheduler.quantum.cycleTime(t);
  }

  /** KiCyclesPerClockQuantum: processor cycles in one quantum unit (a third of a clock tick). */
  public long cyclesPerQuantumUnit() {
    return scheduler.quantum.cyclesPerQuantumUnit;
  }

  /** Whether quanta are charged in cycles (Vista) rather than clock ticks (XP). */
  public boolean quantumInCycles() {
    return scheduler.quantum.cycles;
  }

  /**
   * Switches quantum accounting on the running machine ({@code true}: Vista's cycles, else XP's
   * ticks), so that a lab can compare the two on one machine; not a Windows interface. Every live
   * thread starts a fresh quantum under the new accounting.
   */
  public void setQuantumAccounting(boolean cycles) {
    scheduler.quantum.setCycles(cycles, threads.liveThreads);
  }

  /** PsPrioritySeparation: the foreground quantum index and unwait boost. */
  public int prioritySeparation() {
    return scheduler.quantum.prioritySeparation;
  }

  public void setDisableBoost(KThread t, boolean disable) {
    t.disableBoost = disable;
  }

  /** KeBugCheckEx: records the stop, stops the machine and unwinds the code that raised it. */
  public void bugCheckEx(int code, long p1, long p2, long p3, long p4, String detail) {
    bugChecks.bugCheckEx(code, p1, p2, p3, p4, detail);
  }

  // ================================================================== CpuDriver

  @Override
  public void runSlice(Cpu cpu, long sliceEndNs) {
    try {
      scheduler.runSlice(cpu, sliceEndNs);
    } catch (BugCheckException e) {
      // the machine has stopped; the console inspects it
    } catch (KernelInternalError e) {
      throw e; // already reported, with the seed and the events before it
    } catch (RuntimeException | Error e) {
      machine.stop("internal error: " + e);
      throw new KernelInternalError(machine, e);
    }
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
  public void resolveDeferral(Cpu cpu, long toNs) {
    long ns = toNs - cpu.clockNs();
    if (ns > 0) {
      cpu.advance(ns);
      prcb(cpu.index).currentThread.spendProgressNs += ns;
    }
  }

  @Override
  public boolean isIdle(Cpu cpu) {
    return scheduler.isIdleCpu(cpu);
  }

  // ================================================================== system threads

  /** The memory manager's MmWorkingSetManager, which the balance set manager runs each second. */
  public void setWorkingSetManager(Runnable manager) {
    balanceSetManager.setWorkingSetManager(manager);
  }

  /** KiSwappingThread's loop: see {@link BalanceSetManager#swapperLoop}. */
  public void swapperLoop() {
    balanceSetManager.swapperLoop();
  }

  /** KeBalanceSetManager's loop: see {@link BalanceSetManager#balanceSetManagerLoop}. */
  public void balanceSetManagerLoop() {
    balanceSetManager.balanceSetManagerLoop();
  }
}
