package org.ntsim.ob;

import static org.ntsim.ob.AccessMask.ACCESS_SYSTEM_SECURITY;

import org.ntsim.ke.Kernel;
import org.ntsim.ke.NtStatus;
import org.ntsim.ob.ObjectManager.HandleResult;
import org.ntsim.ob.ObjectManager.PseudoHandles;
import org.ntsim.ob.ObjectManager.Reference;
import org.ntsim.ob.TypeProcedures.OpenReason;

/**
 * The object manager's handles (WRK obhandle.c, obclose.c, obref.c): ObpCreateHandle with
 * ObpIncrementHandleCount, ObpCloseHandle with ObpCloseHandleTableEntry and
 * ObpDecrementHandleCount, ObReferenceObjectByHandle and ObDuplicateObject, each calling the
 * type's Open, OkayToClose and Close procedures where NT does; and the kernel handle table.
 *
 * <p>Kernel handles: the kernel handle table (ObpKernelHandleTable) is the System process's table.
 * A handle made in it for a kernel-mode caller that asked for OBJ_KERNEL_HANDLE carries
 * KERNEL_HANDLE_MASK (on x86 the top bit of the 32-bit value; here the value sign-extended, so
 * every kernel handle is a negative {@code long} other than the pseudo handles -1 and -2). Such a
 * value names the kernel table only for a kernel-mode caller, in whatever process it runs; a
 * user-mode caller gets STATUS_INVALID_HANDLE for it (WRK's IsKernelHandle, and
 * ObpReferenceProcessObjectByHandle's explicit refusal). A user-mode caller's OBJ_KERNEL_HANDLE
 * is dropped (ObpCaptureObjectCreateInformation, ObSanitizeHandleAttributes), so its handle goes
 * in its own process's table.
 *
 * <p>Invariant: an object's handle count is the number of entries referring to it in every
 * table, the kernel table included; each entry holds one reference.
 */
final class ObjectHandles {
  /** Handle attributes a handle entry keeps. */
  static final int HANDLE_ATTRIBUTES = ObjectAttributes.OBJ_INHERIT;
  /**
   * ObpValidateDesiredAccess: bits no type ever grants (21-23, 26-27) and MAXIMUM_ALLOWED,
   * refused when a duplicate asks for new access.
   */
  private static final int INVALID_DUPLICATE_ACCESS = 0x0EE00000;

  private static final Reference INVALID = new Reference(NtStatus.STATUS_INVALID_HANDLE, null);
  private static final Reference MISMATCH =
      new Reference(NtStatus.STATUS_OBJECT_TYPE_MISMATCH, null);
  private static final Reference DENIED = new Reference(NtStatus.STATUS_ACCESS_DENIED, null);

  private final ObjectManager ob;
  /** ObpKernelHandleTable, made by ObInitSystem; the System process's table. */
  final HandleTable kernelTable = new HandleTable();

  ObjectHandles(ObjectManager ob) {
    this.ob = ob;
  }

  /** IsKernelHandle: a kernel handle's value, from a caller in kernel mode. */
  static boolean isKernelHandle(long handle, int previousMode) {
    return previousMode == Kernel.KERNEL_MODE
        && (handle & ObjectManager.KERNEL_HANDLE_MASK) == ObjectManager.KERNEL_HANDLE_MASK
        && handle != ObjectManager.NT_CURRENT_PROCESS && handle != ObjectManager.NT_CURRENT_THREAD;
  }

  /** DecodeKernelHandle: the kernel table's own value for a kernel handle. */
  static long decode(long kernelHandle) {
    return kernelHandle ^ ObjectManager.KERNEL_HANDLE_MASK;
  }

  /** EncodeKernelHandle. */
  static long encode(long kernelTableHandle) {
    return kernelTableHandle | ObjectManager.KERNEL_HANDLE_MASK;
  }

  /**
   * ObSanitizeHandleAttributes: what is left of a caller's handle attributes; OBJ_KERNEL_HANDLE
   * only for a kernel-mode caller.
   */
  static int sanitize(int attributes, int previousMode) {
    return previousMode == Kernel.KERNEL_MODE ? attributes
        : attributes & ~ObjectAttributes.OBJ_KERNEL_HANDLE;
  }

  /**
   * The table and value {@code handle} names for a caller in {@code previousMode}: the kernel
   * table for a kernel handle from kernel mode, else {@code processTable}.
   */
  HandleTable tableOf(HandleTable processTable, long handle, int previousMode) {
    return isKernelHandle(handle, previousMode) ? kernelTable : processTable;
  }

  /** The value of {@code handle} in {@link #tableOf}'s table. */
  static long valueIn(long handle, int previousMode) {
    return isKernelHandle(handle, previousMode) ? decode(handle) : handle;
  }

  /** The entry {@code handle} names for a caller in {@code previousMode}, or null. */
  ObjectHeader entry(HandleTable processTable, long handle, int previousMode) {
    return isKernelHandle(handle, previousMode) ? kernelTable.lookup(decode(handle))
        : processTable.lookup(handle);
  }

