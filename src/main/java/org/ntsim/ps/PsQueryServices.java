package org.ntsim.ps;

import org.ntsim.ke.Kernel;
import org.ntsim.ke.NtStatus;
import org.ntsim.ke.OutParameter;
import org.ntsim.ke.ServiceTable;
import org.ntsim.ob.ObServices;
import org.ntsim.ob.ObjectManager;
import org.ntsim.ob.ObjectManager.Reference;
import org.ntsim.ob.ObjectType;

/**
 * The process manager's information services (NT's ps/query.c): NtQueryInformationThread,
 * NtSetInformationThread, NtQueryInformationProcess, NtSetInformationProcess, for the classes
 * kernel32 uses, each with its Zw entry. Information blocks are the holder classes
 * ({@link ThreadBasicInformation}, {@link ProcessBasicInformation}, {@link ProcessPriorityClass})
 * or, for a LONG, ULONG or KAFFINITY, a one-element {@code int[]} or {@code long[]}; a block of
 * another Java type than its class takes is a buffer of the wrong size
 * (STATUS_INFO_LENGTH_MISMATCH). Queries take the right or its limited form, as Vista's do
 * (THREAD_QUERY_INFORMATION or THREAD_QUERY_LIMITED_INFORMATION, ...).
 *
 * <p>Left out: the other information classes, the foreground boost, and the privilege NT wants
 * for the real-time class.
 */
public final class PsQueryServices {
  /**
   * (HIGH_PRIORITY + 1) / 2: the base priority increment that stands for a saturated level
   * (THREAD_PRIORITY_TIME_CRITICAL when positive, THREAD_PRIORITY_IDLE when negative).
   */
  public static final int SATURATION = 16;

  public static final int NT_QUERY_INFORMATION_THREAD =
      ServiceTable.number("NtQueryInformationThread");
  public static final int NT_SET_INFORMATION_THREAD = ServiceTable.number("NtSetInformationThread");
  public static final int NT_QUERY_INFORMATION_PROCESS =
      ServiceTable.number("NtQueryInformationProcess");
  public static final int NT_SET_INFORMATION_PROCESS =
      ServiceTable.number("NtSetInformationProcess");

  /** The size of a LONG, ULONG or KAFFINITY on x86. */
  public static final int ULONG_SIZE = 4;
  /** SetThreadIdealProcessor's "query only" value on x86. */
  public static final int MAXIMUM_PROCESSORS = 32;

  private final ProcessManager ps;
  private final Kernel kernel;
  private final ObjectManager ob;
  private final ObServices obServices;
  private final OutParameter out;

  PsQueryServices(ProcessManager ps, ObServices obServices) {
    this.ps = ps;
    this.kernel = ps.kernel();
    this.ob = ps.objectManager();
    this.obServices = obServices;
    this.out = new OutParameter(kernel);
  }

  /**
   * NtQueryInformationThread: ThreadBasicInformation only (a {@link ThreadBasicInformation} of
   * {@code threadInformationLength} 28), else STATUS_INVALID_INFO_CLASS; another length is
   * STATUS_INFO_LENGTH_MISMATCH. The handle needs THREAD_QUERY_INFORMATION or
   * THREAD_QUERY_LIMITED_INFORMATION; {@code returnLength} (optional) gets the size written.
   */
  public int NtQueryInformationThread(int previousMode, long threadHandle,
      int threadInformationClass, Object threadInformation, int threadInformationLength,
      int[] returnLength) {
    if (threadInformationClass != ThreadInfoClass.ThreadBasicInformation) {
      return NtStatus.STATUS_INVALID_INFO_CLASS;
    }
    int status = probeBlock(previousMode, threadInformation, ThreadBasicInformation.class,
        threadInformationLength, ThreadBasicInformation.SIZE, returnLength);
    if (status != NtStatus.STATUS_SUCCESS) {
      return status;
    }
    Reference ref = referenceEither(previousMode, threadHandle,
        PsConstants.THREAD_QUERY_INFORMATION, PsConstants.THREAD_QUERY_LIMITED_INFORMATION,
        ps.threadType);
    if (!ref.ok()) {
      return ref.status();
    }
    EThread t = ref.body();
    ob.dereference(ref.header());
    ThreadBasicInformation info = (ThreadBasicInformation) threadInformation;
    info.ExitStatus = t.exitStatus();
    info.UniqueProcess = t.process().pid();
    info.UniqueThread = t.tid();
    info.AffinityMask = t.affinity();
    info.Priority = t.priority();
    info.BasePriority = incrementOf(t.priorityLevel());
    written(returnLength, ThreadBasicInformation.SIZE);
    return NtStatus.STATUS_SUCCESS;
  }

