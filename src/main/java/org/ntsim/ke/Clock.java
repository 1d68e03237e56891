package org.ntsim.ke;

import org.ntsim.hal.Cpu;
import org.ntsim.hal.Irql;
import org.ntsim.hal.Machine;
import org.ntsim.hal.TimeCategory;
import org.ntsim.trace.TraceKind;

/**
 * The clock interrupt's work (ReactOS's ke/clock.c and ke/time.c; seed 003 slide 7):
 * KeUpdateSystemTime on processor 0, which checks the timer table and queues the timer expiration
 * DPC when a list falls due, and KeUpdateRunTime on every processor, which charges the tick by the
 * interrupted IRQL and thread, takes quantum from the running thread (asking for the
 * DISPATCH_LEVEL interrupt when it runs out, {@link QuantumAccounting}) and adapts the DPC queue
 * depth to the DPC rate ({@link Dpcs#updateDpcRate}).
 *
 * <p>Invariants: runs on the machine loop's stack at CLOCK_LEVEL; each tick is charged to exactly
 * one of interrupt, DPC, idle, kernel or user time of the processor (and, for the last two, of the
 * thread and its process).
 *
 * <p>Left out: the system time of day (KeQuerySystemTime), the interrupt time's 100 ns units, and
 * the clock rate changes of timeBeginPeriod (the interval is fixed for a run).
 */
final class Clock {
  private final Kernel kernel;
  private final Machine machine;
  private final TimerTable timerTable;
  private final Timers timers;
  private final Dpcs dpcs;
  private final QuantumAccounting quantum;

  Clock(Kernel kernel, TimerTable timerTable, Timers timers, Dpcs dpcs) {
    this.kernel = kernel;
    this.machine = kernel.machine();
    this.timerTable = timerTable;
    this.timers = timers;
    this.dpcs = dpcs;
    this.quantum = kernel.scheduler().quantum;
  }

  /**
   * KeUpdateSystemTime (processor 0) and KeUpdateRunTime: the clock interrupt's service routine,
   * called at CLOCK_LEVEL with the IRQL it interrupted.
   */
  void clockInterrupt(Cpu cpu, int interruptedIrql) {
    cpu.advance(machine.cost.clockIsrNs);
    KPrcb p = kernel.prcb(cpu.index);
    long tick = kernel.tickCount();
    if (cpu.index == 0 && timerTable.hasExpired(tick, cpu.clockNs())) {
      dpcs.insertQueueDpc(timers.timerExpiryDpc, null, null);
    } else if (cpu.index == 0) {
      timerTable.markScanned(tick);
    }
    KThread t = p.currentThread;
    int category;
    if (interruptedIrql > Irql.DISPATCH_LEVEL) {
      p.interruptTicks++;
      category = TimeCategory.INTERRUPT;
    } else if (interruptedIrql == Irql.DISPATCH_LEVEL && p.dpcRoutineActive) {
      p.dpcTicks++;
      category = TimeCategory.DPC;
    } else if (t.idle) {
      p.idleTicks++;
      t.kernelTicks++;
      category = TimeCategory.IDLE;
    } else if (interruptedIrql == Irql.DISPATCH_LEVEL || t.inKernel) {
      t.kernelTicks++;
      t.process.kernelTicks++;
      p.kernelTicks++;
      category = TimeCategory.KERNEL;
    } else {
      t.userTicks++;
      t.process.userTicks++;
      p.userTicks++;
      category = TimeCategory.USER;
    }
    machine.tracer.emit(cpu.clockNs(), cpu.index, TraceKind.CLOCK_TICK, tick, category,
        t.uniqueThread);
    if (!t.idle && quantum.chargeClockTick(t)) {
      p.quantumEnd = true;
      cpu.requestSoftwareInterrupt(Irql.DISPATCH_LEVEL);
    }
    dpcs.updateDpcRate(p);
  }
}
