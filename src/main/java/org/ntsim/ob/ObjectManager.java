package org.ntsim.ob;

import static org.ntsim.ob.AccessMask.ACCESS_SYSTEM_SECURITY;
import static org.ntsim.ob.AccessMask.GENERIC_ALL;
import static org.ntsim.ob.AccessMask.MAXIMUM_ALLOWED;

import org.ntsim.ex.Pool;
import org.ntsim.ex.PoolTag;
import org.ntsim.ex.PoolType;
import org.ntsim.ke.DispatcherObject;
import org.ntsim.ke.NtStatus;

/**
 * The object manager (Ob): object types, object headers and reference counts, handle tables,
 * and the namespace (seed 004; Windows Internals, "Object Management").
 *
 * <p>Models:
 * <ul>
 *   <li>ObCreateObjectType and \ObjectTypes; ObCreateObject (a header with the creator's
 *       reference); ObReferenceObject / ObDereferenceObject with deletion at the last reference;
 *   <li>the namespace: \ (root), \ObjectTypes, \BaseNamedObjects with its Global and Local links,
 *       \Device, \Driver, with directories and symbolic links ({@link NameLookup});
 *   <li>ObInsertObject (a new object, named or not, gets its creator's handle; an existing name
 *       gives STATUS_OBJECT_NAME_EXISTS with OBJ_OPENIF, STATUS_OBJECT_NAME_COLLISION without,
 *       and STATUS_OBJECT_TYPE_MISMATCH for another type, as on Vista), ObOpenObjectByName,
 *       ObOpenObjectByPointer, ObReferenceObjectByHandle, NtClose, ObDuplicateObject;
 *   <li>temporary names: a named object leaves its directory when its last handle closes
 *       (ObpDeleteNameCheck), and is deleted when its last reference goes;
 *   <li>access: generic rights mapped through the type's GENERIC_MAPPING and kept within its
 *       valid mask; see {@link #accessCheck} for what opening an existing object is granted;
 *   <li>ObpAllocateObject / ObpFreeObject: an object's headers and body share one block of its
 *       type's pool, tagged with the type's key and PROTECTED_POOL ({@link #allocateObjectBody});
 *       the block is freed when the object is deleted. Types, directories and symbolic links
 *       are allocated the same way (types from non-paged pool as "ObjT", directories and links
 *       from paged pool).
 * </ul>
 *
 * <p>Left out: security descriptors (every object behaves as if it had the default DACL of a
 * single user, see {@link #accessCheck}), sessions (\Sessions\N\BaseNamedObjects: the Local link
 * leads to the global directory, as in session 0), OBJ_EXCLUSIVE, OBJ_OPENLINK, permanent
 * objects made by callers (no caller holds SeCreatePermanentPrivilege), quotas, handle
 * inheritance into child processes (OBJ_INHERIT is recorded only), and kernel handles.
 */
public final class ObjectManager {
  public static final int SYNCHRONIZE = AccessMask.SYNCHRONIZE;
  public static final int STANDARD_RIGHTS_REQUIRED = AccessMask.STANDARD_RIGHTS_REQUIRED;

  /** NtDuplicateObject options. */
  public static final int DUPLICATE_CLOSE_SOURCE = 0x1;
  public static final int DUPLICATE_SAME_ACCESS = 0x2;
  public static final int DUPLICATE_SAME_ATTRIBUTES = 0x4;

  public static final String ROOT_NAME = "\\";
  public static final String BASE_NAMED_OBJECTS = "\\BaseNamedObjects";

  /**
   * ObpValidateDesiredAccess: bits no type ever grants (21-23, 26-27) and MAXIMUM_ALLOWED,
   * refused when a duplicate asks for new access.
   */
  private static final int INVALID_DUPLICATE_ACCESS = 0x0EE00000;
  /** Handle attributes a handle entry keeps. */
  private static final int HANDLE_ATTRIBUTES = ObjectAttributes.OBJ_INHERIT;

  private static final int OBJECT_DIRECTORY_SIZE = 0xA8;
  private static final int OBJECT_SYMBOLIC_LINK_SIZE = 0x20;
  private static final int OBJECT_TYPE_SIZE = 0x90;

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

