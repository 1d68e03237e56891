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
  /** TEB LastErrorValue. */
  public int lastError;
  /** ActiveTimerListHead: the timers whose completion APC targets this thread. */
  public final java.util.List<org.ntsim.ex.sync.ETimer> activeTimers = new java.util.ArrayList<>();
  final String startSymbol;
  ObjectHeader header;

  EThread(EProcess process, long address, long timerAddress, boolean idle, String startSymbol) {
    super(process, address, timerAddress, idle);
    this.eprocess = process;
    this.startSymbol = startSymbol;
  }

  /**
   * KTHREAD.Teb: the thread environment block's user address, or 0 when the thread has none
   * (system threads on NT; every thread here until TEB pages are made at creation).
   */
  public long tebAddress() {
    return 0;
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
}
