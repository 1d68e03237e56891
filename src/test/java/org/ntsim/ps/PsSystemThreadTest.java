package org.ntsim.ps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.TestOs.MS;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ntsim.ke.BugCheck;
import org.ntsim.ke.GuestException;
import org.ntsim.ke.NtStatus;
import org.ntsim.ke.ThreadState;
import org.ntsim.win32.TestOs;

/**
 * PsCreateSystemThread: kernel-mode threads of the System process, and what happens when one
 * fails (PspSystemThreadStartup: bug check 0x7E SYSTEM_THREAD_EXCEPTION_NOT_HANDLED, whose first
 * parameter is the exception code).
 */
class PsSystemThreadTest {
  private TestOs sys;

  @AfterEach
  void shutDown() {
    if (sys != null) {
      sys.close();
    }
  }

  @Test
  void systemThreadRunsInKernelModeInTheSystemProcess() {
    sys = TestOs.boot(1);
    boolean[] inKernel = new boolean[1];
    EThread t = sys.systemThread("worker", 12, () -> {
      inKernel[0] = sys.os.kernel.currentThread().inKernel();
      sys.compute(MS);
      return 0;
    });
    sys.runFor(5 * MS);

    assertThat(t.process()).isSameAs(sys.os.ps.systemProcess());
    assertThat(t.process().pid()).isEqualTo(ProcessManager.SYSTEM_PID);
    assertThat(inKernel[0]).isTrue();
    assertThat(t.exactKernelNs()).isGreaterThanOrEqualTo(MS);
    assertThat(t.exactUserNs()).isZero();
    assertThat(t.state()).isEqualTo(ThreadState.TERMINATED);
  }

  @Test
  void exceptionInASystemThreadIsSystemThreadExceptionNotHandled() {
    sys = TestOs.boot(1);
    sys.systemThread("buggy", 8, () -> {
      throw new IllegalStateException("driver bug");
    });

    sys.runFor(5 * MS);

    BugCheck bc = sys.os.kernel.bugCheck();
    assertThat(bc).isNotNull();
    assertThat(bc.code()).isEqualTo(0x7E);
    assertThat(bc.name()).isEqualTo("SYSTEM_THREAD_EXCEPTION_NOT_HANDLED");
    assertThat(bc.p1()).isEqualTo(NtStatus.STATUS_UNHANDLED_EXCEPTION);
    assertThat(bc.detail()).contains("driver bug");
    assertThat(sys.os.machine.stopped()).isTrue();
    // The System process and its other threads were not torn down as a user process would be.
    assertThat(sys.os.ps.systemProcess().isExiting()).isFalse();
  }

  @Test
  void raisedStatusInASystemThreadIsItsFirstParameter() {
    sys = TestOs.boot(1);
    sys.systemThread("faulting", 8, () -> {
      throw new GuestException(NtStatus.STATUS_ACCESS_VIOLATION, "bad pointer");
    });

    sys.runFor(5 * MS);

    assertThat(sys.os.kernel.bugCheck().code())
        .isEqualTo(BugCheck.SYSTEM_THREAD_EXCEPTION_NOT_HANDLED);
    assertThat(sys.os.kernel.bugCheck().p1()).isEqualTo(NtStatus.STATUS_ACCESS_VIOLATION);
  }
}
