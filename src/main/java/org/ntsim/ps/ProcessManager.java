package org.ntsim.ps;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.ntsim.hal.Machine;
import org.ntsim.ke.BugCheck;
import org.ntsim.ke.BugCheckException;
import org.ntsim.ke.CodeOrigin;
import org.ntsim.ke.GuestException;
import org.ntsim.ke.Kernel;
import org.ntsim.ke.KernelInternalError;
import org.ntsim.ke.NtStatus;
import org.ntsim.ke.ThreadExitSignal;
import org.ntsim.mm.MemoryManager;
import org.ntsim.ob.ObjectHeader;
import org.ntsim.ob.ObjectManager;
import org.ntsim.ob.ObjectType;
import org.ntsim.ob.ObjectTypeInitializer;

/**
 * The process manager (Ps): creating and ending processes and threads, client IDs, and the
 * system's own processes (Idle with one idle thread per processor, and System with the kernel's
 * system threads).
 *
 * <p>Models: PspCreateProcess / PspCreateThread (an object, a CID, a KTHREAD initialised and
 * readied), PspExitThread (exit status, last thread ends the process: handle table run down,
 * process signalled), process termination through termination requests to every thread (NT's
 * termination APCs, noticed at the threads' next system-service boundary or wait), and unhandled
 * exceptions in guest code ending the process with STATUS_UNHANDLED_EXCEPTION.
 *
 * <p>References: a running thread holds one reference on itself (dropped when it exits) and one on
 * its process (dropped when the thread object is deleted); handles hold one each. A process or
 * thread object is deleted, and its CID freed, when the last reference goes.
 */
public final class ProcessManager implements org.ntsim.ob.ProcessContext {
  public static final long SYSTEM_PID = 4;
  /** The session of every process but System and Idle: Vista's first interactive session. */
  public static final int INTERACTIVE_SESSION = 1;

  /** Sizes of the x86 Vista structures, for realistic pool addresses. */
  private static final int EPROCESS_SIZE = 0x270;
  private static final int ETHREAD_SIZE = 0x288;
  /** KTHREAD.Timer: the thread's own timer for timed waits lives inside it, at +0x88 on Vista x86. */
  private static final long KTHREAD_TIMER_OFFSET = 0x88;

  public final ObjectType processType = new ObjectType("Process",
      ObjectTypeInitializer.standard("Process", PsConstants.PROCESS_ALL_ACCESS)
          .deleteProcedure(body -> deleteProcess((EProcess) body)));
  public final ObjectType threadType = new ObjectType("Thread",
      ObjectTypeInitializer.standard("Thread", PsConstants.THREAD_ALL_ACCESS)
          .deleteProcedure(body -> deleteThread((EThread) body)));

  private final Kernel kernel;
  private final Machine machine;
  private final ObjectManager ob;
  private final MemoryManager mm;
  private final CidTable cids = new CidTable();
  private final List<EProcess> activeProcesses = new ArrayList<>();
  private EProcess idleProcess;
  private EProcess systemProcess;
  private final List<EThread> idleThreads = new ArrayList<>();
  private int processSeed;

  public ProcessManager(Kernel kernel, ObjectManager ob, MemoryManager mm) {
    this.kernel = kernel;
    this.machine = kernel.machine();
    this.ob = ob;
    this.mm = mm;
  }

