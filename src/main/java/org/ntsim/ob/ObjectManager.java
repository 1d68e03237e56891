package org.ntsim.ob;

import org.ntsim.ke.DispatcherObject;
import org.ntsim.ke.NtStatus;

/**
 * The object manager (Ob): object headers, reference counting, and handles.
 *
 * <p>Models: ObCreateObject (a header for a body), ObReferenceObject / ObDereferenceObject with
 * deletion at the last reference, ObInsertObject-style handle creation with a granted access
 * mask, ObReferenceObjectByHandle with type and access checks (STATUS_INVALID_HANDLE,
 * STATUS_OBJECT_TYPE_MISMATCH, STATUS_ACCESS_DENIED), and NtClose.
 *
 * <p>Left out for now: the namespace and named objects, DuplicateHandle, security descriptors;
 * access is checked only against what the handle was granted.
 */
public final class ObjectManager {
  public static final int SYNCHRONIZE = 0x00100000;
  public static final int STANDARD_RIGHTS_REQUIRED = 0x000F0000;

  /** What ObReferenceObjectByHandle found: a status and, on success, the header. */
  public record Reference(int status, ObjectHeader header) {
    public boolean ok() {
      return status == NtStatus.STATUS_SUCCESS;
    }

    @SuppressWarnings("unchecked")
    public <T> T body() {
      return (T) header.body;
    }
  }

  private static final Reference INVALID = new Reference(NtStatus.STATUS_INVALID_HANDLE, null);
  private static final Reference MISMATCH =
      new Reference(NtStatus.STATUS_OBJECT_TYPE_MISMATCH, null);
  private static final Reference DENIED = new Reference(NtStatus.STATUS_ACCESS_DENIED, null);

  /** ObCreateObject: a header with one pointer reference held by the creator. */
  public ObjectHeader createObject(ObjectType type, Object body, long bodyAddress,
      Runnable deleteProcedure) {
    ObjectHeader h = new ObjectHeader(type, body, bodyAddress);
    h.pointerCount = 1;
    h.deleteProcedure = deleteProcedure;
    if (body instanceof DispatcherObject d) {
      d.objectHeader = h;
    }
    type.objectCreated();
    return h;
  }

  /** The header of a body created through this manager, or null. */
  public static ObjectHeader headerOf(Object body) {
    if (body instanceof DispatcherObject d && d.objectHeader instanceof ObjectHeader h) {
      return h;
    }
    return null;
  }

  /** ObReferenceObject. */
  public void reference(ObjectHeader h) {
    if (h.deleted) {
      throw new IllegalStateException("reference to a deleted " + h.type.name);
    }
    h.pointerCount++;
  }

  /** ObDereferenceObject: the last reference deletes the object. */
  public void dereference(ObjectHeader h) {
    if (h.pointerCount <= 0) {
      throw new IllegalStateException("dereference of a " + h.type.name + " with no references");
    }
    if (--h.pointerCount == 0) {
      h.deleted = true;
      h.type.objectDeleted();
      if (h.deleteProcedure != null) {
        h.deleteProcedure.run();
      }
    }
  }

  /** Creates a handle in {@code table} granting {@code access}; takes a reference. */
  public long insertHandle(HandleTable table, ObjectHeader h, int access) {
    h.pointerCount++;
    h.handleCount++;
    h.type.handleOpened();
    return table.insert(h, access);
  }

  /**
   * ObReferenceObjectByHandle: checks that {@code handle} is open in {@code table}, is of
   * {@code type} (null: any) and grants every bit of {@code desiredAccess}; takes a reference
   * that the caller must drop with {@link #dereference(ObjectHeader)}.
   */
  public Reference referenceByHandle(HandleTable table, long handle, int desiredAccess,
      ObjectType type) {
    ObjectHeader h = table.lookup(handle);
    if (h == null) {
      return INVALID;
    }
    if (type != null && h.type != type) {
      return MISMATCH;
    }
    if ((table.grantedAccess(handle) & desiredAccess) != desiredAccess) {
      return DENIED;
    }
    h.pointerCount++;
    return new Reference(NtStatus.STATUS_SUCCESS, h);
  }

  /** NtClose: removes the handle and drops its reference. */
  public int close(HandleTable table, long handle) {
    ObjectHeader h = table.remove(handle);
    if (h == null) {
      return NtStatus.STATUS_INVALID_HANDLE;
    }
    h.handleCount--;
    h.type.handleClosed();
    dereference(h);
    return NtStatus.STATUS_SUCCESS;
  }

  /** Closes every handle of a table (process rundown), lowest handle first. */
  public void closeAll(HandleTable table) {
    for (long handle : table.handles()) {
      close(table, handle);
    }
  }
}
