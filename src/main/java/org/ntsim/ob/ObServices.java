package org.ntsim.ob;

import org.ntsim.ke.DispatcherObject;
import org.ntsim.ke.KEvent;
import org.ntsim.ke.KMutant;
import org.ntsim.ke.KSemaphore;
import org.ntsim.ke.KeServices;
import org.ntsim.ke.Kernel;
import org.ntsim.ke.NtStatus;
import org.ntsim.ke.OutParameter;
import org.ntsim.ke.ServiceTable;
import org.ntsim.ke.WaitBlock;
import org.ntsim.ke.WaitReason;

/**
 * The object manager's system services: NtClose, NtDuplicateObject, a handle's flags
 * (NtQueryObject and NtSetInformationObject with ObjectHandleFlagInformation), the directory
 * objects, and
 * the waits on handles (NtWaitForSingleObject, NtWaitForMultipleObjects,
 * NtSignalAndWaitForSingleObject, which NT keeps in ob's obwait.c). Each Nt* method is the body
 * the service dispatcher runs with the caller's previous mode; each Zw* method is the entry for
 * kernel-mode callers, the same body with PreviousMode KernelMode.
 *
 * <p>{@link #referenceObjectByHandle} is ObReferenceObjectByHandle for every service: the pseudo
 * handles NtCurrentProcess (-1) and NtCurrentThread (-2), the current process's handle table,
 * and, for kernel-mode callers, kernel handles. Out-parameters are probed by
 * {@link OutParameter}: from user mode a bad one is STATUS_ACCESS_VIOLATION with nothing changed.
 */
public final class ObServices {
  public static final long NtCurrentProcess = -1;
  public static final long NtCurrentThread = -2;
  /** WAIT_TYPE. */
  public static final int WaitAll = 0;
  public static final int WaitAny = 1;
  public static final int MAXIMUM_WAIT_OBJECTS = 64;

  public static final int NT_CLOSE = ServiceTable.number("NtClose");
  public static final int NT_DUPLICATE_OBJECT = ServiceTable.number("NtDuplicateObject");
  public static final int NT_QUERY_OBJECT = ServiceTable.number("NtQueryObject");
  public static final int NT_SET_INFORMATION_OBJECT = ServiceTable.number("NtSetInformationObject");
  /** OBJECT_INFORMATION_CLASS: the handle's flags; classes 0-3 exist but are not modelled. */
  public static final int ObjectHandleFlagInformation = 4;
  /** ObjectSessionInformation: a directory's session, set only with SeTcbPrivilege. */
  private static final int OBJECT_SESSION_INFORMATION = 5;
  public static final int NT_CREATE_DIRECTORY_OBJECT =
      ServiceTable.number("NtCreateDirectoryObject");
  public static final int NT_OPEN_DIRECTORY_OBJECT = ServiceTable.number("NtOpenDirectoryObject");
  public static final int NT_WAIT_FOR_SINGLE_OBJECT =
      ServiceTable.number("NtWaitForSingleObject");
  public static final int NT_WAIT_FOR_MULTIPLE_OBJECTS =
      ServiceTable.number("NtWaitForMultipleObjects");
  public static final int NT_SIGNAL_AND_WAIT_FOR_SINGLE_OBJECT =
      ServiceTable.number("NtSignalAndWaitForSingleObject");

  /** EVENT_MODIFY_STATE and SEMAPHORE_MODIFY_STATE, the rights a signal needs. */
  private static final int MODIFY_STATE = 0x0002;

  private final ObjectManager ob;
  private final Kernel kernel;
  private final ProcessContext processes;
  private final OutParameter out;
  private final ObjectType processType;

  public ObServices(ObjectManager ob, Kernel kernel, ProcessContext processes,
      ObjectType processType) {
    this.ob = ob;
    this.kernel = kernel;
    this.processes = processes;
    this.out = new OutParameter(kernel);
    this.processType = processType;
  }

