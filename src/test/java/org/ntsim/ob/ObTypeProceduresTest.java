package org.ntsim.ob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ntsim.ob.ObTestSupport.USER_MODE;
import static org.ntsim.ob.ObTestSupport.WIDGET_ALL_ACCESS;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ntsim.ke.KEvent;
import org.ntsim.ke.NtStatus;
import org.ntsim.ob.ObTestSupport.Widget;

/**
 * The type procedures of OBJECT_TYPE_INITIALIZER, called where and with what NT calls them:
 * Open after a handle is counted, OkayToClose before one closes, Close after with the counts it
 * had, Delete at the last dereference.
 */
class ObTypeProceduresTest {
  private final ObTestSupport t = new ObTestSupport();
  private final List<String> calls = new ArrayList<>();

  /** A type whose procedures write what they were called with to {@code calls}. */
  private ObjectType recordingType(boolean okayToClose, int openStatus) {
    return ObTestSupport.widgetType("Recorder", ObTestSupport.widgets()
        .maintainHandleCount(true)
        .openProcedure((reason, process, object, access, handles) -> {
          calls.add("open " + reason + " " + name(process) + " " + object + " "
              + Integer.toHexString(access) + " " + handles);
          return openStatus;
        })
        .okayToCloseProcedure((process, object, handle, mode) -> {
          calls.add("okayToClose " + name(process) + " " + object + " " + handle + " " + mode);
          return okayToClose;
        })
        .closeProcedure((process, object, access, processHandles, systemHandles) ->
            calls.add("close " + name(process) + " " + object + " " + Integer.toHexString(access)
                + " " + processHandles + " " + systemHandles))
        .deleteProcedure(object -> calls.add("delete " + object)));
  }

  private String name(Object process) {
    return process == t.processA ? "A" : process == t.processB ? "B"
        : process == t.system ? "System" : String.valueOf(process);
  }

  @Test
  void openIsToldTheReasonTheProcessTheAccessAndTheProcesssHandleCount() {
    ObjectType type = recordingType(true, NtStatus.STATUS_SUCCESS);
    long handle = t.insert(t.tableA, type, "w", 0, USER_MODE);
    ObjectHeader h = t.tableA.entry(handle);

    ObjectManager.HandleResult second = t.ob.openObjectByPointer(t.tableA, h, 0,
        ObjectManager.SYNCHRONIZE, null, USER_MODE);
    t.ob.duplicateObject(t.tableA, handle, t.tableB, 0, 0,
        ObjectManager.DUPLICATE_SAME_ACCESS, null, USER_MODE);

    assertThat(second.ok()).isTrue();
    assertThat(calls).containsExactly(
        "open ObCreateHandle A w 1f0003 1",
        "open ObOpenHandle A w 100000 2",
        "open ObDuplicateHandle B w 1f0003 1");
  }

  @Test
  void anOpenProcedureThatFailsFailsTheOpenAndLeavesTheCountsAsTheyWere() {
    ObjectType type = recordingType(true, NtStatus.STATUS_ACCESS_DENIED);
    ObjectHeader h = t.create(type, "w", false);
    t.ob.reference(h); // keep it past the failed insert

    ObjectManager.HandleResult r = t.ob.insertObject(t.tableA, h,
        ObjectAttributes.unnamed(0), WIDGET_ALL_ACCESS, USER_MODE);

    assertThat(r.status()).isEqualTo(NtStatus.STATUS_ACCESS_DENIED);
    assertThat(t.tableA.count()).isZero();
    assertThat(h.handleCount()).isZero();
    assertThat(h.pointerCount()).isEqualTo(1);
    assertThat(type.handleCount()).isZero();
  }

  @Test
  void closeIsToldTheCountsAsTheyWereBeforeTheHandleWent() {
    ObjectType type = recordingType(true, NtStatus.STATUS_SUCCESS);
    long first = t.insert(t.tableA, type, "w", 0, USER_MODE);
    ObjectHeader h = t.tableA.entry(first);
    long second = t.ob.openObjectByPointer(t.tableA, h, 0, ObjectManager.SYNCHRONIZE, null,
        USER_MODE).handle();
    t.ob.duplicateObject(t.tableA, first, t.tableB, 0, 0, ObjectManager.DUPLICATE_SAME_ACCESS,
        null, USER_MODE);
    calls.clear();

    t.ob.close(t.tableA, second);
    t.ob.close(t.tableA, first);

    assertThat(calls).containsExactly(
        "okayToClose A w " + second + " 1", "close A w 100000 2 3",
        "okayToClose A w " + first + " 1", "close A w 1f0003 1 2");
  }

