package org.ntsim.ke;

/**
 * Sees every change of a thread's scheduling state, including the ones that last only inside one
 * dispatcher operation (DeferredReady) and so never show at a simulation point. For tests and
 * tools; the kernel calls it synchronously and it must not call back into the kernel.
 */
@FunctionalInterface
public interface ThreadStateObserver {
  void stateChanged(KThread thread, ThreadState from, ThreadState to);
}