  /**
   * PsInitSystem phase 0: the Idle process and its threads start the processors, then the System
   * process is made; Idle and System share the boot page directory. The System process's threads
   * come in phase 1 (init.Boot): the balance set manager (priority 16), the swapper (priority
   * 23) and the zero page thread (created at 16 so that it reaches its first wait during boot,
   * then at 0).
   */
  public void createInitialProcesses() {
    long allCpus = allProcessorsMask();
    idleProcess = new EProcess(kernel.staticAddress(EPROCESS_SIZE), "Idle", 0, 0, allCpus, 0);
    idleProcess.priorityClass = PsConstants.NORMAL_PRIORITY_CLASS;
    EThread[] idle = new EThread[kernel.processorCount()];
    for (int i = 0; i < idle.length; i++) {
      long address = kernel.staticAddress(ETHREAD_SIZE);
      idle[i] = new EThread(idleProcess, address, address + KTHREAD_TIMER_OFFSET, true,
          "nt!KiIdleLoop");
      idle[i].setName("Idle#" + i);
      idleThreads.add(idle[i]);
      idleProcess.threads.add(idle[i]);
      idleProcess.activeThreads++;
    }
    idleProcess.setDirectoryTableBase((long) mm.systemDirectoryFrame() << 12);
    kernel.startProcessors(idle);
    machine.tracer.nameProcess(0, "Idle");
    machine.tracer.nameThread(0, 0, "Idle");

    systemProcess = createProcess("System", null, PsConstants.NORMAL_PRIORITY_CLASS, allCpus);
    idleProcess.addressSpace = systemProcess.addressSpace;
  }


  public long allProcessorsMask() {
    int n = kernel.processorCount();
    return n == 64 ? -1L : (1L << n) - 1;
  }

  // ------------------------------------------------------------------ accessors

  public Kernel kernel() {
    return kernel;
  }

  public ObjectManager objectManager() {
    return ob;
  }

  public EProcess idleProcess() {
    return idleProcess;
  }

  public EProcess systemProcess() {
    return systemProcess;
  }

  public List<EThread> idleThreads() {
    return idleThreads;
  }

  /** PsActiveProcessHead: processes not yet deleted, in creation order. */
  public List<EProcess> activeProcesses() {
    return activeProcesses;
  }

  /** PsGetCurrentThread. */
  @Override
  public org.ntsim.ob.HandleTable currentHandleTable() {
    return currentProcess().handleTable();
  }

  @Override
  public org.ntsim.ob.ObjectHeader currentProcessHeader() {
    return currentProcess().header();
  }

  @Override
  public org.ntsim.ob.ObjectHeader currentThreadHeader() {
    return currentThread().header();
  }

  @Override
  public org.ntsim.ob.HandleTable handleTableOf(Object process) {
    return process instanceof EProcess p ? p.handleTable() : null;
  }

  public EThread currentThread() {
    return (EThread) kernel.currentThread();
  }

  /** PsGetCurrentProcess. */
  public EProcess currentProcess() {
    return currentThread().eprocess;
  }

  /** PsLookupProcessByProcessId without a reference; null if none. */
  public EProcess lookupProcess(long pid) {
    return cids.lookup(pid) instanceof EProcess p ? p : null;
  }

  /** PsLookupThreadByThreadId without a reference; null if none. */
  public EThread lookupThread(long tid) {
    return cids.lookup(tid) instanceof EThread t ? t : null;
  }

  // ------------------------------------------------------------------ creation

  /**
   * PspCreateProcess: a process with no threads yet. The caller owns one reference on it
   * (through {@link EProcess#header()}) and drops it with {@link ObjectManager#dereference}.
   */
  public EProcess createProcess(String imageName, EProcess parent, int priorityClass,
      long affinity) {
    int base = PsConstants.basePriorityOfClass(priorityClass);
    if (base < 0) {
      throw new IllegalArgumentException("not a priority class: " + priorityClass);
    }
    long address = ob.allocateObjectBody(processType, EPROCESS_SIZE, false);
    if (address == 0) {
      throw new IllegalStateException("no pool left for a process object");
    }
    EProcess p = new EProcess(address, imageName, parent == null ? 0 : parent.pid(), base,
        affinity, processSeed++);
    p.priorityClass = priorityClass;
    p.uniqueProcess = cids.allocate(p);
    p.createTimeNs = machine.activeCpu().clockNs();
    p.addressSpace = systemProcess == null
        ? mm.initializeSystemAddressSpace(p, idleProcess)
        : mm.createProcessAddressSpace(p);
    if (systemProcess == null) {
      p.handleTable = ob.initSystemProcessHandleTable(p); // the kernel handle table
    } else {
      p.peb = mm.pebTeb().createPeb(p.addressSpace); // 0 past the commit limit: no PEB
    }
    p.handleTable.allocate(mm.pool()); // none in memory if the pool is full: ObjectTable 0
    p.header = ob.createObject(processType, p, address);
    activeProcesses.add(p);
    machine.tracer.nameProcess(p.uniqueProcess, imageName);
    machine.tracer.emit(machine.activeCpu().clockNs(), machine.activeCpu().index,
        org.ntsim.trace.TraceKind.PROCESS_CREATE, p.uniqueProcess, p.parentId, 0);
    return p;
  }

