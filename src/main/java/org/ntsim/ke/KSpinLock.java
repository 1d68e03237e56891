package org.ntsim.ke;

/**
 * KSPIN_LOCK: a lock taken at raised IRQL by one processor at a time. Here it guards a
 * KINTERRUPT's service routine against the code that synchronises with it
 * (KeSynchronizeExecution), and records which processor holds it so that tests and the
 * debugger can see it held.
 *
 * <p>Invariants: {@code owner} is the holding processor's number, -1 when free; a processor never
 * takes a lock it already holds (that is NT's bug check 0xF, SPIN_LOCK_ALREADY_OWNED).
 *
 * <p>Left out: spinning. The machine runs one processor at a time and a holder gives its
 * processor back only between simulation points, so a routine that holds the lock and spends no
 * time is never contended; one that would meet another processor's hold is refused.
 */
public final class KSpinLock {
  public final long address;
  int owner = -1;

  public KSpinLock(long address) {
    this.address = address;
  }

  /** The processor that holds the lock, or -1. */
  public int owner() {
    return owner;
  }

  public boolean isHeld() {
    return owner >= 0;
  }
}