  // ------------------------------------------------------------------ references

  /**
   * ObReferenceObjectByHandle: the object behind {@code handle} in the current process (the
   * pseudo handles stand for the current process and thread, with every right), checked for
   * {@code type} (null: any) and for {@code desiredAccess} against the handle's granted access.
   * STATUS_INVALID_HANDLE, STATUS_OBJECT_TYPE_MISMATCH or STATUS_ACCESS_DENIED otherwise. The
   * caller drops the reference with {@link ObjectManager#dereference}.
   */
  public ObjectManager.Reference referenceObjectByHandle(int previousMode, long handle,
      int desiredAccess, ObjectType type) {
    if (handle == NtCurrentThread || handle == NtCurrentProcess) {
      ObjectHeader h = handle == NtCurrentThread ? processes.currentThreadHeader()
          : processes.currentProcessHeader();
      if (type != null && h.type != type) {
        return new ObjectManager.Reference(NtStatus.STATUS_OBJECT_TYPE_MISMATCH, null);
      }
      ob.reference(h);
      return new ObjectManager.Reference(NtStatus.STATUS_SUCCESS, h);
    }
    return ob.referenceByHandle(processes.currentHandleTable(), handle, desiredAccess, type,
        previousMode);
  }

  /** What a service does with an object it holds a reference to. */
  @FunctionalInterface
  public interface ObjectCall<T> {
    int run(T body);
  }

  /**
   * ObReferenceObjectByHandle ({@link #referenceObjectByHandle}), {@code call} on the body, then
   * the reference dropped; the reference's failure status if there is none.
   */
  @SuppressWarnings("unchecked")
  public <T> int withObject(int previousMode, long handle, int desiredAccess, ObjectType type,
      ObjectCall<T> call) {
    ObjectManager.Reference ref = referenceObjectByHandle(previousMode, handle, desiredAccess,
        type);
    if (!ref.ok()) {
      return ref.status();
    }
    try {
      return call.run((T) ref.header().body);
    } finally {
      ob.dereference(ref.header());
    }
  }

  /**
   * The access a handle grants a caller in {@code previousMode} (every right for a pseudo
   * handle; a kernel handle's for a kernel-mode caller).
   */
  int grantedAccess(int previousMode, long handle) {
    if (handle == NtCurrentThread || handle == NtCurrentProcess) {
      return -1;
    }
    HandleTable table = processes.currentHandleTable();
    if (previousMode == Kernel.KERNEL_MODE && ObjectManager.isKernelHandle(handle)) {
      return ob.kernelHandleTable().access(handle ^ ObjectManager.KERNEL_HANDLE_MASK);
    }
    return table.access(handle);
  }

  /**
   * The current process's handle table: where a handle a service makes goes (ObInsertObject and
   * ObOpenObjectBy* put it in the kernel table instead for a kernel-mode caller that asks for
   * OBJ_KERNEL_HANDLE).
   */
  public HandleTable currentHandleTable() {
    return processes.currentHandleTable();
  }

  // ------------------------------------------------------------------ NtClose

  /**
   * NtClose: STATUS_INVALID_HANDLE for a handle not in the table, STATUS_HANDLE_NOT_CLOSABLE (the
   * handle stays) for one protected from close; the pseudo handles succeed. (Under a user-mode
   * debugger Windows raises STATUS_HANDLE_NOT_CLOSABLE instead; ntsim has none.)
   */
  public int NtClose(int previousMode, long handle) {
    if (handle == NtCurrentThread || handle == NtCurrentProcess) {
      return NtStatus.STATUS_SUCCESS;
    }
    return ob.close(processes.currentHandleTable(), handle, previousMode);
  }

  /** ZwClose. */
  public int ZwClose(long handle) {
    return kernel.systemCalls().zw(NT_CLOSE, mode -> NtClose(mode, handle));
  }

