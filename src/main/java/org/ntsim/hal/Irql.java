package org.ntsim.hal;

/**
 * Interrupt request levels of the x86 HAL, as NT defines them for a uniprocessor-neutral kernel.
 *
 * <p>An interrupt at level L is taken by a CPU only while that CPU's IRQL is below L. Levels 0-2
 * are software levels: threads run at PASSIVE_LEVEL, APC delivery at APC_LEVEL, the dispatcher
 * and DPCs at DISPATCH_LEVEL. Device interrupts sit between DISPATCH_LEVEL and PROFILE_LEVEL.
 */
public final class Irql {
  public static final int PASSIVE_LEVEL = 0;
  public static final int APC_LEVEL = 1;
  public static final int DISPATCH_LEVEL = 2;
  /** Lowest device IRQL; devices use 3..26. */
  public static final int DEVICE_LEVEL_LOW = 3;
  public static final int DEVICE_LEVEL_HIGH = 26;
  public static final int PROFILE_LEVEL = 27;
  /** CLOCK2_LEVEL on x86: the interval timer. */
  public static final int CLOCK_LEVEL = 28;
  public static final int IPI_LEVEL = 29;
  public static final int POWER_LEVEL = 30;
  public static final int HIGH_LEVEL = 31;

  public static final int LEVELS = 32;

  private Irql() {}

  /** The name WinDbg prints for an IRQL. */
  public static String name(int irql) {
    return switch (irql) {
      case PASSIVE_LEVEL -> "PASSIVE_LEVEL";
      case APC_LEVEL -> "APC_LEVEL";
      case DISPATCH_LEVEL -> "DISPATCH_LEVEL";
      case PROFILE_LEVEL -> "PROFILE_LEVEL";
      case CLOCK_LEVEL -> "CLOCK2_LEVEL";
      case IPI_LEVEL -> "IPI_LEVEL";
      case POWER_LEVEL -> "POWER_LEVEL";
      case HIGH_LEVEL -> "HIGH_LEVEL";
      default -> "DEVICE_LEVEL_" + irql;
    };
  }
}
