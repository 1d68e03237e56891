package org.ntsim.ob;

import static org.ntsim.ob.AccessMask.ACCESS_SYSTEM_SECURITY;

import org.ntsim.ke.NtStatus;
import org.ntsim.ob.ObjectManager.Grant;
import org.ntsim.ob.ObjectManager.HandleResult;
import org.ntsim.ob.TypeProcedures.OpenReason;

/**
 * How a caller gets a handle to a new or an existing object (WRK obinsert.c and obref.c):
 * ObInsertObject, ObOpenObjectByName and ObOpenObjectByPointer, for a caller in user or kernel
 * mode. The name lookup is {@link NameLookup}'s, the handle {@link ObjectHandles}'; a user-mode
 * caller's OBJ_KERNEL_HANDLE is dropped here, as ObpCaptureObjectCreateInformation and
 * ObSanitizeHandleAttributes drop it.
 *
 * <p>Invariant: a lookup's reference on an object a parse procedure found is dropped once the
 * handle is made (or refused).
 */
final class ObjectInsertion {
  private final ObjectManager ob;

  ObjectInsertion(ObjectManager ob) {
    this.ob = ob;
  }

  /**
   * ObInsertObject: gives the creator of {@code object} (made by ObjectManager.createObject) a
   * handle in {@code table} (the current process's), or in the kernel table when a kernel-mode
   * caller asks for OBJ_KERNEL_HANDLE, entering the object under {@code attributes}' name if it
   * has one.
   * Consumes the creator's reference: on failure, and when an existing object is opened instead,
   * the new object is dereferenced (and so deleted).
   *
   * <p>A null or empty name makes an unnamed object (its RootDirectory is then ignored; a null
   * name with a RootDirectory is STATUS_OBJECT_NAME_INVALID). An existing name gives
   * STATUS_OBJECT_TYPE_MISMATCH if the object there is of another type (Vista's result),
   * STATUS_OBJECT_NAME_COLLISION without OBJ_OPENIF, and with it a handle to the existing object
   * and STATUS_OBJECT_NAME_EXISTS, after the access check of an open.
   */
  HandleResult insertObject(HandleTable table, ObjectHeader object,
      ObjectAttributes attributes, int desiredAccess, int previousMode) {
    int status = checkInsert(attributes, desiredAccess);
    if (status != NtStatus.STATUS_SUCCESS) {
      ob.dereference(object);
      return HandleResult.failed(status);
    }
    int handleAttributes = attributes == null ? 0
        : ObjectHandles.sanitize(attributes.Attributes(), previousMode);
    String name = attributes == null ? null : attributes.ObjectName();
    if (name != null && !name.isEmpty()) {
      NameLookup.Result r = ob.names.lookup(table, attributes, object.type, true,
          new NameLookup.Request(desiredAccess, previousMode, null));
      if (!r.ok()) {
        ob.dereference(object);
        return HandleResult.failed(r.status());
      }
      if (r.object() != null) {
        HandleResult result = openExisting(table, object, r.object(), handleAttributes,
            desiredAccess, previousMode);
        if (r.referenced()) {
          ob.dereference(r.object());
        }
        return result;
      }
      if (r.directory() == ob.objectTypesDirectory()) { // only ObCreateObjectType enters names
        ob.dereference(object);
        return HandleResult.failed(NtStatus.STATUS_ACCESS_DENIED);
      }
      ob.enterName(r.directory(), r.component(), object);
    }
    HandleResult result = ob.handles.createHandle(OpenReason.ObCreateHandle, table, object,
        ObjectManager.grantedOnCreate(object.type, desiredAccess), handleAttributes, previousMode);
    ob.dereference(object);
    return result;
  }

  private static int checkInsert(ObjectAttributes attributes, int desiredAccess) {
    if (attributes != null) {
      if ((attributes.Attributes() & ~ObjectAttributes.OBJ_VALID_ATTRIBUTES) != 0) {
        return NtStatus.STATUS_INVALID_PARAMETER;
      }
      if (attributes.ObjectName() == null && attributes.RootDirectory() != 0) {
        return ObStatus.STATUS_OBJECT_NAME_INVALID;
      }
      if (attributes.has(ObjectAttributes.OBJ_PERMANENT)) {
        return ObStatus.STATUS_PRIVILEGE_NOT_HELD;
      }
    }
    if ((desiredAccess & ACCESS_SYSTEM_SECURITY) != 0) {
      return ObStatus.STATUS_PRIVILEGE_NOT_HELD;
    }
    return NtStatus.STATUS_SUCCESS;
  }

