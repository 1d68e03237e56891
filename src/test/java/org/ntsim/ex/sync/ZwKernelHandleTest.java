package org.ntsim.ex.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.TestOs.MS;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ntsim.ke.Kernel;
import org.ntsim.ke.NtStatus;
import org.ntsim.ke.ServiceTable;
import org.ntsim.ke.ThreadState;
import org.ntsim.ob.ObjectAttributes;
import org.ntsim.ob.ObjectManager;
import org.ntsim.ps.EThread;
import org.ntsim.win32.TestOs;

/**
 * Kernel-mode callers through the Zw* entries: a system thread creates an event with
 * OBJ_KERNEL_HANDLE (the handle goes in the System process's table, tagged as a kernel handle),
 * waits on it and closes it, all with PreviousMode KernelMode; a guest in user mode that holds
 * the same handle value cannot use it (STATUS_INVALID_HANDLE), as ObReferenceObjectByHandle
 * looks kernel handles up only for kernel-mode callers.
 */
class ZwKernelHandleTest {
  private TestOs sys;

  @AfterEach
  void shutDown() {
    if (sys != null) {
      sys.close();
    }
  }

  private SyncServices sync() {
    return sys.os.syncServices;
  }

  @Test
  void aSystemThreadCreatesWaitsOnAndClosesAnEventThroughAKernelHandle() {
    sys = TestOs.boot(2);
    long[] handle = new long[1];
    int[] status = {-1, -1, -1};
    EThread waiter = sys.systemThread("waiter", 12, () -> {
      status[0] = sync().ZwCreateEvent(handle, SyncObjectTypes.EVENT_ALL_ACCESS,
          ObjectAttributes.unnamed(ObjectAttributes.OBJ_KERNEL_HANDLE),
          SyncServices.NotificationEvent, false);
      status[1] = sys.os.obServices.ZwWaitForSingleObject(handle[0], false, Long.MIN_VALUE);
      status[2] = sys.os.obServices.ZwClose(handle[0]);
      return 0;
    });
    sys.runFor(MS);

    assertThat(status[0]).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(ObjectManager.isKernelHandle(handle[0])).as("a kernel handle").isTrue();
    assertThat(waiter.state()).isEqualTo(ThreadState.WAITING);
    assertThat(waiter.waitMode()).as("the wait's mode is the previous mode")
        .isEqualTo(Kernel.KERNEL_MODE);
    assertThat(waiter.previousMode()).isEqualTo(Kernel.KERNEL_MODE);
    assertThat(ServiceTable.nameOf(waiter.service())).isEqualTo("NtWaitForSingleObject");

    int[] setStatus = {-1};
    sys.systemThread("setter", 12, () -> {
      setStatus[0] = sync().ZwSetEvent(handle[0], null);
      return 0;
    });
    sys.runFor(MS);

    assertThat(setStatus[0]).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(status[1]).isEqualTo(NtStatus.STATUS_WAIT_0);
    assertThat(status[2]).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(waiter.service()).as("out of every service").isEqualTo(-1);
    assertThat(sys.os.ob.handleEntry(sys.os.ob.kernelHandleTable(),
        handle[0], Kernel.KERNEL_MODE)).as("closed").isNull();
  }

  @Test
  void aUserModeGuestCannotUseAKernelHandle() {
    sys = TestOs.boot(1);
    long[] handle = new long[1];
    sys.systemThread("owner", 12, () -> {
      sync().ZwCreateEvent(handle, SyncObjectTypes.EVENT_ALL_ACCESS,
          ObjectAttributes.unnamed(ObjectAttributes.OBJ_KERNEL_HANDLE),
          SyncServices.NotificationEvent, false);
      return 0;
    });
    sys.runFor(MS);
    assertThat(ObjectManager.isKernelHandle(handle[0])).isTrue();

    List<Integer> results = new ArrayList<>();
    sys.runProgram("user.exe", ctx -> {
      results.add(ctx.ntdll().NtSetEvent(handle[0], null));
      results.add(ctx.ntdll().NtWaitForSingleObject(handle[0], false, 0));
      results.add(ctx.ntdll().NtClose(handle[0]));
      return 0;
    }, 100 * MS);

    assertThat(results).containsExactly(NtStatus.STATUS_INVALID_HANDLE,
        NtStatus.STATUS_INVALID_HANDLE, NtStatus.STATUS_INVALID_HANDLE);
    assertThat(sys.os.ob.handleEntry(sys.os.ob.kernelHandleTable(),
        handle[0], Kernel.KERNEL_MODE)).as("still open").isNotNull();
  }

  @Test
  void aUserModeCallersObjKernelHandleIsIgnored() {
    sys = TestOs.boot(1);
    long[] handle = new long[1];
    int[] status = {-1};
    sys.runProgram("user.exe", ctx -> {
      status[0] = ctx.ntdll().NtCreateEvent(handle, SyncObjectTypes.EVENT_ALL_ACCESS,
          ObjectAttributes.unnamed(ObjectAttributes.OBJ_KERNEL_HANDLE),
          SyncServices.NotificationEvent, false);
      return 0;
    }, 100 * MS);

    assertThat(status[0]).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(ObjectManager.isKernelHandle(handle[0])).as("a handle of its own process")
        .isFalse();
  }

  /** A Zw* call from a DPC, at DISPATCH_LEVEL, is a bug check, as a system service there is. */
  @Test
  void aZwCallFromADpcIsIrqlNotLessOrEqual() {
    sys = TestOs.boot(1);
    org.ntsim.ke.Kdpc dpc = sys.os.kernel.initializeDpc("test!Dpc",
        (d, context, a1, a2) -> sys.os.obServices.ZwClose(0x4), null,
        sys.os.pool.allocateNonPaged(0x20, "Kdpc"));
    sys.systemThread("queuer", 12, () -> {
      sys.os.kernel.insertQueueDpc(dpc, null, null);
      return 0;
    });
    sys.runFor(MS);

    assertThat(sys.os.kernel.bugCheck()).isNotNull();
    assertThat(sys.os.kernel.bugCheck().code())
        .isEqualTo(org.ntsim.ke.BugCheck.IRQL_NOT_LESS_OR_EQUAL);
  }

  /**
   * The kernel's Zw* routines live at kernel addresses: guest code in user mode that reaches one
   * gets an access violation, and its process exits with it.
   */
  @Test
  void userModeCodeThatCallsAZwRoutineGetsAnAccessViolation() {
    sys = TestOs.boot(1);
    org.ntsim.ps.EProcess p = sys.runProgram("user.exe", ctx -> {
      sys.os.obServices.ZwClose(0x4);
      return 0;
    }, 100 * MS);

    assertThat(p.exitStatus()).isEqualTo(NtStatus.STATUS_ACCESS_VIOLATION);
    assertThat(sys.os.kernel.bugCheck()).isNull();
  }
}
