package org.ntsim.ps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.TestOs.MS;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ntsim.ke.BugCheck;
import org.ntsim.ke.NtStatus;
import org.ntsim.ob.ObjectAttributes;
import org.ntsim.ob.ObjectManager;
import org.ntsim.win32.Kernel32;
import org.ntsim.win32.TestOs;

/**
 * The process manager's system services from both sides of KiSystemService: a system thread
 * calling the Zw* entries runs them with PreviousMode KernelMode (trusted: the System process
 * opens, a bad pointer is a bug check), a guest calling ntdll runs them with PreviousMode
 * UserMode (the System process refuses it, a bad pointer is STATUS_ACCESS_VIOLATION).
 */
class PsServicesTest {
  private static final int OPEN_ACCESS = PsConstants.PROCESS_TERMINATE
      | PsConstants.PROCESS_QUERY_INFORMATION | ObjectManager.SYNCHRONIZE;

  private TestOs sys;

  @AfterEach
  void shutDown() {
    if (sys != null) {
      sys.close();
    }
  }

  private PsServices services() {
    return sys.os.psServices;
  }

  /** A guest that waits until it is ended. */
  private EProcess sleeper() {
    return sys.os.launch("sleeper.exe", ctx -> {
      ctx.kernel32().Sleep(Kernel32.INFINITE);
      return 0;
    });
  }

  @Test
  void zwOpenProcessOpensTheSystemProcessWhichUserModeMayNotOpen() {
    sys = TestOs.boot(1);
    long[] kernelHandle = new long[1];
    int[] kernelStatus = new int[1];
    sys.systemThread("driver", 12, () -> {
      kernelStatus[0] = services().ZwOpenProcess(kernelHandle,
          PsConstants.PROCESS_QUERY_INFORMATION, ObjectAttributes.unnamed(0),
          ClientId.process(ProcessManager.SYSTEM_PID));
      return 0;
    });
    List<Integer> user = new ArrayList<>();
    sys.runProgram("t.exe", ctx -> {
      long[] h = new long[1];
      user.add(ctx.ntdll().NtOpenProcess(h, PsConstants.PROCESS_QUERY_INFORMATION,
          ObjectAttributes.unnamed(0), ClientId.process(ProcessManager.SYSTEM_PID)));
      return 0;
    }, 100 * MS);

    assertThat(kernelStatus[0]).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(kernelHandle[0]).isNotZero();
    assertThat(user).containsExactly(NtStatus.STATUS_ACCESS_DENIED);
  }

  @Test
  void aSystemThreadEndsAUserProcessThroughZwOpenProcessAndZwTerminateProcess() {
    sys = TestOs.boot(2);
    EProcess victim = sleeper();
    sys.runFor(MS);
    int[] status = new int[4];
    ProcessBasicInformation info = new ProcessBasicInformation();
    sys.systemThread("killer", 12, () -> {
      long[] h = new long[1];
      status[0] = services().ZwOpenProcess(h, OPEN_ACCESS, ObjectAttributes.unnamed(0),
          ClientId.process(victim.pid()));
      status[1] = services().ZwTerminateProcess(h[0], 0x42);
      status[2] = sys.os.obServices.ZwWaitForSingleObject(h[0], false, Long.MIN_VALUE);
      status[3] = services().query.ZwQueryInformationProcess(h[0],
          ProcessInfoClass.ProcessBasicInformation, info, ProcessBasicInformation.SIZE, null);
      sys.os.obServices.ZwClose(h[0]);
      return 0;
    });
    sys.runFor(20 * MS);

    assertThat(status).containsExactly(NtStatus.STATUS_SUCCESS, NtStatus.STATUS_SUCCESS,
        NtStatus.STATUS_WAIT_0, NtStatus.STATUS_SUCCESS);
    assertThat(info.ExitStatus).isEqualTo(0x42);
    assertThat(info.UniqueProcessId).isEqualTo(victim.pid());
    assertThat(victim.exitStatus()).isEqualTo(0x42);
  }

  /** NtSetInformationThread(ThreadAffinityMask) reads its block and writes nothing back. */
  @Test
  void setInformationThreadLeavesTheAffinityBlockAlone() {
    sys = TestOs.boot(2);
    List<Long> out = new ArrayList<>();
    sys.runProgram("t.exe", ctx -> {
      long[] block = {1};
      int status = ctx.ntdll().NtSetInformationThread(org.ntsim.win32.Ntdll.NtCurrentThread,
          ThreadInfoClass.ThreadAffinityMask, block, PsQueryServices.ULONG_SIZE);
      out.add((long) status);
      out.add(block[0]);
      return 0;
    }, 100 * MS);

    assertThat(out).containsExactly((long) NtStatus.STATUS_SUCCESS, 1L);
  }

  @Test
  void aBadOutParameterFromUserModeIsAnAccessViolation() {
    sys = TestOs.boot(1);
    List<Integer> r = new ArrayList<>();
    EProcess p = sys.runProgram("t.exe", ctx -> {
      r.add(ctx.ntdll().NtOpenProcess(new long[0], PsConstants.PROCESS_QUERY_INFORMATION,
          ObjectAttributes.unnamed(0), ClientId.process(ctx.kernel32().GetCurrentProcessId())));
      r.add(ctx.ntdll().NtQueryInformationProcess(ctx.kernel32().GetCurrentProcess(),
          ProcessInfoClass.ProcessBasicInformation, null, ProcessBasicInformation.SIZE, null));
      return 0;
    }, 100 * MS);

    assertThat(r).containsExactly(NtStatus.STATUS_ACCESS_VIOLATION,
        NtStatus.STATUS_ACCESS_VIOLATION);
    assertThat(p.unhandledException()).isNull();
    assertThat(sys.os.kernel.bugCheck()).isNull();
  }

  @Test
  void aBadOutParameterFromKernelModeIsABugCheck() {
    sys = TestOs.boot(1);
    sys.systemThread("buggy driver", 12, () -> {
      services().ZwOpenProcess(new long[0], PsConstants.PROCESS_QUERY_INFORMATION,
          ObjectAttributes.unnamed(0), ClientId.process(ProcessManager.SYSTEM_PID));
      return 0;
    });
    sys.runFor(5 * MS);

    BugCheck bc = sys.os.kernel.bugCheck();
    assertThat(bc).isNotNull();
    assertThat(bc.code()).isEqualTo(BugCheck.KMODE_EXCEPTION_NOT_HANDLED);
    assertThat(bc.p1()).isEqualTo(NtStatus.STATUS_ACCESS_VIOLATION & 0xFFFFFFFFL);
    assertThat(sys.os.machine.stopped()).isTrue();
  }
}
