package org.ntsim.ex;

import org.ntsim.ke.KTimer;
import org.ntsim.ke.Kapc;
import org.ntsim.ke.Kdpc;

/**
 * ETIMER: the executive's timer object around a KTIMER (what NtCreateTimer makes and a waitable
 * timer handle names). Besides the kernel timer it has a DPC that runs when the timer expires and,
 * when the last NtSetTimer gave a completion routine, a user-mode APC aimed at the thread that set
 * it; the DPC queues that APC unless it is still queued from an earlier expiry.
 *
 * <p>Invariants: {@code apc} is null exactly when the timer was last set without a routine (or
 * cancelled); the DPC is the timer's only DPC.
 *
 * <p>Left out: ExTimerRundown (NT cancels the timers whose APC targets a thread when the thread
 * ends; here the APC is simply not queued to a thread that has ended) and wake timers.
 */
public final class ETimer {
  public final KTimer timer;
  public final long address;
  /** ExpTimerDpcRoutine's DPC: set by the native layer, which owns the APC routine. */
  public Kdpc dpc;
  /** The completion routine's APC of the last NtSetTimer, or null. */
  public Kapc apc;

  public ETimer(boolean notification, long address) {
    this.timer = new KTimer(notification, address);
    this.address = address;
  }
}
