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
   * the time is now set; Long.MAX_VALUE for one beyond what the simulation can reach.
   */
  public long interruptTimeNsOf(long systemTime) {
    long sinceBoot = systemTime - bootTime;
    if (sinceBoot > Long.MAX_VALUE / 100) {
      return Long.MAX_VALUE;
    }
    return sinceBoot < Long.MIN_VALUE / 100 ? Long.MIN_VALUE : sinceBoot * 100;
  }

  /**
   * KeSetSystemTime: the system time becomes {@code newTime} (at the last clock tick); KeBootTime
   * moves by the change and the absolute timers are re-evaluated. Returns the previous time.
   */
  public long setSystemTime(long newTime) {
    long previous = querySystemTime();
    long delta = newTime - previous;
    bootTime += delta;
    timers.adjustAbsoluteTimers(delta * 100);
    return previous;
  }
}