  /** A thread in the System process running kernel code at {@code priority}. */
  public EThread createSystemThread(String name, String startSymbol, int priority,
      ThreadStart body) {
    return createThread(systemProcess, name, startSymbol, priority, 0, true, body, false);
  }

  /**
   * PspCreateThread: a thread object and CID, a KTHREAD initialised to run {@code body}, and,
   * unless {@code suspended}, readied. The caller owns one reference through
   * {@link EThread#header()} besides the one the running thread holds on itself. Null, with
   * nothing changed, when the pool has no room for the thread object.
   */
  public EThread createThread(EProcess process, String name, String startSymbol, int priority,
      int priorityLevel, boolean kernelMode, ThreadStart body, boolean suspended) {
    long teb = 0;
    if (!kernelMode && process != systemProcess) {
      teb = mm.pebTeb().createTeb(process.addressSpace);
      if (teb == 0) {
        return null; // no page below the PEB, or past the commit limit
      }
    }
    long address = ob.allocateObjectBody(threadType, ETHREAD_SIZE, false);
    if (address == 0) {
      mm.pebTeb().deleteTeb(process.addressSpace, teb);
      return null; // no pool (memory exhausted): STATUS_INSUFFICIENT_RESOURCES to the caller
    }
    EThread t = new EThread(process, address, address + KTHREAD_TIMER_OFFSET, false,
        startSymbol);
    t.teb = teb;
    t.uniqueThread = cids.allocate(t);
    t.createTimeNs = machine.activeCpu().clockNs();
    t.priorityLevel = priorityLevel;
    t.header = ob.createObject(threadType, t, address);
    ob.reference(t.header); // the running thread's reference on itself
    ob.reference(process.header); // the thread's reference on its process
    process.threads.add(t);
    process.activeThreads++;
    String label = name != null ? name : process.imageName + ":" + t.uniqueThread;
    machine.tracer.nameThread(t.uniqueThread, process.uniqueProcess, label);
    kernel.initThread(t, label, priority, process.affinity(), kernelMode, new ThreadMain(t, body, kernelMode));
    if (!suspended) {
      kernel.readyNewThread(t);
    }
    return t;
  }

  /** Readies a thread created suspended. */
  public void startThread(EThread t) {
    kernel.readyNewThread(t);
  }

  /**
   * PspUserThreadStartup and the thread's end: runs the body, then PspExitThread. It is the
   * coroutine's body itself (not a lambda calling a method), so that it costs one frame on the
   * thread's stack, which the coroutine copies out and back in at every switch.
   */
  private final class ThreadMain implements Runnable {
    private final EThread t;
    private final ThreadStart body;
    private final boolean kernelMode;

    ThreadMain(EThread t, ThreadStart body, boolean kernelMode) {
      this.t = t;
      this.body = body;
      this.kernelMode = kernelMode;
    }

