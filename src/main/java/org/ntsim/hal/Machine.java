package org.ntsim.hal;

import org.ntsim.trace.Tracer;

/**
 * The simulated computer: CPUs, the event queue, the interrupt controller and the interval timer,
 * driven by one loop on one host thread.
 *
 * <p>Models: one simulated time across processors. Every CPU keeps its own clock, and the loop
 * always runs whichever participant's next observable step is earliest: the event queue (at its
 * earliest event) or a CPU (at its clock; an idle CPU at its next interrupt; a CPU in the middle of
 * a stretch of time its thread spends, at the end of that stretch or at an interrupt that falls due
 * first). Ties go to events, then to the lower-numbered CPU. The chosen CPU runs up to its horizon,
 * the next participant's time, and gives control back at the first simulation point past it; a
 * request it posts to another CPU (an IPI) lowers its horizon to that time. Time a thread spends
 * has no effect another CPU can see, so a CPU that cannot finish such a stretch before its horizon
 * does not step through it: it defers it, and its key becomes the stretch's end (cut back when an
 * interrupt arrives earlier). Code at raised IRQL on the loop's stack (an ISR, a DPC) cannot give
 * control back, so while it spends time the loop runs the other CPUs and events up to its time
 * from inside it ({@link #runOthersBefore}). The result does not depend on
 * {@link MachineConfig#sliceNs}, which only bounds how long a CPU running alone keeps the host
 * before the loop looks again.
 *
 * <p>Invariants: {@link #nowNs()} never goes backwards; every step another CPU could observe runs
 * in global time order, except that a CPU's own atomic step (a context switch, an interrupt's
 * dispatch cost) may end past its horizon by that step's cost, and that CPUs whose code is on the
 * host stack below a nested run (two processors in long DPCs at once) are not run by it; nothing
 * here reads the host clock or host randomness.
 */
public final class Machine {
  public final MachineConfig config;
  public final CostModel cost;
  public final Prng prng;
  public final Tracer tracer;
  public final EventQueue events = new EventQueue();
  public final CoroutineBackend backend;
  public final PhysicalMemory memory;
  /** The interrupt controller every device's line goes through. */
  public final IoApic ioApic;
  public final IntervalTimer intervalTimer;
  private final Cpu[] cpus;
  /** Each CPU's key in the step being chosen (see {@link #keyOf}); MAX_VALUE: not taking part. */
  private final long[] keys;

  private CpuDriver driver;
  private long nowNs;
  /** With invariant checks on (hal.Checks), how often the kernel's sweeps run: 50 us of simulated time. */
  private static final long VERIFY_INTERVAL_NS = 50_000;
  private long nextVerifyNs;
  private Cpu activeCpu;
  private boolean stopped;
  private String stopReason;

  public Machine(MachineConfig config) {
    this.config = config.validate();
    this.cost = config.cost.copy();
    this.prng = new Prng(config.seed);
    this.tracer = new Tracer(config.recordTrace);
    this.backend = CoroutineBackend.named(config.backend);
    this.memory = new PhysicalMemory(config.memoryBytes);
    this.cpus = new Cpu[config.cpus];
    this.keys = new long[config.cpus];
    for (int i = 0; i < cpus.length; i++) {
      cpus[i] = new Cpu(this, i);
    }
    tracer.nameCpuCount(cpus.length);
    activeCpu = cpus[0];
    this.ioApic = new IoApic(this);
    this.intervalTimer = new IntervalTimer(this, config.clockIntervalNs);
    ioApic.route(IntervalTimer.LINE, InterruptVectors.CLOCK_VECTOR, Irql.CLOCK_LEVEL,
        allCpusMask());
  }

  /** Every processor's bit. */
  public long allCpusMask() {
    return cpus.length >= 64 ? -1L : (1L << cpus.length) - 1;
  }

  public void attach(CpuDriver driver) {
    this.driver = driver;
  }

  /** Starts the interval timer: the clock vector on every CPU each clock interval. */
  public void startIntervalTimer() {
    intervalTimer.start();
  }

  public long clockTicks() {
    return intervalTimer.ticks();
  }

  public int cpuCount() {
    return cpus.length;
  }

  public Cpu cpu(int index) {
    return cpus[index];
  }

  /** The CPU whose code is executing now (the loop sets it before running each CPU). */
  public Cpu activeCpu() {
    return activeCpu;
  }

  /**
   * Global simulated time: the time of the latest step the loop has begun (an event fired or a CPU
   * run from its key). A CPU's own clock may be ahead of it within its step.
   */
  public long nowNs() {
    return nowNs;
  }

  public boolean stopped() {
    return stopped;
  }

  public String stopReason() {
    return stopReason;
  }

  /** Stops the loop after the code now running gives control back. */
  public void stop(String reason) {
    if (!stopped) {
      stopped = true;
      stopReason = reason;
    }
  }

  /** Runs for {@code durationNs} of simulated time from now, or until stopped. */
  public void runFor(long durationNs) {
    runUntil(nowNs + durationNs);
  }

