package org.ntsim.ke;

import org.ntsim.hal.Cpu;
import org.ntsim.trace.TraceKind;

/**
 * KeSetEventBoostPriority: the set of a synchronization event that hands it straight to its first
 * waiter with the lock-ownership boost, as critical sections (through NtSetEventBoostPriority)
 * and executive resources use it. Windows Internals (4th ed., "Priority Boosts after Waiting for
 * Events and Semaphores"): a waiter at priority 13 or below woken this way is raised to the
 * setting thread's priority plus one, and a quantum under 4 units is made 4. The boost is
 * recorded in PriorityDecrement, which the quantum end's decay works off.
 *
 * <p>Left out: a first waiter in a wait-all wait (the event is then set as KeSetEvent sets it).
 */
public final class EventBoost {
  /** LOCK_OWNERSHIP_QUANTUM: the quantum, in units, a boosted waiter gets at least. */
  static final int LOCK_OWNERSHIP_QUANTUM = 4;
  /** Waiters above this priority get no boost ("13 or below"). */
  static final int HIGHEST_BOOSTED_PRIORITY = 13;

  private EventBoost() {}

  /**
   * KeSetEventBoostPriority: with no waiter the event is left signalled; else its first waiter's
   * wait is satisfied (the event stays not signalled) and the waiter is boosted, then readied.
   */
  public static void setEventBoostPriority(Kernel kernel, KEvent event) {
    WaitBlock b = event.waitListFirst;
    if (b != null && b.waitType != WaitBlock.WAIT_ANY) {
      kernel.setEvent(event, KEvent.EVENT_INCREMENT);
      return;
    }
    if (b == null) {
      event.signalState = 1;
      kernel.exitDispatcher();
      return;
    }
    KThread waiter = b.thread;
    boost(kernel, waiter, kernel.currentThread().priority);
    kernel.waits.unwaitThread(waiter, event.waitStatusFor(b.waitKey), 0);
    kernel.exitDispatcher();
  }

  /** AdjustBoost: the waiter (still waiting, on no ready queue) is raised to the setter's + 1. */
  private static void boost(Kernel kernel, KThread t, int setterPriority) {
    if (t.isRealTime() || t.disableBoost || t.process.disableBoost
        || t.priority > HIGHEST_BOOSTED_PRIORITY) {
      return;
    }
    int boosted = Math.min(setterPriority + 1, Scheduler.LOW_REALTIME_MINUS_ONE);
    if (boosted > t.priority) {
      int old = t.priority;
      t.priorityDecrement += boosted - old;
      t.priority = boosted;
      Cpu cpu = kernel.machine().activeCpu();
      kernel.machine().tracer.emit(cpu.clockNs(), cpu.index, TraceKind.PRIORITY,
          kernel.threadId(t), old, boosted);
    }
    if (t.quantum < LOCK_OWNERSHIP_QUANTUM) {
      t.quantum = LOCK_OWNERSHIP_QUANTUM;
    }
  }
}