  /** ZwQueryInformationThread. */
  public int ZwQueryInformationThread(long threadHandle, int threadInformationClass,
      Object threadInformation, int threadInformationLength, int[] returnLength) {
    return kernel.systemCalls().zw(NT_QUERY_INFORMATION_THREAD,
        mode -> NtQueryInformationThread(mode, threadHandle, threadInformationClass,
            threadInformation, threadInformationLength, returnLength));
  }

  /**
   * NtSetInformationThread, with THREAD_SET_INFORMATION or THREAD_SET_LIMITED_INFORMATION, for
   * three classes, each a 4-byte block: ThreadBasePriority ({@code int[]}: an increment over
   * the process's base, -2..2, or 16 and -16 for the saturated levels, which kernel32 passes for
   * THREAD_PRIORITY_TIME_CRITICAL and THREAD_PRIORITY_IDLE; -7..-3 and 3..6 only in the real-time
   * class; else STATUS_INVALID_PARAMETER); ThreadAffinityMask ({@code long[]}: a non-empty
   * subset of the process's affinity, all ones standing for the process's;
   * STATUS_INVALID_PARAMETER otherwise); ThreadIdealProcessor ({@code int[]}: the status is the
   * previous ideal processor, MAXIMUM_PROCESSORS only queries it, a processor that does not exist
   * is STATUS_INVALID_PARAMETER). Another class is STATUS_INVALID_INFO_CLASS.
   */
  public int NtSetInformationThread(int previousMode, long threadHandle,
      int threadInformationClass, Object threadInformation, int threadInformationLength) {
    if (threadInformationClass != ThreadInfoClass.ThreadBasePriority
        && threadInformationClass != ThreadInfoClass.ThreadAffinityMask
        && threadInformationClass != ThreadInfoClass.ThreadIdealProcessor) {
      return NtStatus.STATUS_INVALID_INFO_CLASS;
    }
    boolean affinity = threadInformationClass == ThreadInfoClass.ThreadAffinityMask;
    int status = probeBlock(previousMode, threadInformation,
        affinity ? long[].class : int[].class, threadInformationLength, ULONG_SIZE, null);
    if (status != NtStatus.STATUS_SUCCESS) {
      return status;
    }
    return withThreadToSet(previousMode, threadHandle, t -> switch (threadInformationClass) {
      case ThreadInfoClass.ThreadBasePriority ->
          setPriorityLevel(t, ((int[]) threadInformation)[0]);
      case ThreadInfoClass.ThreadAffinityMask ->
          setAffinity(t, ((long[]) threadInformation)[0], null);
      default -> setIdealProcessor(t, ((int[]) threadInformation)[0]);
    });
  }

  /** ZwSetInformationThread. */
  public int ZwSetInformationThread(long threadHandle, int threadInformationClass,
      Object threadInformation, int threadInformationLength) {
    return kernel.systemCalls().zw(NT_SET_INFORMATION_THREAD,
        mode -> NtSetInformationThread(mode, threadHandle, threadInformationClass,
            threadInformation, threadInformationLength));
  }

  private int setPriorityLevel(EThread t, int increment) {
    boolean valid = increment == -SATURATION || increment == SATURATION
        || (increment >= -2 && increment <= 2)
        || (t.process().priorityClass() == PsConstants.REALTIME_PRIORITY_CLASS
            && increment >= -7 && increment <= 6);
    if (!valid) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    ps.setThreadPriorityLevel(t, levelOf(increment));
    return NtStatus.STATUS_SUCCESS;
  }

  /** The THREAD_PRIORITY_* level of a base priority increment. */
  private static int levelOf(int increment) {
    return increment == SATURATION ? 15 : increment == -SATURATION ? -15 : increment;
  }

  /** The base priority increment of a THREAD_PRIORITY_* level, as the services speak of it. */
  private static int incrementOf(int level) {
    return level == 15 ? SATURATION : level == -15 ? -SATURATION : level;
  }

  private int setAffinity(EThread t, long requested, long[] previous) {
    long processMask = t.process().affinity();
    long mask = isAllOnes(requested) ? processMask : requested;
    if (mask == 0 || (mask & ~processMask) != 0) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    long old = kernel.setAffinityThread(t, mask);
    if (previous != null) {
      previous[0] = old;
    }
    return NtStatus.STATUS_SUCCESS;
  }

  /**
   * What kernel32's SetThreadAffinityMask asks of the kernel, NtQueryInformationThread for the
   * thread's mask and then NtSetInformationThread(ThreadAffinityMask), in the one system call
   * (NtSetInformationThread's) that the lab digests were recorded with: the checks and result of
   * ThreadAffinityMask, and the previous mask in {@code previous[0]}.
   */
  public int setAffinityReturningPrevious(int previousMode, long threadHandle, long mask,
      long[] previous) {
    return withThreadToSet(previousMode, threadHandle, t -> setAffinity(t, mask, previous));
  }

