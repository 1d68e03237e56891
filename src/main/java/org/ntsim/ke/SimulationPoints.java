package org.ntsim.ke;

import org.ntsim.hal.Coroutine;
import org.ntsim.hal.Cpu;
import org.ntsim.hal.Machine;

/**
 * Where simulated time passes on a processor and control moves between the machine loop and a
 * thread's coroutine (DESIGN.md section 2): the loop resumes a thread's coroutine, the coroutine
 * spends time and yields back when it reaches its horizon (the next participant's time, see
 * {@link Machine}) or an interrupt falls due, and code on the loop's stack (ISRs, DPCs) spends
 * time at raised IRQL, taking higher interrupts meanwhile.
 *
 * <p>Invariants: {@code kernel.runningCoroutine} is the thread whose coroutine runs, null while
 * the loop itself runs; it is set only by {@link #resumeThread} and is the current thread of the
 * active processor whenever it is not null. A coroutine yields only at these points or in a
 * wait, and resumes holding the same thread.
 *
 * <p>Hot path: none of this allocates; {@link #spendOnThread} returns at once when the time fits
 * before the horizon and no interrupt above the IRQL is requested.
 *
 * <p>Left out: nothing of NT: these points are how the model advances time, not an NT mechanism.
 */
final class SimulationPoints {
  private final Kernel kernel;
  private final Machine machine;

  SimulationPoints(Kernel kernel) {
    this.kernel = kernel;
    this.machine = kernel.machine();
  }

  /**
   * Runs (or continues) a thread's coroutine on the active CPU; called by the processor loop. The
   * coroutine runs the thread's body itself, with no frame of the kernel's beneath it: every frame
   * on a coroutine's stack is copied out and back in at each switch.
   */
  void resumeThread(KThread t) {
    Coroutine c = t.coroutine;
    if (c == null) {
      c = machine.backend.create(t.name, t.body);
      t.coroutine = c;
    }
    KThread saved = kernel.runningCoroutine;
    kernel.runningCoroutine = t;
    KPrcb prcb = kernel.prcb(machine.activeCpu().index);
    if (prcb.readyCount >= KPrcb.READ_AHEAD_MIN_READY) {
      prcb.warmUpReadyQueue();
    }
    try {
      c.resume();
    } finally {
      kernel.runningCoroutine = saved;
    }
    if (t.state != ThreadState.TERMINATED && c.isDone()) {
      throw new IllegalStateException("thread " + t.name + " returned without terminating");
    }
  }

  /**
   * {@link Kernel#spend(long)} on a thread's coroutine, running on {@code cpu}. Time that fits
   * before the CPU's horizon and its next interrupt passes at once. Otherwise the thread defers it
   * ({@link Cpu#defer}) and yields: the loop runs whatever comes first in simulated time, then
   * moves this CPU's clock to the end of the time or to an interrupt due before it, and resumes
   * the thread, which learns from {@link KThread#spendProgressNs} how far it got. Once the time is
   * spent, the thread yields again if the horizon is reached or an interrupt is due, so that its
   * next step comes in global time order. {@code computing} is the thread when it computes in
   * user mode: a termination requested meanwhile (the exit APC, delivered by the APC interrupt)
   * ends it at once, as in NT, instead of after the computation.
   */
  void spendOnThread(Cpu cpu, long ns, KThread computing) {
    if (cpu.runsClear(ns)) {
      cpu.advance(ns);
      return;
    }
    while (ns > 0) {
      if (cpu.clockNs() + ns < cpu.runLimitNs()) {
        cpu.advance(ns);
        break;
      }
      KThread self = kernel.runningCoroutine;
      cpu.defer(cpu.clockNs() + ns);
      self.spendProgressNs = 0;
      yieldToLoop();
      ns -= self.spendProgressNs;
      self.spendProgressNs = 0;
      cpu = machine.activeCpu();
      if (computing != null && computing.terminationRequested) {
        throw new ThreadExitSignal();
      }
    }
    if (cpu.mustYield()) {
      yieldToLoop();
    }
  }

  /**
   * KeStallExecutionProcessor-style busy time on the loop's stack, taking higher interrupts. The
   * loop cannot be given control back from here, so it runs the other processors and the events
   * that come first up to each step's end from inside ({@link Machine#runOthersBefore}).
   */
  void spendAtRaisedIrql(long ns) {
    Cpu cpu = machine.activeCpu();
    while (ns > 0 && !machine.stopped()) {
      long target = cpu.clockNs() + ns;
      machine.runOthersBefore(cpu, target);
      long due = Math.min(cpu.nextInterruptNs(), target);
      long step = Math.max(0, due - cpu.clockNs());
      cpu.advance(step);
      ns -= step;
      if (cpu.highestDeliverable() >= 0) {
        cpu.deliverInterrupts();
      }
    }
  }

  /**
   * Gives the CPU back to the machine loop from a thread's coroutine. A yield itself changes
   * nothing: when the thread runs again, it takes its kernel APCs only if the APC interrupt was
   * taken meanwhile on its processor (KiDeliverApc from the APC_LEVEL interrupt), so that where
   * the loop happened to look again (the slice) has no effect on the run.
   */
  void yieldToLoop() {
    KThread self = kernel.runningCoroutine;
    machine.backend.yieldCurrent();
    if (kernel.currentPrcb().apcInterruptTaken) {
      kernel.deliverPendingApcs(self);
    }
  }
}