  // ------------------------------------------------------------------ handle flags

  /**
   * NtQueryObject, class ObjectHandleFlagInformation only: the handle's inherit and
   * protect-from-close flags; {@code returnLength}, if given, gets 2. The handle is referenced as
   * every class references it (ObReferenceObjectByHandle with no access: STATUS_INVALID_HANDLE
   * for one not open; a pseudo handle has neither flag). A buffer under 2 bytes is
   * STATUS_INFO_LENGTH_MISMATCH; classes 0-3 (basic, name, type, types) are
   * STATUS_NOT_IMPLEMENTED here, a class above 4 STATUS_INVALID_INFO_CLASS (the WRK's obquery.c).
   */
  public int NtQueryObject(int previousMode, long handle, int objectInformationClass,
      ObjectHandleFlagInformation information, int length, int[] returnLength) {
    int check = checkHandleFlagClass(objectInformationClass);
    if (check != NtStatus.STATUS_SUCCESS) {
      return check;
    }
    if (length < org.ntsim.ob.ObjectHandleFlagInformation.SIZE) {
      return NtStatus.STATUS_INFO_LENGTH_MISMATCH;
    }
    int probe = information != null ? NtStatus.STATUS_SUCCESS
        : out.probe(previousMode, null, "ObjectInformation");
    if (probe == NtStatus.STATUS_SUCCESS) {
      probe = out.probeOptional(previousMode, returnLength, "ReturnLength");
    }
    if (probe != NtStatus.STATUS_SUCCESS) {
      return probe;
    }
    return withObject(previousMode, handle, 0, null, body -> {
      int attributes = 0;
      if (handle != NtCurrentProcess && handle != NtCurrentThread) {
        HandleTable table = ob.handles.tableOf(currentHandleTable(), handle, previousMode);
        attributes = table.attributes(ObjectHandles.valueIn(handle, previousMode));
      }
      information.Inherit = (attributes & ObjectAttributes.OBJ_INHERIT) != 0;
      information.ProtectFromClose = (attributes & HandleTable.OBJ_PROTECT_CLOSE) != 0;
      if (returnLength != null) {
        returnLength[0] = org.ntsim.ob.ObjectHandleFlagInformation.SIZE;
      }
      return NtStatus.STATUS_SUCCESS;
    });
  }

  /**
   * NtSetInformationObject, class ObjectHandleFlagInformation: sets the handle's two flags; the
   * length must be exactly 2 (STATUS_INFO_LENGTH_MISMATCH), and a handle whose table entry cannot
   * be changed (not open, or a pseudo handle) is STATUS_ACCESS_DENIED, as ExChangeHandle's failure
   * is in the WRK. ObjectSessionInformation (5) needs SeTcbPrivilege, which no guest holds
   * (STATUS_PRIVILEGE_NOT_HELD; not modelled for kernel mode); other classes are
   * STATUS_INVALID_INFO_CLASS.
   */
  public int NtSetInformationObject(int previousMode, long handle, int objectInformationClass,
      ObjectHandleFlagInformation information, int length) {
    if (objectInformationClass == OBJECT_SESSION_INFORMATION) {
      return previousMode == Kernel.KERNEL_MODE ? NtStatus.STATUS_NOT_IMPLEMENTED
          : NtStatus.STATUS_PRIVILEGE_NOT_HELD;
    }
    if (objectInformationClass != ObjectHandleFlagInformation) {
      return NtStatus.STATUS_INVALID_INFO_CLASS;
    }
    if (length != org.ntsim.ob.ObjectHandleFlagInformation.SIZE) {
      return NtStatus.STATUS_INFO_LENGTH_MISMATCH;
    }
    if (information == null) {
      return out.probe(previousMode, null, "ObjectInformation");
    }
    HandleTable table = ob.handles.tableOf(currentHandleTable(), handle, previousMode);
    long value = ObjectHandles.valueIn(handle, previousMode);
    int attributes = (information.Inherit ? ObjectAttributes.OBJ_INHERIT : 0)
        | (information.ProtectFromClose ? HandleTable.OBJ_PROTECT_CLOSE : 0);
    if (handle < 0 && table != ob.handles.kernelTable || !table.setAttributes(value, attributes)) {
      return NtStatus.STATUS_ACCESS_DENIED;
    }
    return NtStatus.STATUS_SUCCESS;
  }