  // ------------------------------------------------------------------ creating handles

  /**
   * ObpCreateHandle: an entry granting {@code grantedAccess} in the kernel table (a kernel-mode
   * caller's OBJ_KERNEL_HANDLE; the value returned is then tagged) or in {@code processTable};
   * the object gains a handle count and a reference. Fails with the Open procedure's status.
   */
  HandleResult createHandle(OpenReason reason, HandleTable processTable, ObjectHeader h,
      int grantedAccess, int handleAttributes, int previousMode) {
    boolean kernelHandle = previousMode == Kernel.KERNEL_MODE
        && (handleAttributes & ObjectAttributes.OBJ_KERNEL_HANDLE) != 0;
    HandleTable table = kernelHandle ? kernelTable : processTable;
    int status = incrementHandleCount(reason, table, h, grantedAccess);
    if (status != NtStatus.STATUS_SUCCESS) {
      return HandleResult.failed(status);
    }
    long handle = table.insert(h, grantedAccess, handleAttributes & HANDLE_ATTRIBUTES);
    return new HandleResult(NtStatus.STATUS_SUCCESS, kernelHandle ? encode(handle) : handle);
  }

  /**
   * ObpIncrementHandleCount: the reference and the count a handle holds, before its entry; then
   * the type's Open procedure, whose failure undoes both.
   */
  int incrementHandleCount(OpenReason reason, HandleTable table, ObjectHeader h,
      int grantedAccess) {
    ob.reference(h);
    h.handleCount++;
    ObjectType type = h.type;
    if (type.openProcedure != null) {
      long processHandles = type.maintainHandleCount ? table.countOf(h) + 1 : 0;
      int status = type.openProcedure.open(reason, table.process(), h.body, grantedAccess,
          processHandles);
      if (!NtStatus.isSuccess(status)) {
        h.handleCount--;
        ob.dereference(h);
        return status;
      }
    }
    type.handleOpened();
    return NtStatus.STATUS_SUCCESS;
  }

  // ------------------------------------------------------------------ using and closing

  /** ObReferenceObjectByHandle with {@code previousMode}; see ObjectManager#referenceByHandle. */
  Reference referenceByHandle(HandleTable processTable, long handle, int desiredAccess,
      ObjectType type, int previousMode) {
    HandleTable table = processTable;
    long value = handle;
    if (handle < 0) { // a kernel handle, or a pseudo handle its caller did not resolve
      if (!isKernelHandle(handle, previousMode)) {
        return INVALID;
      }
      table = kernelTable;
      value = decode(handle);
    }
    ObjectHeader h = table.lookup(value);
    if (h == null) {
      return INVALID;
    }
    if (type != null && h.type != type) {
      return MISMATCH;
    }
    if ((table.grantedAccess(value) & desiredAccess) != desiredAccess) {
      return DENIED;
    }
    h.pointerCount++;
    return new Reference(NtStatus.STATUS_SUCCESS, h);
  }

  /**
   * ObpCloseHandle: a kernel handle closes in the kernel table for a kernel-mode caller; any other
   * value, a kernel handle from user mode included, is looked up in {@code processTable}, where
   * it is STATUS_INVALID_HANDLE if absent.
   */
  int close(HandleTable processTable, long handle, int previousMode) {
    if (isKernelHandle(handle, previousMode)) {
      return closeEntry(kernelTable, decode(handle), previousMode, false);
    }
    return closeEntry(processTable, handle, previousMode, false);
  }

  /**
   * ObpCloseHandleTableEntry: a handle protected from close (OBJ_PROTECT_CLOSE) is refused with
   * STATUS_HANDLE_NOT_CLOSABLE unless the process is exiting, and so may the type's OkayToClose
   * procedure refuse (the handle stays); else the entry goes, the handle count goes
   * down (ObpDecrementHandleCount) and the entry's reference is dropped. {@code rundown}: the
   * process's handles are being closed at its exit (ObKillProcess).
   */
  int closeEntry(HandleTable table, long handle, int previousMode, boolean rundown) {
    ObjectHeader h = table.lookup(handle);
    if (h == null) {
      return NtStatus.STATUS_INVALID_HANDLE;
    }
    if (!rundown && (table.attributes(handle) & HandleTable.OBJ_PROTECT_CLOSE) != 0) {
      return ObStatus.STATUS_HANDLE_NOT_CLOSABLE; // in either mode; only the exit closes it
    }
    ObjectType type = h.type;
    if (type.okayToCloseProcedure != null
        && !type.okayToCloseProcedure.okayToClose(table.process(), h.body, handle,
            previousMode)) {
      return ObStatus.STATUS_HANDLE_NOT_CLOSABLE;
    }
    int grantedAccess = table.grantedAccess(handle);
    long processHandles = type.maintainHandleCount && type.closeProcedure != null
        ? table.countOf(h) : 0;
    table.remove(handle);
    decrementHandleCount(table, h, grantedAccess, processHandles);
    ob.dereference(h);
    return NtStatus.STATUS_SUCCESS;
  }