  /** Runs until simulated time {@code endNs}, or until stopped. */
  public void runUntil(long endNs) {
    if (driver == null) {
      throw new IllegalStateException("no kernel attached to the machine");
    }
    while (!stopped && step(null, endNs)) {
      // each step runs the earliest participant
    }
    if (!stopped && nowNs < endNs) {
      nowNs = endNs;
      for (Cpu cpu : cpus) {
        activeCpu = cpu;
        if (cpu.defers()) {
          driver.resolveDeferral(cpu, Math.min(endNs, cpu.deferredUntilNs()));
        } else if (cpu.clockNs() < endNs && driver.isIdle(cpu)) {
          cpu.catchUp(endNs);
        }
      }
    }
  }

  /**
   * From code at raised IRQL on {@code self} (on the loop's stack) that is about to spend time up
   * to {@code targetNs}: runs the events and the other CPUs whose next step comes first, until
   * none does before {@code targetNs} or before an interrupt that falls due on {@code self}.
   * CPUs whose code is already on the host stack are left where they are.
   */
  public void runOthersBefore(Cpu self, long targetNs) {
    if (!anyOtherBefore(self, targetNs)) {
      return;
    }
    Cpu saved = activeCpu;
    try {
      while (!stopped && step(self, targetNs)) {
        // each step runs the earliest participant other than self
      }
    } finally {
      activeCpu = saved;
    }
  }

  private boolean anyOtherBefore(Cpu self, long targetNs) {
    long limit = Math.min(targetNs, self.nextInterruptNs());
    if (events.peekTimeNs() <= limit) {
      return true;
    }
    for (Cpu cpu : cpus) {
      if (cpu != self && !cpu.onStack && keyOf(cpu) < limit) {
        return true;
      }
    }
    return false;
  }

  /**
   * One step of the loop: fires the earliest event or runs the earliest CPU up to its horizon.
   * With {@code self} (a nested run), {@code self} takes part as a participant due at the earlier
   * of {@code endNs} and its next interrupt, and is never run. Returns false when nothing is due
   * before the end.
   */
  private boolean step(Cpu self, long endNs) {
    long end = self == null ? endNs : Math.min(endNs, self.nextInterruptNs());
    Cpu next = null;
    long nextKey = Long.MAX_VALUE;
    long[] key = keys; // read again only before runSlice, which may reuse it in a nested step
    for (Cpu cpu : cpus) {
      if (cpu.onStack || cpu == self) {
        key[cpu.index] = Long.MAX_VALUE;
        continue;
      }
      key[cpu.index] = keyOf(cpu);
      if (key[cpu.index] < nextKey) {
        next = cpu;
        nextKey = key[cpu.index];
      }
    }
    long eventNs = events.peekTimeNs();
    if (eventNs <= nextKey && (eventNs < end || (self != null && eventNs == end))) {
      advanceNow(eventNs);
      events.poll().fire(eventNs);
      return true;
    }
    if (next == null || nextKey >= end
        || (self != null && nextKey == end && next.index > self.index)) {
      return false;
    }
    long horizon = Math.min(eventNs,
        self == null ? end : end + (self.index > next.index ? 1 : 0));
    for (Cpu cpu : cpus) {
      if (cpu != next && key[cpu.index] != Long.MAX_VALUE) {
        horizon = Math.min(horizon, key[cpu.index] + (cpu.index > next.index ? 1 : 0));
      }
    }
    horizon = Math.min(horizon, nextKey + config.sliceNs);
    advanceNow(nextKey);
    activeCpu = next;
    if (next.defers()) {
      driver.resolveDeferral(next, nextKey);
      next.endDeferral();
    } else if (next.clockNs() < nextKey) {
      next.catchUp(nextKey); // an idle CPU reaches the interrupt that wakes it
    }
    next.beginSlice(horizon);
    next.onStack = true;
    try {
      driver.runSlice(next, horizon);
    } finally {
      next.onStack = false;
    }
    if (Checks.INVARIANTS && !stopped && self == null && nowNs >= nextVerifyNs) {
      driver.verify();
      nextVerifyNs = nowNs + VERIFY_INTERVAL_NS;
    }
    return true;
  }

  /**
   * When a CPU takes its next observable step: an idle CPU at its next interrupt, a CPU deferring
   * the time its thread spends at the end of that time or at an interrupt due first, any other at
   * its clock.
   */
  private long keyOf(Cpu cpu) {
    if (cpu.defers()) {
      return Math.max(cpu.clockNs(), Math.min(cpu.deferredUntilNs(), cpu.nextInterruptNs()));
    }
    if (cpu.highestDeliverable() < 0 && driver.isIdle(cpu)) {
      long t = cpu.nextInterruptNs();
      return t == Long.MAX_VALUE ? t : Math.max(t, cpu.clockNs());
    }
    return cpu.clockNs();
  }

  private void advanceNow(long t) {
    if (t > nowNs) {
      nowNs = t;
    }
  }

  /** Releases host resources held by suspended coroutines (the hand-off backend's threads). */
  public void shutdown() {
    backend.shutdown();
  }
}