  /** The OBJ_OPENIF half of ObInsertObject: the name was taken by {@code existing}. */
  private HandleResult openExisting(HandleTable table, ObjectHeader object,
      ObjectHeader existing, int handleAttributes, int desiredAccess, int previousMode) {
    HandleResult result;
    if (existing.type != object.type) {
      result = HandleResult.failed(NtStatus.STATUS_OBJECT_TYPE_MISMATCH);
    } else if ((handleAttributes & ObjectAttributes.OBJ_OPENIF) == 0) {
      result = HandleResult.failed(ObStatus.STATUS_OBJECT_NAME_COLLISION);
    } else {
      Grant grant = ObjectManager.accessCheck(existing.type, desiredAccess);
      if (grant.ok()) {
        result = ob.handles.createHandle(OpenReason.ObOpenHandle, table, existing, grant.access(),
            handleAttributes, previousMode);
        if (result.ok()) {
          result = new HandleResult(ObStatus.STATUS_OBJECT_NAME_EXISTS, result.handle());
        }
      } else {
        result = HandleResult.failed(grant.status());
      }
    }
    ob.dereference(object);
    return result;
  }

  /**
   * ObOpenObjectByName: a handle in {@code table} (or, for a kernel-mode caller's
   * OBJ_KERNEL_HANDLE, the kernel table) to the object {@code attributes} names, which must be
   * of {@code type} (null: any), granted {@code desiredAccess} by ObjectManager.accessCheck. A
   * parse procedure on the way is given {@code parseContext}. A null name is
   * STATUS_OBJECT_NAME_INVALID with a RootDirectory, else STATUS_OBJECT_PATH_SYNTAX_BAD; null
   * attributes are STATUS_INVALID_PARAMETER.
   */
  HandleResult openObjectByName(HandleTable table, ObjectAttributes attributes,
      ObjectType type, int desiredAccess, int previousMode, Object parseContext) {
    if (attributes == null
        || (attributes.Attributes() & ~ObjectAttributes.OBJ_VALID_ATTRIBUTES) != 0) {
      return HandleResult.failed(NtStatus.STATUS_INVALID_PARAMETER);
    }
    if (attributes.ObjectName() == null) {
      return HandleResult.failed(attributes.RootDirectory() != 0
          ? ObStatus.STATUS_OBJECT_NAME_INVALID : ObStatus.STATUS_OBJECT_PATH_SYNTAX_BAD);
    }
    NameLookup.Result r = ob.names.lookup(table, attributes, type, false,
        new NameLookup.Request(desiredAccess, previousMode, parseContext));
    if (!r.ok()) {
      return HandleResult.failed(r.status());
    }
    HandleResult result = open(table, r.object(),
        ObjectHandles.sanitize(attributes.Attributes(), previousMode), desiredAccess,
        previousMode);
    if (r.referenced()) {
      ob.dereference(r.object());
    }
    return result;
  }

  /**
   * ObOpenObjectByPointer, as NtOpenProcess and NtOpenThread use it: a handle in {@code table}
   * (or the kernel table, for a kernel-mode caller's OBJ_KERNEL_HANDLE) to {@code object}, which
   * must be of {@code type} (null: any), granted {@code desiredAccess} by
   * ObjectManager.accessCheck.
   */
  HandleResult openObjectByPointer(HandleTable table, ObjectHeader object,
      int handleAttributes, int desiredAccess, ObjectType type, int previousMode) {
    if (type != null && object.type != type) {
      return HandleResult.failed(NtStatus.STATUS_OBJECT_TYPE_MISMATCH);
    }
    return open(table, object, ObjectHandles.sanitize(handleAttributes, previousMode),
        desiredAccess, previousMode);
  }

  private HandleResult open(HandleTable table, ObjectHeader object, int handleAttributes,
      int desiredAccess, int previousMode) {
    Grant grant = ObjectManager.accessCheck(object.type, desiredAccess);
    if (!grant.ok()) {
      return HandleResult.failed(grant.status());
    }
    return ob.handles.createHandle(OpenReason.ObOpenHandle, table, object, grant.access(),
        handleAttributes, previousMode);
  }
}