  /**
   * ~(KAFFINITY)0, which the service takes from Vista on as "every processor of the process"
   * (Wine's test_thread_processor records it; the documentation is silent). KAFFINITY is 32 bits
   * on x86.
   */
  private boolean isAllOnes(long mask) {
    return mask == -1L || (mask == 0xFFFF_FFFFL && kernel.processorCount() <= 32);
  }

  private int setIdealProcessor(EThread t, int processor) {
    if (processor == MAXIMUM_PROCESSORS) {
      return t.idealProcessor();
    }
    if (processor < 0 || processor >= kernel.processorCount()) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    return kernel.setIdealProcessor(t, processor);
  }

  /**
   * NtQueryInformationProcess, with PROCESS_QUERY_INFORMATION or
   * PROCESS_QUERY_LIMITED_INFORMATION: ProcessBasicInformation (a
   * {@link ProcessBasicInformation}, 24 bytes) or ProcessPriorityClass (a
   * {@link ProcessPriorityClass}, 2 bytes); another class is STATUS_INVALID_INFO_CLASS, another
   * length STATUS_INFO_LENGTH_MISMATCH. {@code returnLength} (optional) gets the size written.
   */
  public int NtQueryInformationProcess(int previousMode, long processHandle,
      int processInformationClass, Object processInformation, int processInformationLength,
      int[] returnLength) {
    boolean basic = processInformationClass == ProcessInfoClass.ProcessBasicInformation;
    if (!basic && processInformationClass != ProcessInfoClass.ProcessPriorityClass) {
      return NtStatus.STATUS_INVALID_INFO_CLASS;
    }
    int size = basic ? ProcessBasicInformation.SIZE : ProcessPriorityClass.SIZE;
    int status = probeBlock(previousMode, processInformation,
        basic ? ProcessBasicInformation.class : ProcessPriorityClass.class,
        processInformationLength, size, returnLength);
    if (status != NtStatus.STATUS_SUCCESS) {
      return status;
    }
    Reference ref = referenceEither(previousMode, processHandle,
        PsConstants.PROCESS_QUERY_INFORMATION, PsConstants.PROCESS_QUERY_LIMITED_INFORMATION,
        ps.processType);
    if (!ref.ok()) {
      return ref.status();
    }
    EProcess p = ref.body();
    ob.dereference(ref.header());
    if (basic) {
      ProcessBasicInformation info = (ProcessBasicInformation) processInformation;
      info.ExitStatus = p.exitStatus();
      info.AffinityMask = p.affinity();
      info.BasePriority = p.basePriority();
      info.UniqueProcessId = p.pid();
      info.InheritedFromUniqueProcessId = p.parentId();
    } else {
      ProcessPriorityClass info = (ProcessPriorityClass) processInformation;
      info.Foreground = false;
      info.PriorityClass = ProcessPriorityClass.ofFlag(p.priorityClass());
    }
    written(returnLength, size);
    return NtStatus.STATUS_SUCCESS;
  }

  /** ZwQueryInformationProcess. */
  public int ZwQueryInformationProcess(long processHandle, int processInformationClass,
      Object processInformation, int processInformationLength, int[] returnLength) {
    return kernel.systemCalls().zw(NT_QUERY_INFORMATION_PROCESS,
        mode -> NtQueryInformationProcess(mode, processHandle, processInformationClass,
            processInformation, processInformationLength, returnLength));
  }

  /**
   * NtSetInformationProcess (PROCESS_SET_INFORMATION): ProcessPriorityClass only (a
   * {@link ProcessPriorityClass}, 2 bytes), else STATUS_INVALID_INFO_CLASS. The process and its
   * threads move to the class's base priority; a class number that is not one is
   * STATUS_INVALID_PARAMETER.
   */
  public int NtSetInformationProcess(int previousMode, long processHandle,
      int processInformationClass, Object processInformation, int processInformationLength) {
    if (processInformationClass != ProcessInfoClass.ProcessPriorityClass) {
      return NtStatus.STATUS_INVALID_INFO_CLASS;
    }
    int status = probeBlock(previousMode, processInformation, ProcessPriorityClass.class,
        processInformationLength, ProcessPriorityClass.SIZE, null);
    if (status != NtStatus.STATUS_SUCCESS) {
      return status;
    }
    Reference ref = obServices.referenceObjectByHandle(previousMode, processHandle,
        PsConstants.PROCESS_SET_INFORMATION, ps.processType);
    if (!ref.ok()) {
      return ref.status();
    }
    EProcess p = ref.body();
    ob.dereference(ref.header());
    int flag = ProcessPriorityClass.flagOf(((ProcessPriorityClass) processInformation)
        .PriorityClass);
    if (flag == 0) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    ps.setPriorityClass(p, flag);
    return NtStatus.STATUS_SUCCESS;
  }

