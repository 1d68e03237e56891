package org.ntsim.ke;

/**
 * KSYNCHRONIZE_ROUTINE: code that touches what an interrupt service routine touches, run by
 * KeSynchronizeExecution at the interrupt's synchronize IRQL holding its spin lock.
 */
@FunctionalInterface
public interface SynchronizeRoutine {
  boolean run(Object synchronizeContext);
}
