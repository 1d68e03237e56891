package org.ntsim.ke;

import org.ntsim.hal.Coroutine;
import org.ntsim.hal.Cpu;
import org.ntsim.hal.Machine;

/**
 * Where simulated time passes on a processor and control moves between the machine loop and a
 * thread's coroutine (DESIGN.md section 2): the loop resumes a thread's coroutine, the coroutine
 * spends time and yields back when its slice ends or an interrupt falls due, and code on the
 * loop's stack (ISRs, DPCs) spends time at raised IRQL, taking higher interrupts meanwhile.
 *
 * <p>Invariants: {@code kernel.runningCoroutine} is the thread whose coroutine runs, null while
 * the loop itself runs; it is set only by {@link #resumeThread} and is the current thread of the
 * active processor whenever it is not null. A coroutine yields only at these points or in a
 * wait, and resumes holding the same thread.
 *
 * <p>Hot path: none of this allocates; {@link #spendOnThread} returns at once when the time fits
 * in the slice and no interrupt above the IRQL is requested.
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
   * {@link Kernel#spend(long)} on a thread's coroutine, running on {@code cpu}. {@code computing}
   * is the thread when it computes in user mode: a termination requested meanwhile (the exit APC,
   * delivered at the APC interrupt the loop raises between slices) ends it at once, as in NT,
   * instead of after the computation. Each pass spends at least one slice or yields, so the loop
   * ends after at most {@code ns} divided by the slice passes, plus one.
   */
  void spendOnThread(Cpu cpu, long ns, KThread computing) {
    if (cpu.runsClear(ns)) {
      cpu.advance(ns);
      return;
    }
    while (true) {
      long step = Math.min(ns, cpu.runLimitNs() - cpu.clockNs());
      if (step > 0) {
        cpu.advance(step);
        ns -= step;
      }
      if (ns <= 0 && !cpu.mustYield()) {
        return;
      }
      yieldToLoop();
      cpu = machine.activeCpu();
      if (ns <= 0) {
        return;
      }
      if (computing != null && computing.terminationRequested) {
        throw new ThreadExitSignal();
      }
    }
  }

  /** KeStallExecutionProcessor-style busy time on the loop's stack, taking higher interrupts. */
  void spendAtRaisedIrql(long ns) {
    Cpu cpu = machine.activeCpu();
    while (ns > 0 && !machine.stopped()) {
      long due = Math.min(cpu.nextInterruptNs(), machine.events.peekTimeNs());
      long step = Math.min(ns, Math.max(0, due - cpu.clockNs()));
      cpu.advance(step);
      ns -= step;
      fireEventsDueBy(cpu.clockNs());
      if (cpu.highestDeliverable() >= 0) {
        cpu.deliverInterrupts();
      }
    }
  }

  /**
   * Code on the loop's stack (an ISR or a DPC) keeps the loop from firing the machine's events
   * until it returns; when it runs past the slice end it fires them itself as its clock passes
   * them (they only post timestamped interrupt requests), so that a clock tick still lands in a
   * long DPC and is charged to it.
   */
  private void fireEventsDueBy(long t) {
    while (machine.events.peekTimeNs() <= t) {
      long at = machine.events.peekTimeNs();
      machine.events.poll().fire(at);
    }
  }

  /** Gives the CPU back to the machine loop from a thread's coroutine. */
  void yieldToLoop() {
    KThread self = kernel.runningCoroutine;
    machine.backend.yieldCurrent();
    kernel.deliverPendingApcs(self); // the loop resumed this coroutine as the running one again
  }
}