  /** ZwSetInformationProcess. */
  public int ZwSetInformationProcess(long processHandle, int processInformationClass,
      Object processInformation, int processInformationLength) {
    return kernel.systemCalls().zw(NT_SET_INFORMATION_PROCESS,
        mode -> NtSetInformationProcess(mode, processHandle, processInformationClass,
            processInformation, processInformationLength));
  }

  /**
   * The checks on an information block: its length ({@code size}, else
   * STATUS_INFO_LENGTH_MISMATCH, also for a block of another Java type), then the probes of the
   * block and of {@code returnLength}.
   */
  private int probeBlock(int previousMode, Object block, Class<?> type, int length, int size,
      int[] returnLength) {
    if (length != size || (block != null && !type.isInstance(block))) {
      return NtStatus.STATUS_INFO_LENGTH_MISMATCH;
    }
    if (block == null || (type.isArray() && !OutParameter.writable(block))) {
      return out.probe(previousMode, null, "information block");
    }
    return out.probeOptional(previousMode, returnLength, "ReturnLength");
  }

  private static void written(int[] returnLength, int size) {
    if (returnLength != null) {
      returnLength[0] = size;
    }
  }

  /** A reference with {@code access}, or failing that with its limited form (Vista's). */
  // ------------------------------------------------------------------ background processing mode

  /**
   * The background-processing-mode request of NtSetInformationProcess that Vista's kernel32
   * makes for SetPriorityClass(PROCESS_MODE_BACKGROUND_BEGIN or _END): PROCESS_SET_INFORMATION,
   * and only on the caller's own process (STATUS_INVALID_PARAMETER for another; the
   * documentation names no error). {@code changed[0]} is false, with STATUS_SUCCESS, when the
   * process was already in the mode asked for; kernel32 turns that into its own error. While the
   * mode lasts the process and all its threads, new ones too, have very low memory and I/O
   * priorities ({@link EProcess#pagePriority()}, {@link EThread#ioPriority()}).
   */
  public int setProcessBackgroundMode(int previousMode, long processHandle, boolean begin,
      boolean[] changed) {
    return obServices.<EProcess>withObject(previousMode, processHandle,
        PsConstants.PROCESS_SET_INFORMATION, ps.processType, p -> {
      if (p != ps.currentProcess()) {
        return NtStatus.STATUS_INVALID_PARAMETER;
      }
      changed[0] = p.backgroundMode != begin;
      p.backgroundMode = begin;
      return NtStatus.STATUS_SUCCESS;
    });
  }

  /**
   * The same for a thread, as SetThreadPriority(THREAD_MODE_BACKGROUND_BEGIN or _END) asks it:
   * THREAD_SET_INFORMATION or THREAD_SET_LIMITED_INFORMATION, only on the calling thread.
   */
  public int setThreadBackgroundMode(int previousMode, long threadHandle, boolean begin,
      boolean[] changed) {
    return withThreadToSet(previousMode, threadHandle, t -> {
      if (t != ps.currentThread()) {
        return NtStatus.STATUS_INVALID_PARAMETER;
      }
      changed[0] = t.backgroundMode != begin;
      t.backgroundMode = begin;
      return NtStatus.STATUS_SUCCESS;
    });
  }

  /**
   * References a thread for a change (THREAD_SET_INFORMATION, or THREAD_SET_LIMITED_INFORMATION
   * for what the limited right allows), releases the reference and applies {@code change}.
   */
  private int withThreadToSet(int previousMode, long threadHandle,
      java.util.function.ToIntFunction<EThread> change) {
    Reference ref = referenceEither(previousMode, threadHandle,
        PsConstants.THREAD_SET_INFORMATION, PsConstants.THREAD_SET_LIMITED_INFORMATION,
        ps.threadType);
    if (!ref.ok()) {
      return ref.status();
    }
    EThread t = ref.body();
    ob.dereference(ref.header());
    return change.applyAsInt(t);
  }

  private Reference referenceEither(int previousMode, long handle, int access, int limitedAccess,
      ObjectType type) {
    Reference ref = obServices.referenceObjectByHandle(previousMode, handle, access, type);
    if (ref.status() == NtStatus.STATUS_ACCESS_DENIED) {
      ref = obServices.referenceObjectByHandle(previousMode, handle, limitedAccess, type);
    }
    return ref;
  }
}
