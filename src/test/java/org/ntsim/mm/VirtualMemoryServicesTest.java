package org.ntsim.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.TestOs.MS;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ntsim.ke.BugCheck;
import org.ntsim.ke.NtStatus;
import org.ntsim.ob.ObServices;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.PsConstants;
import org.ntsim.win32.TestOs;

/**
 * The virtual-memory services from kernel mode (ZwAllocateVirtualMemory, ZwQueryVirtualMemory,
 * ZwFreeVirtualMemory on another process by handle, as a driver's system thread calls them) and
 * the out-parameter probe in each mode.
 */
class VirtualMemoryServicesTest {
  private static final int COMMIT_RESERVE = VirtualMemory.MEM_COMMIT | VirtualMemory.MEM_RESERVE;

  private TestOs sys;

  @AfterEach
  void shutDown() {
    if (sys != null) {
      sys.close();
    }
  }

  /** A handle to {@code p} in the System process's table (ObOpenObjectByPointer). */
  private long systemHandleTo(EProcess p) {
    var r = sys.os.ob.openObjectByPointer(sys.os.ps.systemProcess().handleTable(), p.header(),
        0, PsConstants.PROCESS_ALL_ACCESS, sys.os.ps.processType);
    assertThat(r.ok()).isTrue();
    return r.handle();
  }

  @Test
  void systemThreadAllocatesQueriesAndFreesInAUserProcess() {
    sys = TestOs.boot(1);
    EProcess target = sys.process("target.exe");
    VirtualMemoryServices vm = sys.os.vmServices;
    int[] status = new int[4];
    long[] base = new long[1];
    MemoryBasicInformation committed = new MemoryBasicInformation();
    MemoryBasicInformation released = new MemoryBasicInformation();
    sys.systemThread("driver", 8, () -> {
      long h = systemHandleTo(target);
      long[] size = {0x10000};
      status[0] = vm.ZwAllocateVirtualMemory(h, base, 0, size, COMMIT_RESERVE,
          MmPte.PAGE_READWRITE);
      status[1] = vm.ZwQueryVirtualMemory(h, base[0], VirtualMemoryServices.MemoryBasicInformation,
          committed, MemoryBasicInformation.SIZE, null);
      status[2] = vm.ZwFreeVirtualMemory(h, new long[] {base[0]}, new long[] {0},
          VirtualMemory.MEM_RELEASE);
      status[3] = vm.ZwQueryVirtualMemory(h, base[0], VirtualMemoryServices.MemoryBasicInformation,
          released, MemoryBasicInformation.SIZE, null);
      sys.os.obServices.ZwClose(h);
      return 0;
    });
    sys.runFor(5 * MS);

    assertThat(sys.os.kernel.bugCheck()).isNull();
    assertThat(status).containsOnly(NtStatus.STATUS_SUCCESS);
    assertThat(base[0]).isNotZero();
    assertThat(committed.State).isEqualTo(VirtualMemory.MEM_COMMIT);
    assertThat(committed.RegionSize).isEqualTo(0x10000);
    assertThat(committed.Protect).isEqualTo(MmPte.PAGE_READWRITE);
    assertThat(released.State).isEqualTo(VirtualMemory.MEM_FREE);
    assertThat(target.addressSpace().vads().inOrder()).as("the PEB's is left")
        .extracting(Vad::startAddress).containsExactly(MmPebTeb.PEB_ADDRESS);
  }

  @Test
  void badOutParameterFromKernelModeIsABugCheck() {
    sys = TestOs.boot(1);
    sys.systemThread("driver", 8, () -> sys.os.vmServices.ZwAllocateVirtualMemory(
        ObServices.NtCurrentProcess, null, 0, new long[] {0x1000}, COMMIT_RESERVE,
        MmPte.PAGE_READWRITE));
    sys.runFor(5 * MS);

    BugCheck bc = sys.os.kernel.bugCheck();
    assertThat(bc).isNotNull();
    assertThat(bc.code()).isEqualTo(BugCheck.KMODE_EXCEPTION_NOT_HANDLED);
    assertThat(bc.p1()).isEqualTo(NtStatus.STATUS_ACCESS_VIOLATION & 0xFFFFFFFFL);
  }

  @Test
  void badOutParameterFromUserModeIsAccessViolation() {
    sys = TestOs.boot(1);
    EProcess p = sys.process("app.exe");
    int[] status = {-1};
    sys.thread(p, "main", 8, () -> {
      status[0] = sys.os.ntdll.NtAllocateVirtualMemory(ObServices.NtCurrentProcess, null, 0,
          new long[] {0x1000}, COMMIT_RESERVE, MmPte.PAGE_READWRITE);
      return 0;
    });
    sys.runFor(5 * MS);

    assertThat(sys.os.kernel.bugCheck()).isNull();
    assertThat(status[0]).isEqualTo(NtStatus.STATUS_ACCESS_VIOLATION);
    assertThat(p.addressSpace().vads().inOrder()).isEmpty();
  }
}
