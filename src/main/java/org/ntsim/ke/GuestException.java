package org.ntsim.ke;

/**
 * An exception raised in a guest thread with an NTSTATUS code (ExRaiseStatus, or the kernel's
 * dispatch of a fault such as STATUS_ACCESS_VIOLATION). Unhandled, it ends the guest's process
 * with that status.
 */
public class GuestException extends RuntimeException {
  private final int status;

  public GuestException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
