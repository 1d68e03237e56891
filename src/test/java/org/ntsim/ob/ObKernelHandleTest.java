package org.ntsim.ob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ntsim.ob.ObTestSupport.KERNEL_MODE;
import static org.ntsim.ob.ObTestSupport.USER_MODE;
import static org.ntsim.ob.ObTestSupport.WIDGET_ALL_ACCESS;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ntsim.ke.NtStatus;
import org.ntsim.win32.TestOs;

/**
 * Kernel handles (OBJ_KERNEL_HANDLE, ObpKernelHandleTable): made for kernel-mode callers in the
 * System process's table, tagged with KERNEL_HANDLE_MASK, usable in kernel mode from any process,
 * and an invalid handle to user mode (WRK obref.c, obclose.c; ObSanitizeHandleAttributes).
 */
class ObKernelHandleTest {
  private final ObTestSupport t = new ObTestSupport();
  private final ObjectType type = ObTestSupport.widgetType("Widget", ObTestSupport.widgets());

  private long kernelHandle() {
    return t.insert(t.tableA, type, "k", ObjectAttributes.OBJ_KERNEL_HANDLE, KERNEL_MODE);
  }

  @Test
  void aKernelHandleCarriesTheMaskAndLivesInTheKernelTable() {
    long handle = kernelHandle();

    assertThat(handle).isNegative();
    assertThat(handle & 0xFFFFFFFFL).isEqualTo(0x80000004L);
    assertThat(ObjectManager.isKernelHandle(handle)).isTrue();
    assertThat(t.tableA.count()).isZero();
    assertThat(t.ob.kernelHandleTable().count()).isEqualTo(1);
  }

  @Test
  void aKernelHandleIsFoundInKernelModeFromAnyProcessesTable() {
    long handle = kernelHandle();

    ObjectManager.Reference fromA = t.ob.referenceByHandle(t.tableA, handle, 0, type, KERNEL_MODE);
    ObjectManager.Reference fromB = t.ob.referenceByHandle(t.tableB, handle, 0, type, KERNEL_MODE);

    assertThat(fromA.ok()).isTrue();
    assertThat(fromB.header()).isSameAs(fromA.header());
  }

  @Test
  void aKernelHandleIsAnInvalidHandleToUserMode() {
    long handle = kernelHandle();

    assertThat(t.ob.referenceByHandle(t.tableA, handle, 0, type, USER_MODE).status())
        .isEqualTo(NtStatus.STATUS_INVALID_HANDLE);
    assertThat(t.ob.referenceByHandle(t.tableA, handle, 0, type).status())
        .isEqualTo(NtStatus.STATUS_INVALID_HANDLE);
  }

  @Test
  void userModeCannotCloseAKernelHandle() {
    long handle = kernelHandle();
    ObjectHeader h = t.ob.handleEntry(t.tableA, handle, KERNEL_MODE);

    assertThat(t.ob.close(t.tableA, handle, USER_MODE)).isEqualTo(NtStatus.STATUS_INVALID_HANDLE);
    assertThat(t.ob.close(t.tableA, handle)).isEqualTo(NtStatus.STATUS_INVALID_HANDLE);

    assertThat(h.handleCount()).isEqualTo(1);
    assertThat(t.ob.close(t.tableB, handle, KERNEL_MODE)).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(h.isDeleted()).isTrue();
  }

  @Test
  void userModesObjKernelHandleIsDroppedAndTheHandleIsItsProcesss() {
    long handle = t.insert(t.tableA, type, "u", ObjectAttributes.OBJ_KERNEL_HANDLE, USER_MODE);

    assertThat(handle).isEqualTo(4);
    assertThat(t.tableA.count()).isEqualTo(1);
    assertThat(t.ob.kernelHandleTable().count()).isZero();
  }

