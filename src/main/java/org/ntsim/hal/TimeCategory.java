package org.ntsim.hal;

/**
 * Where a CPU's time goes, as NT's clock interrupt classifies it (seed 003, "IRQLs and CPU time
 * accounting"): the current thread's user or kernel time, DPC time, interrupt time, or idle.
 */
public final class TimeCategory {
  public static final int USER = 0;
  public static final int KERNEL = 1;
  public static final int DPC = 2;
  public static final int INTERRUPT = 3;
  public static final int IDLE = 4;
  public static final int COUNT = 5;

  private static final String[] NAMES = {"user", "kernel", "dpc", "interrupt", "idle"};

  private TimeCategory() {}

  public static String name(int category) {
    return NAMES[category];
  }
}
