package org.ntsim.ps;

/**
 * PROCESS_PRIORITY_CLASS, the block of NtQueryInformationProcess and NtSetInformationProcess for
 * ProcessPriorityClass: 2 bytes. {@code PriorityClass} is one of NT's PROCESS_PRIORITY_CLASS_*
 * numbers, which kernel32 translates to and from the Win32 flags (*_PRIORITY_CLASS).
 *
 * <p>Left out: {@code Foreground} is read and written but changes nothing (no foreground boost).
 */
public final class ProcessPriorityClass {
  public static final int SIZE = 2;

  public static final int PROCESS_PRIORITY_CLASS_UNKNOWN = 0;
  public static final int PROCESS_PRIORITY_CLASS_IDLE = 1;
  public static final int PROCESS_PRIORITY_CLASS_NORMAL = 2;
  public static final int PROCESS_PRIORITY_CLASS_HIGH = 3;
  public static final int PROCESS_PRIORITY_CLASS_REALTIME = 4;
  public static final int PROCESS_PRIORITY_CLASS_BELOW_NORMAL = 5;
  public static final int PROCESS_PRIORITY_CLASS_ABOVE_NORMAL = 6;

  public boolean Foreground;
  public int PriorityClass;

  /** The PROCESS_PRIORITY_CLASS_* number of a Win32 class flag; UNKNOWN for another value. */
  public static int ofFlag(int priorityClassFlag) {
    return switch (priorityClassFlag) {
      case PsConstants.IDLE_PRIORITY_CLASS -> PROCESS_PRIORITY_CLASS_IDLE;
      case PsConstants.NORMAL_PRIORITY_CLASS -> PROCESS_PRIORITY_CLASS_NORMAL;
      case PsConstants.HIGH_PRIORITY_CLASS -> PROCESS_PRIORITY_CLASS_HIGH;
      case PsConstants.REALTIME_PRIORITY_CLASS -> PROCESS_PRIORITY_CLASS_REALTIME;
      case PsConstants.BELOW_NORMAL_PRIORITY_CLASS -> PROCESS_PRIORITY_CLASS_BELOW_NORMAL;
      case PsConstants.ABOVE_NORMAL_PRIORITY_CLASS -> PROCESS_PRIORITY_CLASS_ABOVE_NORMAL;
      default -> PROCESS_PRIORITY_CLASS_UNKNOWN;
    };
  }

  /** The Win32 class flag of a PROCESS_PRIORITY_CLASS_* number; 0 for another value. */
  public static int flagOf(int priorityClass) {
    return switch (priorityClass) {
      case PROCESS_PRIORITY_CLASS_IDLE -> PsConstants.IDLE_PRIORITY_CLASS;
      case PROCESS_PRIORITY_CLASS_NORMAL -> PsConstants.NORMAL_PRIORITY_CLASS;
      case PROCESS_PRIORITY_CLASS_HIGH -> PsConstants.HIGH_PRIORITY_CLASS;
      case PROCESS_PRIORITY_CLASS_REALTIME -> PsConstants.REALTIME_PRIORITY_CLASS;
      case PROCESS_PRIORITY_CLASS_BELOW_NORMAL -> PsConstants.BELOW_NORMAL_PRIORITY_CLASS;
      case PROCESS_PRIORITY_CLASS_ABOVE_NORMAL -> PsConstants.ABOVE_NORMAL_PRIORITY_CLASS;
      default -> 0;
    };
  }
}
