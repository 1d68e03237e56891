package org.ntsim.ke;

/**
 * KMUTANT: a mutual-exclusion object with an owner thread and a recursion count (NT's mutex).
 *
 * <p>Models: the signal state is 1 when free and 1 - recursion when owned, as in NT; the owner
 * may acquire it again without waiting; only the owner may release it; when the owner ends while
 * holding it, it is abandoned: released, marked abandoned, and the next thread to acquire it gets
 * STATUS_ABANDONED_WAIT_0 + index (after which it is an ordinary mutant again). A kernel-mode
 * mutex (KeInitializeMutex) disables normal kernel APCs of its owner while held.
 *
 * <p>Invariants: owner != null exactly while signalState <= 0; an owned mutant is on its owner's
 * list of owned mutants exactly once.
 */
public final class KMutant extends DispatcherObject {
  /** MUTANT_INCREMENT: the boost a thread gets when a released mutant satisfies its wait. */
  public static final int MUTANT_INCREMENT = 1;

  KThread owner;
  boolean abandoned;
  final boolean kernelMutex; // ApcDisable: the owner's normal kernel APCs are off while held
  KMutant ownerNext; // in the owner's list of owned mutants

  public KMutant(boolean kernelMutex, long address) {
    super(MUTANT, address);
    this.kernelMutex = kernelMutex;
    signalState = 1;
  }

  public KThread owner() {
    return owner;
  }

  public boolean abandoned() {
    return abandoned;
  }

  /** 1 - recursion while owned; 1 when free. */
  public int count() {
    return signalState;
  }

  @Override
  boolean isSignaledFor(KThread thread) {
    return signalState > 0 || owner == thread;
  }

  @Override
  int waitStatusFor(int index) {
    return abandoned ? NtStatus.STATUS_ABANDONED_WAIT_0 + index : NtStatus.STATUS_WAIT_0 + index;
  }

  @Override
  void satisfyWait(KThread thread) {
    if (owner != thread) {
      owner = thread;
      ownerNext = thread.ownedMutants;
      thread.ownedMutants = this;
      if (kernelMutex) {
        thread.kernelApcDisable++;
      }
    }
    signalState--;
    abandoned = false;
  }

  @Override
  public String typeName() {
    return "Mutant";
  }
}
