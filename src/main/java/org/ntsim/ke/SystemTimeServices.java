package org.ntsim.ke;

/**
 * The time-of-day services (ex's NtQuerySystemTime and NtSetSystemTime, over {@link SystemTime}),
 * and the system time as user mode reads it without a trap (KUSER_SHARED_DATA.SystemTime, what
 * kernel32's GetSystemTimeAsFileTime reads).
 *
 * <p>SeSystemtimePrivilege: ntsim has no tokens; no user-mode caller holds the privilege (on Vista
 * a standard user does not, nor does an administrator's UAC-filtered token), so NtSetSystemTime
 * from user mode is STATUS_PRIVILEGE_NOT_HELD, and only kernel-mode callers (ZwSetSystemTime) set
 * the time.
 */
public final class SystemTimeServices {
  public static final int NT_QUERY_SYSTEM_TIME = ServiceTable.number("NtQuerySystemTime");
  public static final int NT_SET_SYSTEM_TIME = ServiceTable.number("NtSetSystemTime");

  /** NtSetSystemTime refuses a time whose high part is negative or above this. */
  private static final long MAXIMUM_HIGH_PART = 0x20000000L;

  private final Kernel kernel;
  private final SystemTime time;
  private final OutParameter out;

  SystemTimeServices(Kernel kernel, SystemTime time) {
    this.kernel = kernel;
    this.time = time;
    this.out = new OutParameter(kernel);
  }

  /** The kernel's time-of-day services. */
  public static SystemTimeServices of(Kernel kernel) {
    return SystemTime.of(kernel).services;
  }

  /** KUSER_SHARED_DATA.SystemTime (0x7FFE0014): the system time of the last clock tick. */
  public long sharedUserDataSystemTime() {
    return time.querySystemTime();
  }

  /** NtQuerySystemTime: STATUS_ACCESS_VIOLATION for a bad pointer from user mode. */
  public int NtQuerySystemTime(int previousMode, long[] systemTime) {
    int probe = out.probe(previousMode, systemTime, "SystemTime");
    if (probe != NtStatus.STATUS_SUCCESS) {
      return probe;
    }
    systemTime[0] = time.querySystemTime();
    return NtStatus.STATUS_SUCCESS;
  }

  /** ZwQuerySystemTime. */
  public int ZwQuerySystemTime(long[] systemTime) {
    return kernel.systemCalls().zw(NT_QUERY_SYSTEM_TIME, m -> NtQuerySystemTime(m, systemTime));
  }

  /**
   * NtSetSystemTime (the WRK's order): the pointers probed, then SeSystemtimePrivilege
   * (STATUS_PRIVILEGE_NOT_HELD from user mode, see the class notes), then the time
   * (STATUS_INVALID_PARAMETER if its high part is negative or above 0x20000000); then the time is
   * set and {@code previousTime}, if given, gets the time before. A null {@code systemTime} only
   * refreshes the time zone, which here is always UTC: STATUS_SUCCESS, nothing changed.
   */
  public int NtSetSystemTime(int previousMode, long[] systemTime, long[] previousTime) {
    if (systemTime == null) {
      return NtStatus.STATUS_SUCCESS;
    }
    int probe = out.probe(previousMode, systemTime, "SystemTime");
    if (probe == NtStatus.STATUS_SUCCESS) {
      probe = out.probeOptional(previousMode, previousTime, "PreviousTime");
    }
    if (probe != NtStatus.STATUS_SUCCESS) {
      return probe;
    }
    if (previousMode != Kernel.KERNEL_MODE) {
      return NtStatus.STATUS_PRIVILEGE_NOT_HELD;
    }
    long newTime = systemTime[0];
    long highPart = newTime >> 32;
    if (highPart < 0 || highPart > MAXIMUM_HIGH_PART) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    long previous = time.setSystemTime(newTime);
    if (previousTime != null) {
      previousTime[0] = previous;
    }
    return NtStatus.STATUS_SUCCESS;
  }

  /** ZwSetSystemTime. */
  public int ZwSetSystemTime(long[] systemTime, long[] previousTime) {
    return kernel.systemCalls().zw(NT_SET_SYSTEM_TIME,
        m -> NtSetSystemTime(m, systemTime, previousTime));
  }
}