  /** ZwSetInformationObject. */
  public int ZwSetInformationObject(long handle, int objectInformationClass,
      ObjectHandleFlagInformation information, int length) {
    return kernel.systemCalls().zw(NT_SET_INFORMATION_OBJECT,
        m -> NtSetInformationObject(m, handle, objectInformationClass, information, length));
  }

  private static int checkHandleFlagClass(int objectInformationClass) {
    if (objectInformationClass == ObjectHandleFlagInformation) {
      return NtStatus.STATUS_SUCCESS;
    }
    return objectInformationClass >= 0 && objectInformationClass < ObjectHandleFlagInformation
        ? NtStatus.STATUS_NOT_IMPLEMENTED : NtStatus.STATUS_INVALID_INFO_CLASS;
  }

  // ------------------------------------------------------------------ waits

  /**
   * The dispatcher object a wait on {@code h} waits on: its body, or the one its type names
   * (an ETIMER waits on its KTIMER); null for an object nothing can wait on.
   */
  public static DispatcherObject waitObject(ObjectHeader h) {
    if (h.body instanceof DispatcherObject d) {
      return d;
    }
    return h.type.defaultObject != null ? h.type.defaultObject.apply(h.body) : null;
  }

  /**
   * NtWaitForSingleObject: {@code timeout} in 100 ns units (negative relative, positive absolute),
   * {@code Long.MIN_VALUE} (a null pointer) for none; the handle needs SYNCHRONIZE. The wait's
   * mode is the caller's previous mode.
   */
  public int NtWaitForSingleObject(int previousMode, long handle, boolean alertable,
      long timeout) {
    return waitForSingleObject(previousMode, handle, alertable,
        KeServices.timeoutNs(kernel, timeout));
  }

  /** ZwWaitForSingleObject. */
  public int ZwWaitForSingleObject(long handle, boolean alertable, long timeout) {
    return kernel.systemCalls().zw(NT_WAIT_FOR_SINGLE_OBJECT,
        mode -> NtWaitForSingleObject(mode, handle, alertable, timeout));
  }

  /** The wait behind NtWaitForSingleObject, with a timeout in nanoseconds (< 0 infinite). */
  public int waitForSingleObject(int previousMode, long handle, boolean alertable,
      long timeoutNs) {
    ObjectManager.Reference ref = referenceObjectByHandle(previousMode, handle,
        ObjectManager.SYNCHRONIZE, null);
    if (!ref.ok()) {
      return ref.status();
    }
    try {
      DispatcherObject object = waitObject(ref.header());
      if (object == null) {
        return NtStatus.STATUS_OBJECT_TYPE_MISMATCH;
      }
      return kernel.waitForSingleObject(object, WaitReason.USER_REQUEST, previousMode,
          alertable, timeoutNs);
    } finally {
      ob.dereference(ref.header());
    }
  }

  /**
   * NtWaitForMultipleObjects: {@code WaitAny} reports STATUS_WAIT_0 + the lowest signalled index
   * (STATUS_ABANDONED_WAIT_0 + index for an abandoned mutant); {@code WaitAll} is satisfied
   * atomically and reports STATUS_WAIT_0 (STATUS_ABANDONED_WAIT_0 if any was abandoned). Count 0
   * or above 64 is STATUS_INVALID_PARAMETER_1, another wait type STATUS_INVALID_PARAMETER_3, an
   * object named twice in a WaitAll STATUS_INVALID_PARAMETER_MIX (WRK obwait.c); every handle
   * needs SYNCHRONIZE, and the pseudo handles are refused (STATUS_INVALID_HANDLE).
   */
  public int NtWaitForMultipleObjects(int previousMode, int count, long[] handles, int waitType,
      boolean alertable, long timeout) {
    return waitForMultipleObjects(previousMode, count, handles, waitType, alertable,
        KeServices.timeoutNs(kernel, timeout));
  }

