package org.ntsim.ps;

/**
 * THREAD_BASIC_INFORMATION, as NtQueryInformationThread fills it for ThreadBasicInformation: 28
 * bytes on x86. {@code BasePriority} is the thread's priority level relative to its process's
 * class (THREAD_PRIORITY_*), with the saturation levels as THREAD_BASE_PRIORITY_LOWRT (15) and
 * THREAD_BASE_PRIORITY_IDLE (-15).
 *
 * <p>Left out: TebBaseAddress (threads have no simulated TEB page).
 */
public final class ThreadBasicInformation {
  public static final int SIZE = 28;

  public int ExitStatus;
  public long UniqueProcess;
  public long UniqueThread;
  public long AffinityMask;
  public int Priority;
  public int BasePriority;
}
