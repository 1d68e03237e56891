package org.ntsim.hal;

import org.ntsim.trace.Tracer;

/**
 * The simulated computer: CPUs, the event queue, the interrupt controller and the interval timer,
 * driven by one loop on one host thread.
 *
 * <p>Models: time advances slice by slice. At the start of a slice every event due before its end
 * fires (events post timestamped interrupt requests to CPUs); then each CPU, in index order, runs
 * until its own clock reaches the slice end. Cross-CPU effects (an IPI, a thread readied for
 * another CPU) are therefore seen by the target at the sender's time if the target has not yet run
 * past it, else at the start of the target's next slice: deterministic, and late by at most one
 * slice. When every CPU is idle the loop jumps straight to the next event.
 *
 * <p>Invariants: {@link #nowNs()} never goes backwards; each CPU clock is at least the start of
 * the current slice; nothing here reads the host clock or host randomness.
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

  private CpuDriver driver;
  private long nowNs;
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

  /** Global simulated time: the start of the slice being run. CPUs may be ahead within it. */
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
    while (nowNs < endNs && !stopped) {
      if (allIdle()) {
        long next = Math.min(events.peekTimeNs(), endNs);
        for (Cpu cpu : cpus) {
          next = Math.min(next, Math.max(cpu.nextInterruptNs(), nowNs));
        }
        if (next > nowNs) {
          nowNs = next;
          for (Cpu cpu : cpus) {
            activeCpu = cpu;
            cpu.catchUp(nowNs);
          }
          continue;
        }
      }
      long sliceEnd = Math.min(nowNs + config.sliceNs, endNs);
      while (events.peekTimeNs() < sliceEnd) {
        long t = events.peekTimeNs();
        events.poll().fire(t);
      }
      for (Cpu cpu : cpus) {
        if (stopped) {
          break;
        }
        activeCpu = cpu;
        cpu.beginSlice(sliceEnd);
        if (cpu.clockNs() < sliceEnd) {
          driver.runSlice(cpu, sliceEnd);
          if (Checks.INVARIANTS && !stopped) {
            driver.verify();
          }
        }
      }
      nowNs = sliceEnd;
    }
  }

  private boolean allIdle() {
    for (Cpu cpu : cpus) {
      if (cpu.highestDeliverable() >= 0 || !driver.isIdle(cpu)) {
        return false;
      }
    }
    return true;
  }

  /** Releases host resources held by suspended coroutines (the hand-off backend's threads). */
  public void shutdown() {
    backend.shutdown();
  }
}