  @Test
  void okayToCloseThatRefusesLeavesTheHandleOpenWithStatusHandleNotClosable() {
    ObjectType type = recordingType(false, NtStatus.STATUS_SUCCESS);
    long handle = t.insert(t.tableA, type, "w", 0, USER_MODE);

    int status = t.ob.close(t.tableA, handle);

    assertThat(status).isEqualTo(ObStatus.STATUS_HANDLE_NOT_CLOSABLE);
    assertThat(t.tableA.entry(handle)).isNotNull();
    assertThat(t.tableA.entry(handle).handleCount()).isEqualTo(1);
    assertThat(calls).last().isEqualTo("okayToClose A w " + handle + " 1");
  }

  @Test
  void openCloseAndDeleteComeInNtsOrderOverAnObjectsLife() {
    ObjectType type = recordingType(true, NtStatus.STATUS_SUCCESS);
    long handle = t.insert(t.tableA, type, "w", 0, USER_MODE);
    ObjectHeader h = t.tableA.entry(handle);
    int tag = type.poolTag | org.ntsim.ex.PoolTag.PROTECTED_POOL;
    assertThat(t.pool.allocationTag(h.poolBlock())).isEqualTo(tag);
    t.ob.reference(h); // a pointer reference outlives the handle

    t.ob.close(t.tableA, handle);
    calls.add("closed");
    t.ob.dereference(h);

    assertThat(calls).containsExactly("open ObCreateHandle A w 1f0003 1",
        "okayToClose A w " + handle + " 1", "close A w 1f0003 1 1", "closed", "delete w");
    assertThat(h.isDeleted()).isTrue();
    assertThat(t.pool.allocationTag(h.poolBlock())).isNotEqualTo(tag);
  }

  @Test
  void aRundownAsksOkayToCloseInKernelMode() {
    ObjectType type = recordingType(true, NtStatus.STATUS_SUCCESS);
    long handle = t.insert(t.tableA, type, "w", 0, USER_MODE);

    t.ob.closeAll(t.tableA);

    assertThat(calls).contains("okayToClose A w " + handle + " 0");
    assertThat(calls).last().isEqualTo("delete w");
  }

  @Test
  void withoutMaintainHandleCountTheProcessCountsAreZero() {
    List<Long> counts = new ArrayList<>();
    ObjectType type = ObTestSupport.widgetType("Counter", ObTestSupport.widgets()
        .openProcedure((reason, process, object, access, handles) -> {
          counts.add(handles);
          return NtStatus.STATUS_SUCCESS;
        })
        .closeProcedure((process, object, access, processHandles, systemHandles) -> {
          counts.add(processHandles);
          counts.add(systemHandles);
        }));
    long handle = t.insert(t.tableA, type, "w", 0, USER_MODE);

    t.ob.close(t.tableA, handle);

    assertThat(counts).containsExactly(0L, 0L, 1L);
  }

  @Test
  void everyBodyReachesItsHeaderThroughHeaderOf() {
    ObjectType type = ObTestSupport.widgetType("Plain", ObTestSupport.widgets());
    ObjectHeader widget = t.create(type, "w", false);
    KEvent event = new KEvent(true, false, t.ob.allocateObjectBody(type, 0x10, false));
    ObjectHeader eventHeader = t.ob.createObject(type, event, event.address);

    assertThat(ObjectManager.headerOf(widget.body)).isSameAs(widget);
    assertThat(((Widget) widget.body).objectHeader()).isSameAs(widget);
    assertThat(ObjectManager.headerOf(event)).isSameAs(eventHeader);
    assertThat(ObjectManager.headerOf(type)).isNotNull(); // a type is an object of type Type
    assertThat(ObjectManager.headerOf(t.ob.rootDirectory())).isSameAs(
        t.ob.rootDirectory().header());
    assertThat(ObjectManager.headerOf("not a body")).isNull();
  }

  @Test
  void anObjectWhoseBodyCannotReachItsHeaderIsRefused() {
    ObjectType type = ObTestSupport.widgetType("Plain", ObTestSupport.widgets());

    assertThatThrownBy(() -> t.ob.createObject(type, "a string", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
