package org.ntsim.ex.sync;

import java.util.List;
import org.ntsim.ke.KTimer;
import org.ntsim.ke.Kernel;
import org.ntsim.ke.Kapc;
import org.ntsim.ke.Kdpc;
import org.ntsim.ob.ObjectBody;

/**
 * ETIMER: the executive's timer object around a KTIMER (what NtCreateTimer makes and a waitable
 * timer handle names). Besides the kernel timer it has a DPC that runs when the timer expires and,
 * when the last NtSetTimer gave a completion routine, a user-mode APC aimed at the thread that set
 * it; the DPC queues that APC unless it is still queued from an earlier expiry.
 *
 * <p>Invariants: {@code apc} is null exactly when the timer was last set without a routine (or
 * cancelled); the DPC is the timer's only DPC.
 *
 * <p>A timer with a routine is on the active-timer list of the thread its APC targets
 * (ETHREAD.ActiveTimerListHead); when that thread ends, ExTimerRundown cancels every timer on
 * its list, as SetWaitableTimer documents ("if the thread that set the timer terminates and
 * there is an associated completion routine, the timer is canceled").
 *
 * <p>Not a dispatcher object itself (its KTIMER is), so its object header hangs off
 * {@link ObjectBody}. Deleting the object cancels the timer (ExpDeleteTimer, the Timer type's
 * delete procedure, {@link SyncObjectTypes}).
 *
 * <p>Left out: wake timers.
 */
public final class ETimer extends ObjectBody {
  public final KTimer timer;
  public final long address;
  /** ExpTimerDpcRoutine's DPC: set by NtCreateTimer (SyncServices), which owns the APC routine. */
  public Kdpc dpc;
  /** The completion routine's APC of the last NtSetTimer, or null. */
  public Kapc apc;

  /** The active-timer list of the thread {@code apc} targets, or null. */
  private List<ETimer> activeList;

  public ETimer(boolean notification, long address) {
    this.timer = new KTimer(notification, address);
    this.address = address;
  }

  /** Puts the timer on the active-timer list of the thread its new APC targets. */
  public void associate(Kapc routineApc, List<ETimer> threadActiveTimers) {
    apc = routineApc;
    activeList = threadActiveTimers;
    threadActiveTimers.add(this);
  }

  /**
   * KeCancelTimer, with the timer's DPC and APC withdrawn if queued and the timer taken off its
   * thread's list; returns whether the timer was set.
   */
  public boolean cancel(Kernel kernel) {
    boolean was = kernel.cancelTimer(timer);
    kernel.removeQueueDpc(dpc);
    if (apc != null) {
      kernel.objects.removeQueueApc(apc);
      apc = null;
    }
    if (activeList != null) {
      activeList.remove(this);
      activeList = null;
    }
    return was;
  }

  /** ExTimerRundown: cancels every timer on an ending thread's active-timer list. */
  public static void rundown(Kernel kernel, List<ETimer> threadActiveTimers) {
    while (!threadActiveTimers.isEmpty()) {
      threadActiveTimers.get(0).cancel(kernel);
    }
  }
}
