package org.ntsim.ke;

/**
 * KTHREAD_STATE: the scheduling states of seed 004's thread transition diagram, with NT's numbers
 * (WinDbg prints the names; !thread decodes the numbers).
 */
public enum ThreadState {
  INITIALIZED("Initialized"),
  READY("Ready"),
  RUNNING("Running"),
  STANDBY("Standby"),
  TERMINATED("Terminated"),
  WAITING("Waiting"),
  TRANSITION("Transition"),
  DEFERRED_READY("DeferredReady");

  private final String ntName;

  ThreadState(String ntName) {
    this.ntName = ntName;
  }

  /** The name as WinDbg spells it. */
  public String ntName() {
    return ntName;
  }

  /** KTHREAD_STATE value. */
  public int code() {
    return ordinal();
  }
}
