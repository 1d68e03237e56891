package org.ntsim.mm;

import org.ntsim.ke.NtStatus;

/**
 * What the locked half of a page fault asks its caller to do (seed 002: a fault handler runs
 * under one lock and either resolves the fault or returns a continuation whose blocking part runs
 * outside it), packed in a {@code long} so that returning it allocates nothing.
 *
 * <pre>
 *  63                              32 31                               0
 * +----------------------------------+----------------------------------+
 * |  frame (in-page work, collided)  |             status               |
 * +----------------------------------+----------------------------------+
 * </pre>
 *
 * <p>Status STATUS_MORE_PROCESSING_REQUIRED: produce the frame's contents (the in-page request),
 * then run the handler again. {@link #FAULT_WAIT} (seed 002's STATUS_SUCCESS + 1): another thread's
 * in-page work on the frame is under way; wait for it, then run the handler again.
 * STATUS_NO_MEMORY: wait for free pages, then run it again. Any other status ends the fault.
 */
final class FaultOutcome {
  /** Seed 002's STATUS_SUCCESS + 1: wait for the in-page event, then run the handler again. */
  static final int FAULT_WAIT = 1;

  private FaultOutcome() {}

  /** A fault resolved, refused, or to be retried after a wait for pages: no frame. */
  static long of(int status) {
    return status & 0xFFFFFFFFL;
  }

  /** The in-page request: the frame whose contents must be produced outside the lock. */
  static long inPage(int frame) {
    return ((long) frame << 32) | (NtStatus.STATUS_MORE_PROCESSING_REQUIRED & 0xFFFFFFFFL);
  }

  /** A collided fault: the frame whose in-page work to wait for. */
  static long collided(int frame) {
    return ((long) frame << 32) | FAULT_WAIT;
  }

  static int status(long outcome) {
    return (int) outcome;
  }

  static int frame(long outcome) {
    return (int) (outcome >>> 32);
  }
}
