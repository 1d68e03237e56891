package org.ntsim.ke;

/**
 * The probe of a system service's out-parameters (ProbeForWrite on a HANDLE*, ULONG*, ... in NT),
 * one way for every service. Out-parameters are one-element Java arrays here: a null array where
 * the service requires a pointer, or an empty one, is a pointer it cannot write through.
 *
 * <p>From user mode (PreviousMode UserMode) such a pointer is the service's
 * STATUS_ACCESS_VIOLATION, returned by its exception handler with nothing changed. From kernel
 * mode the caller is trusted, as NT trusts it: the service does not probe, and a bad pointer
 * faults in kernel mode, which is a bug check (KMODE_EXCEPTION_NOT_HANDLED with
 * STATUS_ACCESS_VIOLATION), not a status.
 */
public final class OutParameter {
  private final Kernel kernel;

  public OutParameter(Kernel kernel) {
    this.kernel = kernel;
  }

  /** Whether {@code out} (a Java array, or null) can take one element. */
  public static boolean writable(Object out) {
    return out != null && java.lang.reflect.Array.getLength(out) >= 1;
  }

  /**
   * ProbeForWrite of a required out-parameter: STATUS_SUCCESS, or for a user-mode caller
   * STATUS_ACCESS_VIOLATION; a kernel-mode caller's bad pointer is a bug check.
   */
  public int probe(int previousMode, Object out, String name) {
    if (writable(out)) {
      return NtStatus.STATUS_SUCCESS;
    }
    return fault(previousMode, name);
  }

  /** As {@link #probe} for an optional out-parameter: null is allowed, an empty array is not. */
  public int probeOptional(int previousMode, Object out, String name) {
    if (out == null || writable(out)) {
      return NtStatus.STATUS_SUCCESS;
    }
    return fault(previousMode, name);
  }

  private int fault(int previousMode, String name) {
    if (previousMode == Kernel.KERNEL_MODE) {
      kernel.bugCheckEx(BugCheck.KMODE_EXCEPTION_NOT_HANDLED,
          NtStatus.STATUS_ACCESS_VIOLATION & 0xFFFFFFFFL, 0, 0, 0,
          "a kernel-mode caller passed a bad " + name + " to a system service");
    }
    return NtStatus.STATUS_ACCESS_VIOLATION;
  }
}
