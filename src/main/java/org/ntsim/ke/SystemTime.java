package org.ntsim.ke;

import org.ntsim.hal.Machine;

/**
 * The time of day: KeBootTime, the interrupt time and the system time (KeQuerySystemTime,
 * KeQueryInterruptTime and KeSetSystemTime; the services are {@link SystemTimeServices}).
 * Times are NT's: 100 ns units; the system time is a UTC FILETIME (since 1 January 1601).
 *
 * <p>Models: the interrupt time counts from boot and nothing sets it; the system time is KeBootTime
 * plus the interrupt time, and KeBootTime starts as the machine's configured time of day
 * ({@code MachineConfig.bootTimeOfDay}, 27 February 2008 unless set). Both are the values of the
 * last clock tick, as KUSER_SHARED_DATA holds them: "the system time is updated approximately
 * every ten milliseconds" (Microsoft's KeQuerySystemTime page), "the interrupt time ... is
 * updated every clock tick" (KeQueryInterruptTime). Setting the system time moves KeBootTime by
 * the change, and an absolute timer (one set for a system time) falls due at its system time
 * still: its due interrupt time moves by the change, and it expires at once if that has passed
 * (KeSetSystemTime's timer re-evaluation). Relative timers do not move.
 *
 * <p>Left out: time zones (the real-time clock keeps UTC), time adjustment (SetSystemTimeAdjustment)
 * and absolute wait timeouts after a change of the time (a wait's absolute timeout is converted
 * to an interval when the wait starts).
 */
public final class SystemTime {
  private final Kernel kernel;
  private final Machine machine;
  private final Timers timers;
  /** NtQuerySystemTime and NtSetSystemTime. */
  final SystemTimeServices services;
  private long bootTime; // KeBootTime: the system time at interrupt time 0
  /** 2^62 ns: a time this far away is as good as never (or long past). */
  static final long FAR_NS = 1L << 62;

  SystemTime(Kernel kernel, Timers timers, long bootTimeOfDay) {
    this.kernel = kernel;
    this.machine = kernel.machine();
    this.timers = timers;
    this.bootTime = bootTimeOfDay;
    this.services = new SystemTimeServices(kernel, this);
  }

  /** The kernel's time of day. */
  public static SystemTime of(Kernel kernel) {
    return kernel.timers.systemTime;
  }

  /** KeBootTime: the system time at boot, as moved by every change of the system time since. */
  public long bootTime() {
    return bootTime;
  }

  /** KeQueryInterruptTime: 100 ns units from boot to the last clock tick. */
  public long queryInterruptTime() {
    long intervalNs = machine.config.clockIntervalNs;
    long nowNs = machine.activeCpu().clockNs();
    return nowNs / intervalNs * intervalNs / 100;
  }

  /** KeQuerySystemTime: the UTC time of day at the last clock tick. */
  public long querySystemTime() {
    return bootTime + queryInterruptTime();
  }

  /**
   * The simulated time (ns from boot) at which the system time will be {@code systemTime}, as
   * the time is now set; saturated to +-2^62 ns (146 years) beyond what a run can reach.
   */
  public long interruptTimeNsOf(long systemTime) {
    return toNs(systemTime - bootTime);
  }

  /** {@code time100ns} in ns, saturated to +-2^62 so that sums with a clock cannot overflow. */
  static long toNs(long time100ns) {
    if (time100ns >= FAR_NS / 100) {
      return FAR_NS;
    }
    return time100ns <= -FAR_NS / 100 ? -FAR_NS : time100ns * 100;
  }

  /**
   * KeSetSystemTime: the system time becomes {@code newTime} (at the last clock tick); KeBootTime
   * moves by the change and the absolute timers are re-evaluated. Returns the previous time.
   */
  public long setSystemTime(long newTime) {
    long previous = querySystemTime();
    long delta = newTime - previous;
    bootTime += delta;
    timers.adjustAbsoluteTimers(toNs(delta));
    return previous;
  }
}
