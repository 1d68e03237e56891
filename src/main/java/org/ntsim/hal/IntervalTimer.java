package org.ntsim.hal;

/**
 * The interval timer (the PIT or the HPET's clock channel): a device on line
 * {@link #LINE} that interrupts every clock interval once started, counting the ticks. The HAL
 * routes its line to the clock vector at CLOCK_LEVEL on every processor, so each processor runs
 * the clock interrupt at each tick (KeUpdateSystemTime on processor 0, KeUpdateRunTime on all).
 *
 * <p>Invariants: tick n is raised at exactly n clock intervals after boot; the tick count is
 * incremented before the line is raised, so the clock interrupt reads the tick it serves.
 *
 * <p>Left out: changes of the clock rate (the interval is fixed for a run).
 */
public final class IntervalTimer extends Device {
  /** The timer's input line: IRQ 0, as the PIT's and the HPET's legacy route are. */
  public static final int LINE = 0;

  private final long intervalNs;
  private long ticks;

  IntervalTimer(Machine machine, long intervalNs) {
    super(machine, "interval timer", LINE);
    this.intervalNs = intervalNs;
  }

  /** Starts the timer: its first tick comes one interval from boot. */
  void start() {
    machine.events.schedule(intervalNs, this::tick);
  }

  private void tick(long atNs) {
    ticks++;
    machine.ioApic.raise(line, atNs);
    machine.events.schedule(atNs + intervalNs, this::tick);
  }

  /** Clock ticks since boot (KeTickCount). */
  public long ticks() {
    return ticks;
  }
}