  /** ZwWaitForMultipleObjects. */
  public int ZwWaitForMultipleObjects(int count, long[] handles, int waitType, boolean alertable,
      long timeout) {
    return kernel.systemCalls().zw(NT_WAIT_FOR_MULTIPLE_OBJECTS,
        mode -> NtWaitForMultipleObjects(mode, count, handles, waitType, alertable, timeout));
  }

  /** The wait behind NtWaitForMultipleObjects, with a timeout in nanoseconds (< 0 infinite). */
  public int waitForMultipleObjects(int previousMode, int count, long[] handles, int waitType,
      boolean alertable, long timeoutNs) {
    if (count <= 0 || count > MAXIMUM_WAIT_OBJECTS) {
      return NtStatus.STATUS_INVALID_PARAMETER_1;
    }
    if (waitType != WaitAll && waitType != WaitAny) {
      return NtStatus.STATUS_INVALID_PARAMETER_3;
    }
    if (handles == null || handles.length < count) {
      return out.probe(previousMode, null, "handle array");
    }
    ObjectHeader[] held = new ObjectHeader[count];
    DispatcherObject[] objects = new DispatcherObject[count];
    int referenced = 0;
    try {
      for (int i = 0; i < count; i++) {
        if (handles[i] == NtCurrentThread || handles[i] == NtCurrentProcess) {
          return NtStatus.STATUS_INVALID_HANDLE; // unlike the single-object wait
        }
        ObjectManager.Reference ref = referenceObjectByHandle(previousMode, handles[i],
            ObjectManager.SYNCHRONIZE, null);
        if (!ref.ok()) {
          return ref.status();
        }
        held[referenced++] = ref.header();
        objects[i] = waitObject(ref.header());
        if (objects[i] == null) {
          return NtStatus.STATUS_OBJECT_TYPE_MISMATCH;
        }
      }
      if (waitType == WaitAll && hasDuplicate(objects, count)) {
        return NtStatus.STATUS_INVALID_PARAMETER_MIX;
      }
      return kernel.waitForMultipleObjects(objects, count,
          waitType == WaitAll ? WaitBlock.WAIT_ALL : WaitBlock.WAIT_ANY,
          WaitReason.USER_REQUEST, previousMode, alertable, timeoutNs);
    } finally {
      for (int i = 0; i < referenced; i++) {
        ob.dereference(held[i]);
      }
    }
  }

