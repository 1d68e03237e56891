package org.ntsim.ke;

import java.util.Locale;

/**
 * A stop error: the code and four parameters of KeBugCheckEx, with the symbolic name WinDbg's
 * !analyze prints.
 */
public record BugCheck(int code, long p1, long p2, long p3, long p4, long timeNs, int cpu,
    String detail) {
  public static final int IRQL_NOT_GREATER_OR_EQUAL = 0x09;
  public static final int IRQL_NOT_LESS_OR_EQUAL = 0x0A;
  public static final int MEMORY_MANAGEMENT = 0x1A;
  public static final int KMODE_EXCEPTION_NOT_HANDLED = 0x1E;
  public static final int NO_MORE_IRP_STACK_LOCATIONS = 0x35;
  public static final int MULTIPLE_IRP_COMPLETE_REQUESTS = 0x44;
  public static final int NO_PAGES_AVAILABLE = 0x4D;
  public static final int PAGE_FAULT_IN_NONPAGED_AREA = 0x50;
  public static final int SYSTEM_THREAD_EXCEPTION_NOT_HANDLED = 0x7E;
  public static final int ATTEMPTED_SWITCH_FROM_DPC = 0xB8;
  public static final int ATTEMPTED_WRITE_TO_READONLY_MEMORY = 0xBE;
  public static final int BAD_POOL_CALLER = 0xC2;
  public static final int DRIVER_VERIFIER_DETECTED_VIOLATION = 0xC4;
  public static final int DRIVER_IRQL_NOT_LESS_OR_EQUAL = 0xD1;
  public static final int SPIN_LOCK_ALREADY_OWNED = 0x0F;
  public static final int SPIN_LOCK_NOT_OWNED = 0x10;
  public static final int RESOURCE_NOT_OWNED = 0xE3;
  public static final int HARDWARE_INTERRUPT_STORM = 0xF2;

  public static String name(int code) {
    return switch (code) {
      case IRQL_NOT_GREATER_OR_EQUAL -> "IRQL_NOT_GREATER_OR_EQUAL";
      case IRQL_NOT_LESS_OR_EQUAL -> "IRQL_NOT_LESS_OR_EQUAL";
      case MEMORY_MANAGEMENT -> "MEMORY_MANAGEMENT";
      case KMODE_EXCEPTION_NOT_HANDLED -> "KMODE_EXCEPTION_NOT_HANDLED";
      case NO_MORE_IRP_STACK_LOCATIONS -> "NO_MORE_IRP_STACK_LOCATIONS";
      case MULTIPLE_IRP_COMPLETE_REQUESTS -> "MULTIPLE_IRP_COMPLETE_REQUESTS";
      case NO_PAGES_AVAILABLE -> "NO_PAGES_AVAILABLE";
      case ATTEMPTED_WRITE_TO_READONLY_MEMORY -> "ATTEMPTED_WRITE_TO_READONLY_MEMORY";
      case PAGE_FAULT_IN_NONPAGED_AREA -> "PAGE_FAULT_IN_NONPAGED_AREA";
      case SYSTEM_THREAD_EXCEPTION_NOT_HANDLED -> "SYSTEM_THREAD_EXCEPTION_NOT_HANDLED";
      case ATTEMPTED_SWITCH_FROM_DPC -> "ATTEMPTED_SWITCH_FROM_DPC";
      case BAD_POOL_CALLER -> "BAD_POOL_CALLER";
      case DRIVER_VERIFIER_DETECTED_VIOLATION -> "DRIVER_VERIFIER_DETECTED_VIOLATION";
      case DRIVER_IRQL_NOT_LESS_OR_EQUAL -> "DRIVER_IRQL_NOT_LESS_OR_EQUAL";
      case SPIN_LOCK_ALREADY_OWNED -> "SPIN_LOCK_ALREADY_OWNED";
      case SPIN_LOCK_NOT_OWNED -> "SPIN_LOCK_NOT_OWNED";
      case RESOURCE_NOT_OWNED -> "RESOURCE_NOT_OWNED";
      case HARDWARE_INTERRUPT_STORM -> "HARDWARE_INTERRUPT_STORM";
      default -> String.format("BUGCODE_0x%X", code);
    };
  }

  public String name() {
    return name(code);
  }

  /** The blue-screen line: {@code *** STOP: 0x000000B8 (0x..., 0x..., 0x..., 0x...)}. */
  public String stopLine() {
    return String.format(Locale.ROOT, "*** STOP: 0x%08X (0x%08X,0x%08X,0x%08X,0x%08X)%n%s",
        code, p1 & 0xFFFFFFFFL, p2 & 0xFFFFFFFFL, p3 & 0xFFFFFFFFL, p4 & 0xFFFFFFFFL, name());
  }
}
