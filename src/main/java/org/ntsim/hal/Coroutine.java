package org.ntsim.hal;

/**
 * A body of code that runs on the machine loop's behalf and can give control back in the middle:
 * the execution vehicle of one simulated thread (KTHREAD).
 *
 * <p>Exactly one coroutine or the machine loop runs at any moment, so simulated state needs no
 * host synchronisation. {@link #resume()} is called only by the machine loop; the body returns
 * control with {@link CoroutineBackend#yieldCurrent()}.
 */
public interface Coroutine {
  /** Runs the body until it yields or ends. Errors thrown by the body propagate to the caller. */
  void resume();

  boolean isDone();
}
