package org.ntsim.ke;

/**
 * KSERVICE_ROUTINE: a driver's interrupt service routine. It runs on the machine loop's stack at
 * the interrupt's IRQL holding its spin lock, must not wait (a wait there is a bug check), may
 * queue a DPC, and returns TRUE when its device did interrupt (it claimed the interrupt).
 */
@FunctionalInterface
public interface InterruptServiceRoutine {
  boolean service(KInterrupt interrupt, Object serviceContext);
}
