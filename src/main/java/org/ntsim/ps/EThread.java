package org.ntsim.ps;

import org.ntsim.ke.KThread;
import org.ntsim.ob.ObjectHeader;

/**
 * ETHREAD: the executive's thread (seed 004, "ETHREAD fields") around its KTHREAD: the client ID,
 * the start routine, the exit status and times, and the Win32 relative priority level that its
 * base priority was computed from. The TEB's LastErrorValue lives here too.
 */
public final class EThread extends KThread {
  final EProcess eprocess;
  int exitStatus = PsConstants.STILL_ACTIVE;
  long createTimeNs;
  long exitTimeNs = -1;
  /** THREAD_PRIORITY_* level relative to the process class (0 normal). */
  int priorityLevel;
  /**
   * TEB LastErrorValue, the model's copy: written to the TEB when the thread starts and by each
   * refresh of the kernel image (the console's, before a command).
   */
  public int lastError;
  /** Teb: the TEB's page, 0 if none. */
  long teb;
  /** ActiveTimerListHead: the timers whose completion APC targets this thread. */
  public final java.util.List<org.ntsim.ex.sync.ETimer> activeTimers = new java.util.ArrayList<>();
  final String startSymbol;
  ObjectHeader header;
  /** THREAD_MODE_BACKGROUND_BEGIN is in force (SetThreadPriority on itself). */
  boolean backgroundMode;

  EThread(EProcess process, long address, long timerAddress, boolean idle, String startSymbol) {
    super(process, address, timerAddress, idle);
    this.eprocess = process;
    this.startSymbol = startSymbol;
  }

  /**
   * KTHREAD.Teb: the thread environment block's user address (MmCreateTeb's page), or 0 when the
   * thread has none (system threads, as on NT).
   */
  public long tebAddress() {
    return teb;
  }

  public long tid() {
    return uniqueThread;
  }

  public EProcess process() {
    return eprocess;
  }

  public int exitStatus() {
    return exitStatus;
  }

  public long createTimeNs() {
    return createTimeNs;
  }

  public long exitTimeNs() {
    return exitTimeNs;
  }

  public int priorityLevel() {
    return priorityLevel;
  }

  public String startSymbol() {
    return startSymbol;
  }

  public ObjectHeader header() {
    return header;
  }

  /** Whether the thread is in background processing mode, its own or its process's. */
  public boolean inBackgroundMode() {
    return backgroundMode || eprocess.backgroundMode;
  }

  /**
   * The memory (page) priority given to the pages this thread brings in: normal (5), or very
   * low (1) in background processing mode (Windows Internals 5th ed., ch. 9 and ch. 7, "I/O
   * Prioritization": background mode lowers memory priority and I/O priority).
   */
  public int pagePriority() {
    return inBackgroundMode() ? PsConstants.MEMORY_PRIORITY_VERY_LOW
        : PsConstants.MEMORY_PRIORITY_NORMAL;
  }

  /** The I/O priority of the IRPs this thread issues: normal (2), very low (0) in background. */
  public int ioPriority() {
    return inBackgroundMode() ? PsConstants.IO_PRIORITY_VERY_LOW : PsConstants.IO_PRIORITY_NORMAL;
  }
}