  /**
   * ObpDecrementHandleCount: the count goes down, the type's Close procedure is told the counts
   * as they were, and a last handle takes a temporary name (ObpDeleteNameCheck).
   */
  private void decrementHandleCount(HandleTable table, ObjectHeader h, int grantedAccess,
      long processHandles) {
    long systemHandles = h.handleCount;
    h.handleCount--;
    h.type.handleClosed();
    if (h.type.closeProcedure != null) {
      h.type.closeProcedure.close(table.process(), h.body, grantedAccess, processHandles,
          systemHandles);
    }
    if (h.handleCount == 0 && !h.permanent && h.directory != null) {
      ob.deleteName(h);
    }
  }

  /**
   * ObKillProcess: closes every handle of a table (lowest first) at process exit, as the kernel;
   * the table then takes no more. A handle whose OkayToClose procedure refuses stays, as in NT.
   */
  void closeAll(HandleTable table) {
    for (long handle : table.handles()) {
      closeEntry(table, handle, Kernel.KERNEL_MODE, true);
    }
    table.markRundown();
  }

  // ------------------------------------------------------------------ duplication

  /** ObDuplicateObject with {@code previousMode}; see ObjectManager#duplicateObject. */
  HandleResult duplicateObject(HandleTable sourceTable, long sourceHandle,
      HandleTable targetTable, int desiredAccess, int handleAttributes, int options,
      PseudoHandles pseudo, int previousMode) {
    boolean sameAccess = (options & ObjectManager.DUPLICATE_SAME_ACCESS) != 0;
    if (!sameAccess && (desiredAccess & INVALID_DUPLICATE_ACCESS) != 0) {
      return HandleResult.failed(NtStatus.STATUS_ACCESS_DENIED);
    }
    if (sourceTable.isRundown()) {
      return HandleResult.failed(NtStatus.STATUS_PROCESS_IS_TERMINATING);
    }
    boolean kernelSource = isKernelHandle(sourceHandle, previousMode);
    HandleTable source = kernelSource ? kernelTable : sourceTable;
    long sourceValue = kernelSource ? decode(sourceHandle) : sourceHandle;
    boolean pseudoHandle = !kernelSource && sourceHandle < 0;
    ObjectHeader object = pseudoHandle ? (pseudo == null ? null : pseudo.resolve(sourceHandle))
        : source.lookup(sourceValue);
    if (object == null) {
      return HandleResult.failed(NtStatus.STATUS_INVALID_HANDLE);
    }
    int sourceAccess = pseudoHandle ? object.type.allAccess : source.grantedAccess(sourceValue);
    int sourceAttributes = pseudoHandle ? 0 : source.attributes(sourceValue);
    ob.reference(object);
    try {
      int status = NtStatus.STATUS_SUCCESS;
      int targetAccess = 0;
      if (targetTable == null) {
        status = (options & ObjectManager.DUPLICATE_CLOSE_SOURCE) != 0
            ? NtStatus.STATUS_SUCCESS : NtStatus.STATUS_INVALID_PARAMETER;
      } else if (targetTable.isRundown()) {
        status = NtStatus.STATUS_PROCESS_IS_TERMINATING;
      } else {
        int desired = object.type.genericMapping.map(sameAccess ? sourceAccess : desiredAccess);
        targetAccess = desired & (object.type.validAccessMask | ACCESS_SYSTEM_SECURITY);
        if ((targetAccess & ~sourceAccess) != 0) {
          status = ObjectManager.accessCheck(object.type, targetAccess).status();
        }
      }
      if (status == NtStatus.STATUS_SUCCESS && targetTable != null) {
        // before the source closes, so the count never passes zero
        status = incrementHandleCount(OpenReason.ObDuplicateHandle, targetTable, object,
            targetAccess);
        if (status != NtStatus.STATUS_SUCCESS) {
          targetTable = null;
        }
      } else {
        targetTable = null;
      }
      if ((options & ObjectManager.DUPLICATE_CLOSE_SOURCE) != 0) {
        closeEntry(source, sourceValue, previousMode, false);
      }
      if (targetTable == null) {
        return HandleResult.failed(status);
      }
      int attributes = (options & ObjectManager.DUPLICATE_SAME_ATTRIBUTES) != 0
          ? sourceAttributes : handleAttributes;
      long handle = targetTable.insert(object, targetAccess, attributes & HANDLE_ATTRIBUTES);
      boolean tagged = targetTable == kernelTable && previousMode == Kernel.KERNEL_MODE
          && (handleAttributes & ObjectAttributes.OBJ_KERNEL_HANDLE) != 0;
      return new HandleResult(NtStatus.STATUS_SUCCESS, tagged ? encode(handle) : handle);
    } finally {
      ob.dereference(object);
    }
  }
}