  private static boolean hasDuplicate(DispatcherObject[] objects, int count) {
    for (int i = 0; i < count; i++) {
      for (int j = i + 1; j < count; j++) {
        if (objects[i] == objects[j]) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * NtSignalAndWaitForSingleObject: signals an event (EVENT_MODIFY_STATE), releases a semaphore
   * by one (SEMAPHORE_MODIFY_STATE) or a mutant, then waits on the other object (SYNCHRONIZE),
   * with nothing run in between. Another type to signal is STATUS_OBJECT_TYPE_MISMATCH; a failed
   * release (limit, not owner) returns its status without waiting.
   */
  public int NtSignalAndWaitForSingleObject(int previousMode, long signalHandle, long waitHandle,
      boolean alertable, long timeout) {
    return signalAndWait(previousMode, signalHandle, waitHandle, alertable,
        KeServices.timeoutNs(kernel, timeout));
  }

  /** The wait behind NtSignalAndWaitForSingleObject, with a timeout in nanoseconds. */
  public int signalAndWait(int previousMode, long signalHandle, long waitHandle,
      boolean alertable, long timeoutNs) {
    ObjectManager.Reference signal = referenceObjectByHandle(previousMode, signalHandle, 0, null);
    if (!signal.ok()) {
      return signal.status();
    }
    try {
      ObjectManager.Reference wait = referenceObjectByHandle(previousMode, waitHandle,
          ObjectManager.SYNCHRONIZE, null);
      if (!wait.ok()) {
        return wait.status();
      }
      try {
        DispatcherObject target = waitObject(wait.header());
        if (target == null) {
          return NtStatus.STATUS_OBJECT_TYPE_MISMATCH;
        }
        kernel.setWaitNext(); // signal and wait as one step: nobody runs in between
        int status = signalObject(previousMode, signalHandle, signal.header());
        if (status != NtStatus.STATUS_SUCCESS) {
          kernel.clearWaitNext();
          return status;
        }
        return kernel.waitForSingleObject(target, WaitReason.USER_REQUEST, previousMode,
            alertable, timeoutNs);
      } finally {
        ob.dereference(wait.header());
      }
    } finally {
      ob.dereference(signal.header());
    }
  }

  private int signalObject(int previousMode, long handle, ObjectHeader h) {
    int granted = grantedAccess(previousMode, handle);
    if (h.body instanceof KEvent e) {
      if ((granted & MODIFY_STATE) == 0) {
        return NtStatus.STATUS_ACCESS_DENIED;
      }
      kernel.setEvent(e, KEvent.EVENT_INCREMENT);
      return NtStatus.STATUS_SUCCESS;
    }
    if (h.body instanceof KSemaphore s) {
      if ((granted & MODIFY_STATE) == 0) {
        return NtStatus.STATUS_ACCESS_DENIED;
      }
      if (kernel.objects.wouldExceedLimit(s, 1)) {
        return NtStatus.STATUS_SEMAPHORE_LIMIT_EXCEEDED;
      }
      kernel.objects.releaseSemaphore(s, KSemaphore.SEMAPHORE_INCREMENT, 1);
      return NtStatus.STATUS_SUCCESS;
    }
    if (h.body instanceof KMutant m) {
      int[] status = new int[1];
      kernel.objects.releaseMutant(m, KMutant.MUTANT_INCREMENT, false, status);
      return status[0];
    }
    return NtStatus.STATUS_OBJECT_TYPE_MISMATCH;
  }

  // ------------------------------------------------------------------ handles and directories

  /**
   * NtDuplicateObject: a duplicate, in the process {@code targetProcessHandle} refers to, of the
   * handle {@code sourceHandle} of the process {@code sourceProcessHandle} refers to; both
   * process handles need PROCESS_DUP_HANDLE. {@code options}: DUPLICATE_SAME_ACCESS (the
   * source's access instead of {@code desiredAccess}), DUPLICATE_SAME_ATTRIBUTES,
   * DUPLICATE_CLOSE_SOURCE (the source handle is closed, in its process, even when the
   * duplication then fails). The pseudo handles are real handles once duplicated:
   * NtCurrentProcess stands for the source process, NtCurrentThread for the calling thread.
   * Without a target process (0) only DUPLICATE_CLOSE_SOURCE is meaningful. A target process
   * handle that fails its check is the result, after the source has been closed if asked (the
   * WRK's NtDuplicateObject). See ObjectManager.duplicateObject for the rest.
   */
  public int NtDuplicateObject(int previousMode, long sourceProcessHandle, long sourceHandle,
      long targetProcessHandle, long[] targetHandle, int desiredAccess, int handleAttributes,
      int options) {
    int probe = out.probeOptional(previousMode, targetHandle, "TargetHandle");
    if (probe != NtStatus.STATUS_SUCCESS) {
      return probe;
    }
    if (targetHandle != null) {
      targetHandle[0] = 0;
    }
    ObjectManager.Reference source = referenceObjectByHandle(previousMode, sourceProcessHandle,
        AccessMask.PROCESS_DUP_HANDLE, processType);
    if (!source.ok()) {
      return source.status();
    }
    ObjectManager.Reference target = null;
    int targetStatus = NtStatus.STATUS_SUCCESS;
    if (targetProcessHandle != 0) {
      target = referenceObjectByHandle(previousMode, targetProcessHandle,
          AccessMask.PROCESS_DUP_HANDLE, processType);
      if (!target.ok()) {
        targetStatus = target.status();
        target = null;
      }
    }
    try {
      Object sourceProcess = source.header().body;
      HandleTable targetTable = target == null ? null
          : processes.handleTableOf(target.header().body);
      ObjectHeader sourceHeader = source.header();
      ObjectManager.HandleResult r = ob.duplicateObject(processes.handleTableOf(sourceProcess),
          sourceHandle, targetTable, desiredAccess, handleAttributes, options,
          handle -> handle == NtCurrentProcess ? sourceHeader
              : handle == NtCurrentThread ? processes.currentThreadHeader() : null,
          previousMode);
      if (targetHandle != null) {
        targetHandle[0] = r.handle();
      }
      return targetStatus != NtStatus.STATUS_SUCCESS ? targetStatus : r.status();
    } finally {
      ob.dereference(source.header());
      if (target != null) {
        ob.dereference(target.header());
      }
    }
  }

  /**
   * NtCreateDirectoryObject: a new object directory, named by {@code attributes} (null:
   * unnamed), with the results of ObjectManager.insertObject (STATUS_OBJECT_NAME_COLLISION for a
   * taken name, STATUS_OBJECT_NAME_EXISTS with OBJ_OPENIF, ...).
   */
  public int NtCreateDirectoryObject(int previousMode, long[] directoryHandle, int desiredAccess,
      ObjectAttributes attributes) {
    int probe = out.probe(previousMode, directoryHandle, "DirectoryHandle");
    if (probe != NtStatus.STATUS_SUCCESS) {
      return probe;
    }
    directoryHandle[0] = 0;
    ObjectManager.HandleResult r = ob.insertObject(currentHandleTable(),
        ob.createDirectoryObject(attributes != null && attributes.ObjectName() != null
            && !attributes.ObjectName().isEmpty()),
        attributes, desiredAccess, previousMode);
    directoryHandle[0] = r.handle();
    return r.status();
  }

  /** ZwCreateDirectoryObject. */
  public int ZwCreateDirectoryObject(long[] directoryHandle, int desiredAccess,
      ObjectAttributes attributes) {
    return kernel.systemCalls().zw(NT_CREATE_DIRECTORY_OBJECT,
        mode -> NtCreateDirectoryObject(mode, directoryHandle, desiredAccess, attributes));
  }

  /** NtOpenDirectoryObject: ObOpenObjectByName for a Directory. */
  public int NtOpenDirectoryObject(int previousMode, long[] directoryHandle, int desiredAccess,
      ObjectAttributes attributes) {
    int probe = out.probe(previousMode, directoryHandle, "DirectoryHandle");
    if (probe != NtStatus.STATUS_SUCCESS) {
      return probe;
    }
    directoryHandle[0] = 0;
    ObjectManager.HandleResult r = ob.openObjectByName(currentHandleTable(), attributes,
        ob.directoryType, desiredAccess, previousMode, null);
    directoryHandle[0] = r.handle();
    return r.status();
  }

  /** ZwOpenDirectoryObject. */
  public int ZwOpenDirectoryObject(long[] directoryHandle, int desiredAccess,
      ObjectAttributes attributes) {
    return kernel.systemCalls().zw(NT_OPEN_DIRECTORY_OBJECT,
        mode -> NtOpenDirectoryObject(mode, directoryHandle, desiredAccess, attributes));
  }
}
