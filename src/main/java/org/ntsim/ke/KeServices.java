package org.ntsim.ke;

/**
 * The kernel's own system services: NtYieldExecution, NtDelayExecution, NtTestAlert. Each Nt*
 * method is the service's body, run by the service dispatcher after the trap, with the caller's
 * previous mode; each Zw* method is the entry point for kernel-mode callers, which runs the same
 * body with PreviousMode KernelMode (KiSystemService from kernel mode). Times are NT intervals in
 * 100 ns units, negative for relative, positive for absolute system time (a UTC FILETIME).
 */
public final class KeServices {
  public static final int NT_YIELD_EXECUTION = ServiceTable.number("NtYieldExecution");
  public static final int NT_DELAY_EXECUTION = ServiceTable.number("NtDelayExecution");
  public static final int NT_TEST_ALERT = ServiceTable.number("NtTestAlert");

  private final Kernel kernel;

  public KeServices(Kernel kernel) {
    this.kernel = kernel;
  }

  /** NtYieldExecution: STATUS_SUCCESS if another thread ran, else STATUS_NO_YIELD_PERFORMED. */
  public int NtYieldExecution(int previousMode) {
    return kernel.yieldExecution() ? NtStatus.STATUS_SUCCESS : NtStatus.STATUS_NO_YIELD_PERFORMED;
  }

  /** ZwYieldExecution. */
  public int ZwYieldExecution() {
    return kernel.systemCalls().zw(NT_YIELD_EXECUTION, mode -> NtYieldExecution(mode));
  }

  /**
   * NtDelayExecution: waits {@code delayInterval} (Long.MIN_VALUE, a null pointer here, waits
   * forever) in the caller's previous mode, alertably if asked: STATUS_SUCCESS when it passes,
   * STATUS_USER_APC or STATUS_ALERTED when ended early.
   */
  public int NtDelayExecution(int previousMode, boolean alertable, long delayInterval) {
    long ns;
    if (delayInterval == Long.MIN_VALUE) {
      ns = Long.MAX_VALUE / 4;
    } else if (delayInterval <= 0) {
      ns = -delayInterval * 100;
    } else {
      ns = Math.max(0, delayInterval * 100 - kernel.machine().activeCpu().clockNs());
      if (ns == 0) {
        ns = 1;
      }
    }
    return kernel.delayExecution(previousMode, alertable, ns);
  }

  /**
   * NtTestAlert: STATUS_ALERTED if the thread had been alerted (the alert is cleared), else
   * STATUS_SUCCESS; queued user APCs run on the way back to user mode.
   */
  public int NtTestAlert(int previousMode) {
    return kernel.objects.testAlert();
  }

  /**
   * An NT timeout as the kernel's waits take it: -1 for none ({@code Long.MIN_VALUE}, a null
   * pointer), else relative nanoseconds (0 only tests the objects); a positive timeout is a system
   * time (UTC FILETIME), converted once, here.
   */
  public static long timeoutNs(Kernel kernel, long timeout) {
    if (timeout == Long.MIN_VALUE) {
      return -1;
    }
    if (timeout <= 0) {
      return -timeout * 100;
    }
    long dueNs = SystemTime.of(kernel).interruptTimeNsOf(timeout); // a UTC FILETIME
    return Math.max(0, dueNs - kernel.machine().activeCpu().clockNs());
  }
}