  /**
   * What a call that makes a handle returned: its status and, when the status is a success
   * (STATUS_OBJECT_NAME_EXISTS included), the new handle; else handle 0.
   */
  public record HandleResult(int status, long handle) {
    public boolean ok() {
      return NtStatus.isSuccess(status);
    }

    static HandleResult failed(int status) {
      return new HandleResult(status, 0);
    }
  }

  /** What SeAccessCheck decided: a status and, on success, the access granted. */
  public record Grant(int status, int access) {
    public boolean ok() {
      return status == NtStatus.STATUS_SUCCESS;
    }
  }

  /**
   * The objects the pseudo handles stand for in the process a handle is looked up in:
   * NtCurrentProcess (-1) is that process, NtCurrentThread (-2) the calling thread. Returns null
   * for a value that is no pseudo handle.
   */
  @FunctionalInterface
  public interface PseudoHandles {
    ObjectHeader resolve(long handle);
  }

  private static final Reference INVALID = new Reference(NtStatus.STATUS_INVALID_HANDLE, null);
  private static final Reference MISMATCH =
      new Reference(NtStatus.STATUS_OBJECT_TYPE_MISMATCH, null);
  private static final Reference DENIED = new Reference(NtStatus.STATUS_ACCESS_DENIED, null);

  public final ObjectType typeType = new ObjectType("Type", GenericMapping.OBJECT_TYPE,
      AccessMask.OBJECT_TYPE_ALL_ACCESS, false, PoolType.NonPagedPool, PoolTag.of("ObjT"));
  public final ObjectType directoryType = new ObjectType("Directory", GenericMapping.DIRECTORY,
      AccessMask.DIRECTORY_ALL_ACCESS, true, PoolType.PagedPool, ObjectType.keyOf("Directory"));
  public final ObjectType symbolicLinkType = new ObjectType("SymbolicLink",
      GenericMapping.SYMBOLIC_LINK, AccessMask.SYMBOLIC_LINK_ALL_ACCESS, true,
      PoolType.PagedPool, ObjectType.keyOf("SymbolicLink"));

  private final Pool pool;
  private final NameLookup names = new NameLookup(this);
  private final ObjectDirectory root;
  private final ObjectDirectory objectTypes;
  private final ObjectDirectory baseNamedObjects;

  /**
   * ObInitSystem: the types of the namespace's own objects and the standard directories, their
   * bodies allocated from {@code pool}.
   */
  public ObjectManager(Pool pool) {
    this.pool = pool;
    root = new ObjectDirectory();
    root.header = allocate(directoryType, root,
        allocateObjectBody(directoryType, OBJECT_DIRECTORY_SIZE, true), null);
    root.header.name = ROOT_NAME;
    root.header.permanent = true;
    objectTypes = new ObjectDirectory();
    objectTypes.header = allocate(directoryType, objectTypes,
        allocateObjectBody(directoryType, OBJECT_DIRECTORY_SIZE, true), null);
    enterPermanent(root, "ObjectTypes", objectTypes.header);
    registerType(typeType);
    registerType(directoryType);
    registerType(symbolicLinkType);
    baseNamedObjects = permanentDirectory(root, "BaseNamedObjects");
    permanentDirectory(root, "Device");
    permanentDirectory(root, "Driver");
    permanentLink(baseNamedObjects, "Global", BASE_NAMED_OBJECTS);
    permanentLink(baseNamedObjects, "Local", BASE_NAMED_OBJECTS);
  }

  // ------------------------------------------------------------------ types and objects

  /** ObCreateObjectType: a type, entered in \ObjectTypes. */
  public ObjectType createObjectType(String name, GenericMapping mapping, int validAccessMask,
      boolean caseInsensitive) {
    ObjectType type = new ObjectType(name, mapping, validAccessMask, caseInsensitive);
    registerType(type);
    return type;
  }