  @Test
  void openingByNameOrPointerInKernelModeWithObjKernelHandleGivesAKernelHandle() {
    ObjectManager.HandleResult named = t.ob.insertObject(t.tableA, t.create(type, "n", true),
        ObjectAttributes.named("\\BaseNamedObjects\\n"), WIDGET_ALL_ACCESS, USER_MODE);
    ObjectHeader h = t.tableA.entry(named.handle());

    long byName = t.ob.openObjectByName(t.tableB, ObjectAttributes.named("\\BaseNamedObjects\\n",
        ObjectAttributes.OBJ_KERNEL_HANDLE), type, ObjectManager.SYNCHRONIZE, KERNEL_MODE, null)
        .handle();
    long byPointer = t.ob.openObjectByPointer(t.tableB, h, ObjectAttributes.OBJ_KERNEL_HANDLE,
        ObjectManager.SYNCHRONIZE, type, KERNEL_MODE).handle();
    long userByPointer = t.ob.openObjectByPointer(t.tableB, h, ObjectAttributes.OBJ_KERNEL_HANDLE,
        ObjectManager.SYNCHRONIZE, type, USER_MODE).handle();

    assertThat(ObjectManager.isKernelHandle(byName)).isTrue();
    assertThat(ObjectManager.isKernelHandle(byPointer)).isTrue();
    assertThat(userByPointer).isEqualTo(4);
    assertThat(h.handleCount()).isEqualTo(4);
  }

  @Test
  void aKernelHandleDuplicatesInKernelModeOnly() {
    long handle = kernelHandle();

    ObjectManager.HandleResult fromUser = t.ob.duplicateObject(t.tableA, handle, t.tableB, 0, 0,
        ObjectManager.DUPLICATE_SAME_ACCESS, null, USER_MODE);
    ObjectManager.HandleResult fromKernel = t.ob.duplicateObject(t.tableA, handle, t.tableB, 0,
        0, ObjectManager.DUPLICATE_SAME_ACCESS, null, KERNEL_MODE);

    assertThat(fromUser.status()).isEqualTo(NtStatus.STATUS_INVALID_HANDLE);
    assertThat(fromKernel.handle()).isEqualTo(4);
    assertThat(t.tableB.entry(4)).isSameAs(t.ob.handleEntry(t.tableA, handle, KERNEL_MODE));
  }

  @Test
  void duplicateCloseSourceWithNoTargetClosesAKernelHandleInKernelMode() {
    long handle = kernelHandle();
    ObjectHeader h = t.ob.handleEntry(t.tableA, handle, KERNEL_MODE);

    ObjectManager.HandleResult r = t.ob.duplicateObject(t.tableB, handle, null, 0, 0,
        ObjectManager.DUPLICATE_CLOSE_SOURCE, null, KERNEL_MODE);

    assertThat(r.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(h.isDeleted()).isTrue();
  }

  @Test
  void thePseudoHandlesAreNoKernelHandles() {
    assertThat(ObjectManager.isKernelHandle(ObjectManager.NT_CURRENT_PROCESS)).isFalse();
    assertThat(ObjectManager.isKernelHandle(ObjectManager.NT_CURRENT_THREAD)).isFalse();
    assertThat(ObjectManager.isKernelHandle(4)).isFalse();
  }

  @Test
  void theHandleCountSweepIncludesTheKernelTable() {
    long handle = kernelHandle();
    assertThatCode(() -> t.ob.verifyHandleCounts(List.of(t.tableA, t.tableB)))
        .doesNotThrowAnyException();

    t.ob.handleEntry(t.tableA, handle, KERNEL_MODE).handleCount++;

    assertThatThrownBy(() -> t.ob.verifyHandleCounts(List.of(t.tableA, t.tableB)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("handles refer to it");
  }

  @Test
  void theSystemProcesssHandleTableIsTheKernelHandleTable() {
    try (TestOs sys = TestOs.boot(1)) {
      assertThat(sys.os.ps.systemProcess().handleTable()).isSameAs(sys.os.ob.kernelHandleTable());
      assertThat(sys.os.ob.kernelHandleTable().process()).isSameAs(sys.os.ps.systemProcess());
    }
  }
}
