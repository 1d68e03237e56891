package org.ntsim.ke;

/**
 * Unwinds whatever code raised a bug check (a thread's coroutine or an interrupt handler on the
 * loop) back to the machine loop, which stops. Guest code must not catch it; the thread start
 * wrappers let it through.
 */
public final class BugCheckException extends Error {
  private final transient BugCheck bugCheck;

  public BugCheckException(BugCheck bugCheck) {
    super(bugCheck.name(), null, false, false);
    this.bugCheck = bugCheck;
  }

  public BugCheck bugCheck() {
    return bugCheck;
  }
}
