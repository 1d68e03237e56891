package org.ntsim.ke;

/** PKDEFERRED_ROUTINE: the routine of a DPC. Runs at DISPATCH_LEVEL in arbitrary context. */
@FunctionalInterface
public interface DeferredRoutine {
  void run(Kdpc dpc, Object deferredContext, Object systemArgument1, Object systemArgument2);
}