    @Override
    public void run() {
      int status;
      try {
        kernel.deliverKernelApcs(); // e.g. the suspend APC of a thread created suspended
        kernel.testTermination(); // a thread ended before it first ran never runs its body
        if (!kernelMode) {
          writeEnvironmentBlocks(t);
          ldrInitializeThunk();
        }
        status = body.run();
      } catch (ThreadExitSignal exit) {
        status = t.exitStatus == PsConstants.STILL_ACTIVE ? t.eprocess.exitStatus : t.exitStatus;
      } catch (BugCheckException | KernelInternalError fatal) {
        throw fatal;
      } catch (Throwable failure) {
        // Guest mistakes that Windows turns into errors or faults are caught at the API and reach
        // here only as GuestException; anything else the simulator's own code raised is its bug.
        if (!(failure instanceof GuestException) && CodeOrigin.raisedBySimulator(failure)) {
          machine.stop("internal error: " + failure);
          throw new KernelInternalError(machine, failure);
        }
        status = failure instanceof GuestException g ? g.status()
            : NtStatus.STATUS_UNHANDLED_EXCEPTION;
        if (t.eprocess == systemProcess) {
          // PspSystemThreadStartup's exception filter: kernel code may not let an exception out.
          // Parameters: the exception code, its address, exception and context records (none).
          kernel.bugCheckEx(BugCheck.SYSTEM_THREAD_EXCEPTION_NOT_HANDLED, status, 0, 0, 0,
              "system thread " + t.name() + " raised " + failure);
        }
        EProcess p = t.eprocess;
        if (p.unhandledException == null) {
          StringWriter w = new StringWriter();
          failure.printStackTrace(new PrintWriter(w));
          p.unhandledException = w.toString();
        }
        beginProcessTermination(p, status, t);
      }
      exitThread(t, status);
    }
  }

  /**
   * The fields of a new user thread's TEB, and of its process's PEB if no thread has filled them
   * yet, written in the process's own address space as the thread starts.
   */
  private void writeEnvironmentBlocks(EThread t) {
    if (t.teb == 0) {
      return;
    }
    EProcess p = t.eprocess;
    boolean wasInKernel = t.inKernel();
    kernel.setKernelMode(true); // kernel work, charged as kernel time
    try {
      if (p.peb != 0 && !p.pebWritten) {
        p.pebWritten = true;
        mm.pebTeb().writePeb(p.peb, false, kernel.processorCount(), INTERACTIVE_SESSION);
      }
      mm.pebTeb().writeTeb(t.teb, p.peb, p.uniqueProcess, t.uniqueThread, t.lastError);
    } finally {
      kernel.setKernelMode(wasInKernel);
    }
  }

  /**
   * LdrInitializeThunk's last step, NtTestAlert: a new user-mode thread enters user mode through
   * ntdll's loader initialisation, which ends by making the thread's queued user APCs
   * deliverable, so APCs queued before the thread first ran (to a thread created suspended, say)
   * run, in the order queued, before its start routine.
   */
  private void ldrInitializeThunk() {
    kernel.objects.testAlert();
    kernel.objects.deliverUserApcs();
  }

  /** ExitThread / NtTerminateThread on self: unwinds the current thread with {@code status}. */
  public void exitCurrentThread(int status) {
    EThread t = currentThread();
    t.exitStatus = status;
    throw new ThreadExitSignal();
  }

  /** NtTerminateThread on another thread: it ends with {@code status} as soon as NT would. */
  public void terminateThread(EThread t, int status) {
    if (t.state() == org.ntsim.ke.ThreadState.TERMINATED || t.terminationRequested()) {
      return;
    }
    t.exitStatus = status;
    if (t == currentThread()) {
      throw new ThreadExitSignal();
    }
    kernel.requestTermination(t);
  }

  /**
   * NtTerminateProcess: every thread ends with {@code status}; the process ends with the last.
   * When the caller is one of its threads, the caller ends last.
   */
  public void terminateProcess(EProcess p, int status) {
    EThread self = currentThread();
    beginProcessTermination(p, status, self);
    if (self.eprocess == p) {
      self.exitStatus = status;
      throw new ThreadExitSignal();
    }
  }

