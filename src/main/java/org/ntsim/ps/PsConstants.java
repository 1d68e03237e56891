package org.ntsim.ps;

/** Values the process manager and the Win32 layer share. */
public final class PsConstants {
  /** STILL_ACTIVE (STATUS_PENDING): the exit code of a thread or process that has not ended. */
  public static final int STILL_ACTIVE = 0x103;

  /** Memory (page) priorities, 0-7 (Windows Internals 5th ed., ch. 9, "Prioritized Standby"). */
  public static final int MEMORY_PRIORITY_VERY_LOW = 1;
  public static final int MEMORY_PRIORITY_NORMAL = 5;
  /** I/O priorities (IO_PRIORITY_HINT): IoPriorityVeryLow 0 .. IoPriorityCritical 4. */
  public static final int IO_PRIORITY_VERY_LOW = 0;
  public static final int IO_PRIORITY_NORMAL = 2;

  public static final int PROCESS_ALL_ACCESS = 0x001FFFFF;
  public static final int PROCESS_QUERY_INFORMATION = 0x0400;
  public static final int PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;
  public static final int PROCESS_SET_INFORMATION = 0x0200;
  public static final int PROCESS_TERMINATE = 0x0001;
  public static final int PROCESS_VM_OPERATION = 0x0008;
  public static final int PROCESS_SET_QUOTA = 0x0100;
  public static final int PROCESS_VM_READ = 0x0010;
  public static final int PROCESS_VM_WRITE = 0x0020;

  public static final int THREAD_ALL_ACCESS = 0x001FFFFF;
  public static final int THREAD_TERMINATE = 0x0001;
  public static final int THREAD_SUSPEND_RESUME = 0x0002;
  public static final int THREAD_ALERT = 0x0004;
  public static final int THREAD_SET_CONTEXT = 0x0010;
  public static final int THREAD_SET_INFORMATION = 0x0020;
  public static final int THREAD_QUERY_INFORMATION = 0x0040;
  public static final int THREAD_SET_LIMITED_INFORMATION = 0x0400;
  public static final int THREAD_QUERY_LIMITED_INFORMATION = 0x0800;

  public static final int IDLE_PRIORITY_CLASS = 0x00000040;
  public static final int BELOW_NORMAL_PRIORITY_CLASS = 0x00004000;
  public static final int NORMAL_PRIORITY_CLASS = 0x00000020;
  public static final int ABOVE_NORMAL_PRIORITY_CLASS = 0x00008000;
  public static final int HIGH_PRIORITY_CLASS = 0x00000080;
  public static final int REALTIME_PRIORITY_CLASS = 0x00000100;

  private PsConstants() {}

  /** The base priority of a priority class, or -1 if the flag is not a class. */
  public static int basePriorityOfClass(int priorityClass) {
    return switch (priorityClass) {
      case IDLE_PRIORITY_CLASS -> 4;
      case BELOW_NORMAL_PRIORITY_CLASS -> 6;
      case NORMAL_PRIORITY_CLASS -> 8;
      case ABOVE_NORMAL_PRIORITY_CLASS -> 10;
      case HIGH_PRIORITY_CLASS -> 13;
      case REALTIME_PRIORITY_CLASS -> 24;
      default -> -1;
    };
  }

  public static String className(int priorityClass) {
    return switch (priorityClass) {
      case IDLE_PRIORITY_CLASS -> "Idle";
      case BELOW_NORMAL_PRIORITY_CLASS -> "BelowNormal";
      case NORMAL_PRIORITY_CLASS -> "Normal";
      case ABOVE_NORMAL_PRIORITY_CLASS -> "AboveNormal";
      case HIGH_PRIORITY_CLASS -> "High";
      case REALTIME_PRIORITY_CLASS -> "Realtime";
      default -> "?";
    };
  }
}