  /**
   * Enters a type made elsewhere in \ObjectTypes (done by the first {@link #createObject} of the
   * type otherwise). A second, different type of the same name is a kernel bug, as
   * ObCreateObjectType's STATUS_OBJECT_NAME_COLLISION would be.
   */
  public void registerType(ObjectType type) {
    ObjectHeader existing = objectTypes.lookup(type.name, false);
    if (existing != null) {
      if (existing.body != type) {
        throw new IllegalStateException("a second object type named " + type.name);
      }
      return;
    }
    ObjectHeader h = allocate(typeType, type, allocateObjectBody(typeType, OBJECT_TYPE_SIZE, true),
        null);
    enterPermanent(objectTypes, type.name, h);
  }

  /** The type registered under {@code name} in \ObjectTypes, or null. */
  public ObjectType objectType(String name) {
    ObjectHeader h = objectTypes.lookup(name, false);
    return h == null ? null : (ObjectType) h.body;
  }

  /**
   * ObpAllocateObject: a block of {@code type}'s pool for an object whose body is
   * {@code bodySizeBytes}, with room before the body for the OBJECT_HEADER and, when the object
   * is to be created with a name, its OBJECT_HEADER_NAME_INFO; tagged with the type's key and
   * PROTECTED_POOL. Returns the body's address, for the body's constructor and then
   * {@link #createObject}; 0 when the pool has no room.
   */
  public long allocateObjectBody(ObjectType type, int bodySizeBytes, boolean named) {
    int optional = named ? ObjectHeader.NAME_INFO_BYTES : 0;
    long block = pool.allocatePoolWithTag(type.poolType,
        optional + ObjectHeader.BYTES + (long) bodySizeBytes, objectTag(type));
    return block == 0 ? 0 : block + optional + ObjectHeader.BYTES;
  }

  /**
   * ObCreateObject: a header with one pointer reference held by the creator. A body placed by
   * {@link #allocateObjectBody} goes back to the pool with the object; one whose address came
   * from elsewhere (a static address) does not.
   */
  public ObjectHeader createObject(ObjectType type, Object body, long bodyAddress,
      Runnable deleteProcedure) {
    registerType(type);
    ObjectHeader h = allocate(type, body, bodyAddress, deleteProcedure);
    if (body instanceof DispatcherObject d) {
      d.objectHeader = h;
    }
    return h;
  }

  private ObjectHeader allocate(ObjectType type, Object body, long bodyAddress,
      Runnable deleteProcedure) {
    ObjectHeader h = new ObjectHeader(type, body, bodyAddress);
    h.pointerCount = 1;
    h.deleteProcedure = deleteProcedure;
    h.poolBlock = objectBlock(type, bodyAddress);
    type.objectCreated();
    return h;
  }

  private static int objectTag(ObjectType type) {
    return type.poolTag | PoolTag.PROTECTED_POOL;
  }

  /**
   * The pool block {@link #allocateObjectBody} made for a body at {@code bodyAddress}, or 0: the
   * block starts right before the OBJECT_HEADER, or before the name information in front of it,
   * and carries the type's protected tag. (No block can start inside another, so at most one of
   * the two places holds one.)
   */
  private long objectBlock(ObjectType type, long bodyAddress) {
    long plain = bodyAddress - ObjectHeader.BYTES;
    if (pool.allocationTag(plain) == objectTag(type)) {
      return plain;
    }
    long named = plain - ObjectHeader.NAME_INFO_BYTES;
    return pool.allocationTag(named) == objectTag(type) ? named : 0;
  }

