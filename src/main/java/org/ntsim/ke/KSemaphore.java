package org.ntsim.ke;

/**
 * KSEMAPHORE: a counted object; each satisfied wait takes one from the count, a release adds to
 * it, never past the limit.
 *
 * <p>Invariants: 0 <= signalState <= limit.
 */
public final class KSemaphore extends DispatcherObject {
  /** SEMAPHORE_INCREMENT: the boost a thread gets when a release satisfies its wait. */
  public static final int SEMAPHORE_INCREMENT = 1;

  final int limit;

  public KSemaphore(int count, int limit, long address) {
    super(SEMAPHORE, address);
    this.signalState = count;
    this.limit = limit;
  }

  public int limit() {
    return limit;
  }

  public int count() {
    return signalState;
  }

  @Override
  void satisfyWait(KThread thread) {
    signalState--;
  }

  @Override
  public String typeName() {
    return "Semaphore";
  }
}