  private void beginProcessTermination(EProcess p, int status, EThread except) {
    if (p.exiting) {
      return;
    }
    p.exiting = true;
    p.exitStatus = status;
    for (EThread other : new ArrayList<>(p.threads)) {
      if (other != except && other.state() != org.ntsim.ke.ThreadState.TERMINATED) {
        if (other.exitStatus == PsConstants.STILL_ACTIVE) {
          other.exitStatus = status;
        }
        if (other.state() == org.ntsim.ke.ThreadState.INITIALIZED) {
          kernel.readyNewThread(other);
        }
        kernel.requestTermination(other);
      }
    }
  }

  /** PspExitThread: the thread's last kernel work, on its own coroutine. */
  private void exitThread(EThread t, int status) {
    kernel.setKernelMode(true);
    EProcess p = t.eprocess;
    org.ntsim.ex.sync.ETimer.rundown(kernel, t.activeTimers);
    t.exitStatus = status;
    t.exitTimeNs = machine.activeCpu().clockNs();
    mm.pebTeb().deleteTeb(p.addressSpace, t.teb); // MmDeleteTeb
    p.activeThreads--;
    if (p.activeThreads == 0) {
      if (!p.exiting) {
        p.exitStatus = status;
        p.exiting = true;
      }
      p.exitTimeNs = t.exitTimeNs;
      ob.closeAll(p.handleTable);
      mm.cleanProcessAddressSpace(p.addressSpace);
      kernel.signalProcess(p, p.exitStatus);
    }
    ObjectHeader self = t.header;
    ob.dereference(self);
    kernel.terminateCurrentThread(status);
  }

  /** PspThreadDelete: the Thread type's delete procedure. */
  private void deleteThread(EThread t) {
    t.eprocess.threads.remove(t);
    cids.free(t.uniqueThread);
    ob.dereference(t.eprocess.header);
  }

  /** PspProcessDelete: the Process type's delete procedure. */
  private void deleteProcess(EProcess p) {
    p.handleTable.free(mm.pool());
    mm.deleteProcessAddressSpace(p.addressSpace);
    activeProcesses.remove(p);
    cids.free(p.uniqueProcess);
  }

  // ------------------------------------------------------------------ priorities

  /** Recomputes a thread's base priority from its process's class and its relative level. */
  public void setThreadPriorityLevel(EThread t, int level) {
    t.priorityLevel = level;
    kernel.setBasePriority(t, basePriorityFor(t.eprocess, level));
  }

  /** SetPriorityClass: a new base for the process, and new bases for its threads. */
  public void setPriorityClass(EProcess p, int priorityClass) {
    p.priorityClass = priorityClass;
    kernel.setProcessBasePriority(p, PsConstants.basePriorityOfClass(priorityClass));
    for (EThread t : new ArrayList<>(p.threads)) {
      if (t.state() != org.ntsim.ke.ThreadState.TERMINATED) {
        kernel.setBasePriority(t, basePriorityFor(p, t.priorityLevel));
      }
    }
  }

  /**
   * The base priority Windows gives a thread of {@code level} in {@code p}'s class: IDLE (-15)
   * is 1 (16 for real-time), TIME_CRITICAL (15) is 15 (31), others add to the class base and
   * saturate within 1..15 (16..31 for real-time).
   */
  public static int basePriorityFor(EProcess p, int level) {
    boolean realtime = p.priorityClass == PsConstants.REALTIME_PRIORITY_CLASS;
    if (level == -15) {
      return realtime ? 16 : 1;
    }
    if (level == 15) {
      return realtime ? 31 : 15;
    }
    int base = p.basePriority() + level;
    return realtime ? Math.clamp(base, 16, 31) : Math.clamp(base, 1, 15);
  }
}