  /**
   * ObCreateObject for a Directory: an empty directory, not yet in the namespace; {@code named}
   * when it is to be inserted under a name (its block then has room for the name information).
   */
  public ObjectHeader createDirectoryObject(boolean named) {
    ObjectDirectory directory = new ObjectDirectory();
    directory.header = createObject(directoryType, directory,
        allocateObjectBody(directoryType, OBJECT_DIRECTORY_SIZE, named), null);
    return directory.header;
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

  /** ObDereferenceObject: the last reference deletes the object and frees its pool block. */
  public void dereference(ObjectHeader h) {
    if (h.pointerCount <= 0) {
      throw new IllegalStateException("dereference of a " + h.type.name + " with no references");
    }
    if (--h.pointerCount == 0) {
      if (h.directory != null) {
        deleteName(h);
      }
      h.deleted = true;
      h.type.objectDeleted();
      if (h.deleteProcedure != null) {
        h.deleteProcedure.run();
      }
      if (h.poolBlock != 0) {
        pool.freePoolWithTag(h.poolBlock, objectTag(h.type));
      }
    }
  }

  // ------------------------------------------------------------------ the namespace

  /** The root directory, "\". */
  public ObjectDirectory rootDirectory() {
    return root;
  }

  /** \BaseNamedObjects, where Win32 names live. */
  public ObjectDirectory baseNamedObjects() {
    return baseNamedObjects;
  }

  /** \ObjectTypes. */
  public ObjectDirectory objectTypesDirectory() {
    return objectTypes;
  }

  /**
   * ObReferenceObjectByName from kernel mode, without taking a reference: the object an absolute
   * path names (links followed, names compared case-insensitively), or null.
   */
  public ObjectHeader lookupPath(String absolutePath) {
    NameLookup.Result r = names.lookup(new HandleTable(),
        ObjectAttributes.named(absolutePath, ObjectAttributes.OBJ_CASE_INSENSITIVE), null, false);
    return r.ok() ? r.object() : null;
  }

  private ObjectDirectory permanentDirectory(ObjectDirectory parent, String name) {
    ObjectDirectory directory = new ObjectDirectory();
    directory.header = allocate(directoryType, directory,
        allocateObjectBody(directoryType, OBJECT_DIRECTORY_SIZE, true), null);
    enterPermanent(parent, name, directory.header);
    return directory;
  }

  private void permanentLink(ObjectDirectory parent, String name, String target) {
    ObjectHeader link = allocate(symbolicLinkType, new SymbolicLink(target),
        allocateObjectBody(symbolicLinkType, OBJECT_SYMBOLIC_LINK_SIZE, true), null);
    enterPermanent(parent, name, link);
  }

  /** A system object entered for good: its creator's reference is never dropped. */
  private void enterPermanent(ObjectDirectory parent, String name, ObjectHeader object) {
    object.permanent = true;
    enterName(parent, name, object);
  }

  /** ObpInsertDirectoryEntry; the entry references the directory (not the object). */
  private void enterName(ObjectDirectory directory, String component, ObjectHeader object) {
    directory.insert(component, object);
    reference(directory.header);
  }

  /** ObpDeleteNameCheck: the name leaves its directory, which loses the entry's reference. */
  private void deleteName(ObjectHeader h) {
    ObjectDirectory directory = h.directory;
    directory.remove(h);
    dereference(directory.header);
  }

  // ------------------------------------------------------------------ handles

  /**
   * ObOpenObjectByPointer from kernel mode, as the creator of a thread or process gets its
   * handle: a handle in {@code table} granting {@code access} (generic rights mapped, kept
   * within the type's valid mask, no access check); takes a reference.
   */
  public long insertHandle(HandleTable table, ObjectHeader h, int access) {
    return insertHandle(table, h, access, 0);
  }

  /** {@link #insertHandle(HandleTable, ObjectHeader, int)} with handle attributes (OBJ_INHERIT). */
  public long insertHandle(HandleTable table, ObjectHeader h, int access, int handleAttributes) {
    int granted = h.type.genericMapping.map(access) & h.type.validAccessMask;
    return createHandle(table, h, granted, handleAttributes);
  }

  /** ObpCreateHandle: the entry, with a new reference and a handle count for the object. */
  private long createHandle(HandleTable table, ObjectHeader h, int grantedAccess,
      int handleAttributes) {
    countHandle(h);
    return table.insert(h, grantedAccess, handleAttributes & HANDLE_ATTRIBUTES);
  }

  /** ObpIncrementHandleCount: the reference and the count a handle holds, before its entry. */
  private void countHandle(ObjectHeader h) {
    reference(h);
    h.handleCount++;
    h.type.handleOpened();
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

  /** NtClose: removes the handle and drops its reference; a last handle may take the name. */
  public int close(HandleTable table, long handle) {
    ObjectHeader h = table.remove(handle);
    if (h == null) {
      return NtStatus.STATUS_INVALID_HANDLE;
    }
    h.handleCount--;
    h.type.handleClosed();
    if (h.handleCount == 0 && !h.permanent && h.directory != null) {
      deleteName(h);
    }
    dereference(h);
    return NtStatus.STATUS_SUCCESS;
  }

  /**
   * ObKillProcess: closes every handle of a table (lowest first) at process exit; the table then
   * takes no more.
   */
  public void closeAll(HandleTable table) {
    for (long handle : table.handles()) {
      close(table, handle);
    }
    table.markRundown();
  }

  // ------------------------------------------------------------------ names

  /**
   * ObInsertObject: gives the creator of {@code object} (made by {@link #createObject}) a handle
   * in {@code table}, entering the object under {@code attributes}' name if it has one. Consumes
   * the creator's reference: on failure, and when an existing object is opened instead, the new
   * object is dereferenced (and so deleted).
   *
   * <p>A null or empty name makes an unnamed object (its RootDirectory is then ignored; a null
   * name with a RootDirectory is STATUS_OBJECT_NAME_INVALID). An existing name gives
   * STATUS_OBJECT_TYPE_MISMATCH if the object there is of another type (Vista's result),
   * STATUS_OBJECT_NAME_COLLISION without OBJ_OPENIF, and with it a handle to the existing object
   * and STATUS_OBJECT_NAME_EXISTS, after the access check of an open.
   */
  public HandleResult insertObject(HandleTable table, ObjectHeader object,
      ObjectAttributes attributes, int desiredAccess) {
    int status = checkInsert(attributes, desiredAccess);
    if (status != NtStatus.STATUS_SUCCESS) {
      dereference(object);
      return HandleResult.failed(status);
    }
    int handleAttributes = attributes == null ? 0 : attributes.Attributes();
    String name = attributes == null ? null : attributes.ObjectName();
    if (name != null && !name.isEmpty()) {
      NameLookup.Result r = names.lookup(table, attributes, object.type, true);
      if (!r.ok()) {
        dereference(object);
        return HandleResult.failed(r.status());
      }
      if (r.object() != null) {
        return openExisting(table, object, r.object(), attributes, desiredAccess);
      }
      if (r.directory() == objectTypes) { // the kernel's: only ObCreateObjectType enters names
        dereference(object);
        return HandleResult.failed(NtStatus.STATUS_ACCESS_DENIED);
      }
      enterName(r.directory(), r.component(), object);
    }
    long handle = createHandle(table, object, grantedOnCreate(object.type, desiredAccess),
        handleAttributes);
    dereference(object);
    return new HandleResult(NtStatus.STATUS_SUCCESS, handle);
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
      ObjectHeader existing, ObjectAttributes attributes, int desiredAccess) {
    HandleResult result;
    if (existing.type != object.type) {
      result = HandleResult.failed(NtStatus.STATUS_OBJECT_TYPE_MISMATCH);
    } else if (!attributes.has(ObjectAttributes.OBJ_OPENIF)) {
      result = HandleResult.failed(ObStatus.STATUS_OBJECT_NAME_COLLISION);
    } else {
      Grant grant = accessCheck(existing.type, desiredAccess);
      result = grant.ok()
          ? new HandleResult(ObStatus.STATUS_OBJECT_NAME_EXISTS,
              createHandle(table, existing, grant.access(), attributes.Attributes()))
          : HandleResult.failed(grant.status());
    }
    dereference(object);
    return result;
  }

  /**
   * ObOpenObjectByName: a handle in {@code table} to the object {@code attributes} names, which
   * must be of {@code type} (null: any), granted {@code desiredAccess} by {@link #accessCheck}.
   * A null name is STATUS_OBJECT_NAME_INVALID with a RootDirectory, else
   * STATUS_OBJECT_PATH_SYNTAX_BAD; null attributes are STATUS_INVALID_PARAMETER.
   */
  public HandleResult openObjectByName(HandleTable table, ObjectAttributes attributes,
      ObjectType type, int desiredAccess) {
    if (attributes == null
        || (attributes.Attributes() & ~ObjectAttributes.OBJ_VALID_ATTRIBUTES) != 0) {
      return HandleResult.failed(NtStatus.STATUS_INVALID_PARAMETER);
    }
    if (attributes.ObjectName() == null) {
      return HandleResult.failed(attributes.RootDirectory() != 0
          ? ObStatus.STATUS_OBJECT_NAME_INVALID : ObStatus.STATUS_OBJECT_PATH_SYNTAX_BAD);
    }
    NameLookup.Result r = names.lookup(table, attributes, type, false);
    if (!r.ok()) {
      return HandleResult.failed(r.status());
    }
    return open(table, r.object(), attributes.Attributes(), desiredAccess);
  }

  /**
   * ObOpenObjectByPointer from user mode, as NtOpenProcess and NtOpenThread use it: a handle in
   * {@code table} to {@code object}, which must be of {@code type} (null: any), granted
   * {@code desiredAccess} by {@link #accessCheck}.
   */
  public HandleResult openObjectByPointer(HandleTable table, ObjectHeader object,
      int handleAttributes, int desiredAccess, ObjectType type) {
    if (type != null && object.type != type) {
      return HandleResult.failed(NtStatus.STATUS_OBJECT_TYPE_MISMATCH);
    }
    return open(table, object, handleAttributes, desiredAccess);
  }

  private HandleResult open(HandleTable table, ObjectHeader object, int handleAttributes,
      int desiredAccess) {
    Grant grant = accessCheck(object.type, desiredAccess);
    if (!grant.ok()) {
      return HandleResult.failed(grant.status());
    }
    return new HandleResult(NtStatus.STATUS_SUCCESS,
        createHandle(table, object, grant.access(), handleAttributes));
  }

  // ------------------------------------------------------------------ access

  /**
   * What the creator of a new object is granted (ObpIncrementUnnamedHandleCount and
   * ObpCreateHandle): MAXIMUM_ALLOWED stands for GENERIC_ALL, generic rights are mapped, and
   * what is outside the type's valid mask is dropped. No check: a creator may ask for nothing.
   */
  public static int grantedOnCreate(ObjectType type, int desiredAccess) {
    int desired = desiredAccess;
    if ((desired & MAXIMUM_ALLOWED) != 0) {
      desired = (desired & ~MAXIMUM_ALLOWED) | GENERIC_ALL;
    }
    return type.genericMapping.map(desired) & type.validAccessMask;
  }

  /**
   * SeAccessCheck as opening an existing object meets it. ntsim has no security descriptors:
   * every object behaves as if it had the default DACL Windows gives a user's objects, granting
   * that user GENERIC_ALL, and every caller is that user. So, as Wine's tests record on Windows
   * (dlls/kernel32/tests/sync.c, test_mutex): ACCESS_SYSTEM_SECURITY is
   * STATUS_PRIVILEGE_NOT_HELD (no SeSecurityPrivilege); a right outside the type's valid mask,
   * or no right at all, is STATUS_ACCESS_DENIED; MAXIMUM_ALLOWED grants every valid right;
   * otherwise the mapped rights asked for are granted.
   */
  public static Grant accessCheck(ObjectType type, int desiredAccess) {
    if ((desiredAccess & ACCESS_SYSTEM_SECURITY) != 0) {
      return new Grant(ObStatus.STATUS_PRIVILEGE_NOT_HELD, 0);
    }
    int mapped = type.genericMapping.map(desiredAccess & ~MAXIMUM_ALLOWED);
    if ((mapped & ~type.validAccessMask) != 0) {
      return new Grant(NtStatus.STATUS_ACCESS_DENIED, 0);
    }
    int granted = (desiredAccess & MAXIMUM_ALLOWED) != 0 ? mapped | type.validAccessMask : mapped;
    if (granted == 0) {
      return new Grant(NtStatus.STATUS_ACCESS_DENIED, 0);
    }
    return new Grant(NtStatus.STATUS_SUCCESS, granted);
  }

  // ------------------------------------------------------------------ duplication

  /**
   * ObDuplicateObject: a handle in {@code targetTable} to the object {@code sourceHandle} refers
   * to in {@code sourceTable} (pseudo handles resolved by {@code pseudo}, with full access).
   *
   * <p>As the Windows Research Kernel has it: unless DUPLICATE_SAME_ACCESS, a desired access
   * with reserved bits or MAXIMUM_ALLOWED is STATUS_ACCESS_DENIED before anything else; a bad
   * source handle is STATUS_INVALID_HANDLE; with no target table only DUPLICATE_CLOSE_SOURCE
   * makes sense (else STATUS_INVALID_PARAMETER) and the source is closed; a run-down table is
   * STATUS_PROCESS_IS_TERMINATING. The new access is the source's (DUPLICATE_SAME_ACCESS) or the
   * desired access mapped and kept within the valid mask; more than the source had is checked
   * like an open. DUPLICATE_CLOSE_SOURCE closes the source before the new handle is made, so
   * that the new handle reuses its value in the same table, and even when that check fails.
   */
  public HandleResult duplicateObject(HandleTable sourceTable, long sourceHandle,
      HandleTable targetTable, int desiredAccess, int handleAttributes, int options,
      PseudoHandles pseudo) {
    boolean sameAccess = (options & DUPLICATE_SAME_ACCESS) != 0;
    if (!sameAccess && (desiredAccess & INVALID_DUPLICATE_ACCESS) != 0) {
      return HandleResult.failed(NtStatus.STATUS_ACCESS_DENIED);
    }
    if (sourceTable.isRundown()) {
      return HandleResult.failed(NtStatus.STATUS_PROCESS_IS_TERMINATING);
    }
    boolean pseudoHandle = sourceHandle < 0;
    ObjectHeader object = pseudoHandle ? (pseudo == null ? null : pseudo.resolve(sourceHandle))
        : sourceTable.lookup(sourceHandle);
    if (object == null) {
      return HandleResult.failed(NtStatus.STATUS_INVALID_HANDLE);
    }
    int sourceAccess = pseudoHandle ? object.type.allAccess
        : sourceTable.grantedAccess(sourceHandle);
    int sourceAttributes = pseudoHandle ? 0 : sourceTable.attributes(sourceHandle);
    reference(object);
    try {
      int status = NtStatus.STATUS_SUCCESS;
      int targetAccess = 0;
      if (targetTable == null) {
        status = (options & DUPLICATE_CLOSE_SOURCE) != 0 ? NtStatus.STATUS_SUCCESS
            : NtStatus.STATUS_INVALID_PARAMETER;
      } else if (targetTable.isRundown()) {
        status = NtStatus.STATUS_PROCESS_IS_TERMINATING;
      } else {
        int desired = object.type.genericMapping.map(sameAccess ? sourceAccess : desiredAccess);
        targetAccess = desired & (object.type.validAccessMask | ACCESS_SYSTEM_SECURITY);
        if ((targetAccess & ~sourceAccess) != 0) {
          status = accessCheck(object.type, targetAccess).status();
        }
      }
      boolean counted = status == NtStatus.STATUS_SUCCESS && targetTable != null;
      if (counted) {
        countHandle(object); // before the source closes, so the count never passes zero
      }
      if ((options & DUPLICATE_CLOSE_SOURCE) != 0) {
        close(sourceTable, sourceHandle);
      }
      if (!counted) {
        return HandleResult.failed(status);
      }
      int attributes = (options & DUPLICATE_SAME_ATTRIBUTES) != 0 ? sourceAttributes
          : handleAttributes;
      return new HandleResult(NtStatus.STATUS_SUCCESS,
          targetTable.insert(object, targetAccess, attributes & HANDLE_ATTRIBUTES));
    } finally {
      dereference(object);
    }
  }

  // ------------------------------------------------------------------ checks

  /**
   * Checks the namespace's invariants from the root: every entry names a live object whose
   * directory is the one holding it, and a temporary entry's object has a handle. Throws
   * IllegalStateException naming the first entry that breaks one.
   */
  public void verifyNamespace() {
    ObjectVerifier.namespace(root);
  }

  /**
   * Checks every handle in {@code tables} (which must be every table in use) against its
   * object's counts; see {@link ObjectVerifier}.
   */
  public void verifyHandleCounts(Iterable<HandleTable> tables) {
    ObjectVerifier.handleCounts(tables);
  }
}
