package org.ntsim.ob;

import static org.ntsim.ob.AccessMask.ACCESS_SYSTEM_SECURITY;
import static org.ntsim.ob.AccessMask.GENERIC_ALL;
import static org.ntsim.ob.AccessMask.MAXIMUM_ALLOWED;

import org.ntsim.ex.Pool;
import org.ntsim.ex.PoolTag;
import org.ntsim.ex.PoolType;
import org.ntsim.ke.DispatcherObject;
import org.ntsim.ke.KProcess;
import org.ntsim.ke.Kernel;
import org.ntsim.ke.NtStatus;
import org.ntsim.ob.TypeProcedures.OpenReason;

/**
 * The object manager (Ob): object types, object headers and reference counts, handle tables,
 * and the namespace (seed 004; Windows Internals, "Object Management").
 *
 * <p>Models:
 * <ul>
 *   <li>ObCreateObjectType and \ObjectTypes; ObCreateObject (a header with the creator's
 *       reference, reachable from the body: {@link #headerOf}); ObReferenceObject /
 *       ObDereferenceObject with deletion at the last reference, through the type's Delete
 *       procedure;
 *   <li>the type procedures of OBJECT_TYPE_INITIALIZER ({@link TypeProcedures}), called where NT
 *       calls them: Open when a handle is made, OkayToClose and Close when one is closed, Delete
 *       at the last dereference, Parse when a name lookup reaches an object of the type;
 *   <li>previous mode and kernel handles: each routine that takes a handle or makes one has a
 *       form with the caller's previous mode (ke's {@code Kernel.KERNEL_MODE} or
 *       {@code USER_MODE}); the older forms mean a user-mode caller. The kernel handle table
 *       (ObpKernelHandleTable) is the System process's table ({@link ObjectHandles});
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
 * objects made by callers (no caller holds SeCreatePermanentPrivilege), quotas, and handle
 * inheritance into child processes (OBJ_INHERIT is recorded only).
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
   * KERNEL_HANDLE_MASK: the bit that marks a kernel handle on x86 (0x80000000), as the handle
   * value is kept here, sign-extended to a {@code long}.
   */
  public static final long KERNEL_HANDLE_MASK = (int) 0x80000000;
  /** The pseudo handles NtCurrentProcess() and NtCurrentThread(), which are no kernel handles. */
  public static final long NT_CURRENT_PROCESS = -1;
  public static final long NT_CURRENT_THREAD = -2;

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

  public final ObjectType typeType = new ObjectType("Type", GenericMapping.OBJECT_TYPE,
      AccessMask.OBJECT_TYPE_ALL_ACCESS, false, PoolType.NonPagedPool, PoolTag.of("ObjT"));
  public final ObjectType directoryType = new ObjectType("Directory", GenericMapping.DIRECTORY,
      AccessMask.DIRECTORY_ALL_ACCESS, true, PoolType.PagedPool, ObjectType.keyOf("Directory"));
  public final ObjectType symbolicLinkType = new ObjectType("SymbolicLink",
      new ObjectTypeInitializer(GenericMapping.SYMBOLIC_LINK, AccessMask.SYMBOLIC_LINK_ALL_ACCESS)
          .caseInsensitive(true).poolType(PoolType.PagedPool)
          .parseProcedure((link, type, access, mode, attributes, complete, rest, context) ->
              SymbolicLink.parse(this, link, type, rest)));

  private final Pool pool;
  final NameLookup names = new NameLookup(this);
  final ObjectHandles handles = new ObjectHandles(this);
  private final ObjectInsertion insertion = new ObjectInsertion(this);
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
    allocate(directoryType, root, allocateObjectBody(directoryType, OBJECT_DIRECTORY_SIZE, true));
    root.header().name = ROOT_NAME;
    root.header().permanent = true;
    objectTypes = new ObjectDirectory();
    enterPermanent(root, "ObjectTypes", allocate(directoryType, objectTypes,
        allocateObjectBody(directoryType, OBJECT_DIRECTORY_SIZE, true)));
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

  /** ObCreateObjectType: a type without procedures, entered in \ObjectTypes. */
  public ObjectType createObjectType(String name, GenericMapping mapping, int validAccessMask,
      boolean caseInsensitive) {
    return createObjectType(name, new ObjectTypeInitializer(mapping, validAccessMask)
        .caseInsensitive(caseInsensitive));
  }

  /**
   * ObCreateObjectType: a type as {@code initializer} describes it, entered in \ObjectTypes now.
   * (A component that wants its type's pool block taken only when its first object is made
   * constructs the {@link ObjectType} itself; {@link #createObject} enters it then.)
   */
  public ObjectType createObjectType(String name, ObjectTypeInitializer initializer) {
    ObjectType type = new ObjectType(name, initializer);
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
    ObjectHeader h = allocate(typeType, type, allocateObjectBody(typeType, OBJECT_TYPE_SIZE, true));
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
   * ObCreateObject: a header with one pointer reference held by the creator, reachable from
   * {@code body} ({@link #headerOf}), which must be an {@link ObjectBody} or a dispatcher object.
   * A body placed by {@link #allocateObjectBody} goes back to the pool with the object; one whose
   * address came from elsewhere (a static address) does not. The type's Delete procedure runs
   * when the last reference goes.
   */
  public ObjectHeader createObject(ObjectType type, Object body, long bodyAddress) {
    if (!(body instanceof ObjectBody) && !(body instanceof DispatcherObject)) {
      throw new IllegalArgumentException("an object body is an ObjectBody or a dispatcher"
          + " object, not a " + body.getClass().getName());
    }
    registerType(type);
    return allocate(type, body, bodyAddress);
  }

  private ObjectHeader allocate(ObjectType type, Object body, long bodyAddress) {
    ObjectHeader h = new ObjectHeader(type, body, bodyAddress);
    h.pointerCount = 1;
    h.poolBlock = objectBlock(type, bodyAddress);
    if (body instanceof ObjectBody b) {
      b.objectHeader = h;
    } else if (body instanceof DispatcherObject d) {
      d.objectHeader = h;
    }
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
    return createObject(directoryType, directory,
        allocateObjectBody(directoryType, OBJECT_DIRECTORY_SIZE, named));
  }

  /**
   * OBJECT_TO_OBJECT_HEADER: the header of a body created through this manager, or null. The one
   * way from a body to its header, for both kinds of body ({@link ObjectBody}).
   */
  public static ObjectHeader headerOf(Object body) {
    if (body instanceof ObjectBody b) {
      return b.objectHeader;
    }
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

  /**
   * ObDereferenceObject: the last reference deletes the object (ObpRemoveObjectRoutine): its name
   * goes if it still has one, the type's Delete procedure runs, and its pool block is freed.
   */
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
      if (h.type.deleteProcedure != null) {
        h.type.deleteProcedure.delete(h.body);
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
    NameLookup.Result r = names.lookup(handles.kernelTable,
        ObjectAttributes.named(absolutePath, ObjectAttributes.OBJ_CASE_INSENSITIVE), null, false,
        new NameLookup.Request(0, Kernel.KERNEL_MODE, null));
    if (!r.ok()) {
      return null;
    }
    if (r.referenced()) {
      dereference(r.object());
    }
    return r.object();
  }

  /**
   * ObQueryNameString: the object's full name, from its type's QueryName procedure when it has
   * one, else its path in the namespace; null when it has none.
   */
  public String queryNameString(ObjectHeader h, int mode) {
    if (h.type.queryNameProcedure != null) {
      return h.type.queryNameProcedure.queryName(h.body, h.name != null, mode);
    }
    return h.fullName();
  }

  private ObjectDirectory permanentDirectory(ObjectDirectory parent, String name) {
    ObjectDirectory directory = new ObjectDirectory();
    enterPermanent(parent, name, allocate(directoryType, directory,
        allocateObjectBody(directoryType, OBJECT_DIRECTORY_SIZE, true)));
    return directory;
  }

  private void permanentLink(ObjectDirectory parent, String name, String target) {
    ObjectHeader link = allocate(symbolicLinkType, new SymbolicLink(target),
        allocateObjectBody(symbolicLinkType, OBJECT_SYMBOLIC_LINK_SIZE, true));
    enterPermanent(parent, name, link);
  }

  /**
   * ObInsertObject with OBJ_PERMANENT from kernel mode, without a handle, as the I/O manager
   * names its driver and device objects: enters {@code object} as the last component of
   * {@code absolutePath}, whose parent must be a directory. Keeps the caller's reference.
   * STATUS_OBJECT_PATH_NOT_FOUND without the parent, STATUS_OBJECT_NAME_COLLISION when taken.
   */
  public int insertPermanentObject(String absolutePath, ObjectHeader object) {
    int slash = absolutePath.lastIndexOf('\\');
    ObjectHeader parent = lookupPath(slash == 0 ? ROOT_NAME : absolutePath.substring(0, slash));
    if (parent == null || !(parent.body instanceof ObjectDirectory directory)) {
      return ObStatus.STATUS_OBJECT_PATH_NOT_FOUND;
    }
    String component = absolutePath.substring(slash + 1);
    if (directory.lookup(component, object.type.caseInsensitive) != null) {
      return ObStatus.STATUS_OBJECT_NAME_COLLISION;
    }
    object.permanent = true;
    enterName(directory, component, object);
    return NtStatus.STATUS_SUCCESS;
  }

  /**
   * ObMakeTemporaryObject: the object is no longer permanent; its name leaves the namespace now
   * if no handle is open, else when the last one closes.
   */
  public void makeTemporaryObject(ObjectHeader object) {
    object.permanent = false;
    if (object.handleCount == 0 && object.directory != null) {
      deleteName(object);
    }
  }

  /** A system object entered for good: its creator's reference is never dropped. */
  private void enterPermanent(ObjectDirectory parent, String name, ObjectHeader object) {
    object.permanent = true;
    enterName(parent, name, object);
  }

  /** ObpInsertDirectoryEntry; the entry references the directory (not the object). */
  void enterName(ObjectDirectory directory, String component, ObjectHeader object) {
    directory.insert(component, object);
    reference(directory.header());
  }

  /** ObpDeleteNameCheck: the name leaves its directory, which loses the entry's reference. */
  void deleteName(ObjectHeader h) {
    ObjectDirectory directory = h.directory;
    directory.remove(h);
    dereference(directory.header());
  }

  // ------------------------------------------------------------------ handles

  /**
   * ObInitProcess for the System process: its handle table is the kernel handle table
   * (ObpKernelHandleTable) that ObInitSystem made, which now belongs to {@code systemProcess}.
   */
  public HandleTable initSystemProcessHandleTable(KProcess systemProcess) {
    handles.kernelTable.setProcess(systemProcess);
    return handles.kernelTable;
  }

  /** ObpKernelHandleTable: the System process's table, where kernel handles live. */
  public HandleTable kernelHandleTable() {
    return handles.kernelTable;
  }

  /** Whether {@code handle} is a kernel handle's value (pseudo handles are not). */
  public static boolean isKernelHandle(long handle) {
    return ObjectHandles.isKernelHandle(handle, Kernel.KERNEL_MODE);
  }

  /**
   * ObSanitizeHandleAttributes: a caller's handle attributes as the object manager takes them;
   * OBJ_KERNEL_HANDLE is dropped unless {@code previousMode} is kernel mode.
   */
  public static int sanitizeHandleAttributes(int attributes, int previousMode) {
    return ObjectHandles.sanitize(attributes, previousMode);
  }

  /**
   * The entry {@code handle} names for a caller in {@code previousMode} whose process's table is
   * {@code table} (a kernel handle: the kernel table, for a kernel-mode caller), or null.
   */
  public ObjectHeader handleEntry(HandleTable table, long handle, int previousMode) {
    return handles.entry(table, handle, previousMode);
  }

  /**
   * ObOpenObjectByPointer from kernel mode, as the creator of a thread or process gets its
   * handle: a handle in {@code table} granting {@code access} (generic rights mapped, kept
   * within the type's valid mask, no access check); takes a reference.
   */
  public long insertHandle(HandleTable table, ObjectHeader h, int access) {
    return insertHandle(table, h, access, 0);
  }

  /**
   * {@link #insertHandle(HandleTable, ObjectHeader, int)} with handle attributes (OBJ_INHERIT;
   * OBJ_KERNEL_HANDLE puts it in the kernel table). 0 when the type's Open procedure refuses.
   */
  public long insertHandle(HandleTable table, ObjectHeader h, int access, int handleAttributes) {
    int granted = h.type.genericMapping.map(access) & h.type.validAccessMask;
    return handles.createHandle(OpenReason.ObOpenHandle, table, h, granted, handleAttributes,
        Kernel.KERNEL_MODE).handle();
  }

  /**
   * ObReferenceObjectByHandle from user mode: checks that {@code handle} is open in
   * {@code table}, is of {@code type} (null: any) and grants every bit of {@code desiredAccess};
   * takes a reference that the caller must drop with {@link #dereference(ObjectHeader)}.
   */
  public Reference referenceByHandle(HandleTable table, long handle, int desiredAccess,
      ObjectType type) {
    return handles.referenceByHandle(table, handle, desiredAccess, type, Kernel.USER_MODE);
  }

  /**
   * ObReferenceObjectByHandle with the caller's {@code previousMode}: as
   * {@link #referenceByHandle(HandleTable, long, int, ObjectType)}, where {@code table} is the
   * current process's; a kernel handle is looked up in the kernel table for a kernel-mode caller
   * and is STATUS_INVALID_HANDLE for a user-mode one. Pseudo handles are the caller's to resolve.
   */
  public Reference referenceByHandle(HandleTable table, long handle, int desiredAccess,
      ObjectType type, int previousMode) {
    return handles.referenceByHandle(table, handle, desiredAccess, type, previousMode);
  }

  /**
   * NtClose from user mode: the type's OkayToClose may refuse (STATUS_HANDLE_NOT_CLOSABLE);
   * else removes the handle and drops its reference; a last handle may take the name.
   */
  public int close(HandleTable table, long handle) {
    return handles.close(table, handle, Kernel.USER_MODE);
  }

  /**
   * ObCloseHandle with the caller's {@code previousMode}: a kernel handle closes in the kernel
   * table for a kernel-mode caller; from user mode it is STATUS_INVALID_HANDLE.
   */
  public int close(HandleTable table, long handle, int previousMode) {
    return handles.close(table, handle, previousMode);
  }

  /**
   * ObKillProcess: closes every handle of a table (lowest first) at process exit; the table then
   * takes no more.
   */
  public void closeAll(HandleTable table) {
    handles.closeAll(table);
  }

  // ------------------------------------------------------------------ names

  /** ObInsertObject from user mode: see the form with a previous mode. */
  public HandleResult insertObject(HandleTable table, ObjectHeader object,
      ObjectAttributes attributes, int desiredAccess) {
    return insertObject(table, object, attributes, desiredAccess, Kernel.USER_MODE);
  }

  /**
   * ObInsertObject: gives the creator of {@code object} (made by {@link #createObject}) a handle
   * in {@code table} (the current process's; the kernel table for a kernel-mode caller's
   * OBJ_KERNEL_HANDLE), entering the object under {@code attributes}' name if it has one, or
   * opening the object already there with OBJ_OPENIF (STATUS_OBJECT_NAME_EXISTS). Consumes the
   * creator's reference. The statuses are {@link ObjectInsertion#insertObject}'s.
   */
  public HandleResult insertObject(HandleTable table, ObjectHeader object,
      ObjectAttributes attributes, int desiredAccess, int previousMode) {
    return insertion.insertObject(table, object, attributes, desiredAccess, previousMode);
  }

  /** ObOpenObjectByName from user mode: see the form with a previous mode. */
  public HandleResult openObjectByName(HandleTable table, ObjectAttributes attributes,
      ObjectType type, int desiredAccess) {
    return openObjectByName(table, attributes, type, desiredAccess, Kernel.USER_MODE, null);
  }

  /**
   * ObOpenObjectByName: a handle in {@code table} (the kernel table for a kernel-mode caller's
   * OBJ_KERNEL_HANDLE) to the object {@code attributes} names, of {@code type} (null: any),
   * granted {@code desiredAccess} by {@link #accessCheck}; a parse procedure on the way is given
   * {@code parseContext}. The statuses are {@link ObjectInsertion#openObjectByName}'s.
   */
  public HandleResult openObjectByName(HandleTable table, ObjectAttributes attributes,
      ObjectType type, int desiredAccess, int previousMode, Object parseContext) {
    return insertion.openObjectByName(table, attributes, type, desiredAccess, previousMode,
        parseContext);
  }

  /** ObOpenObjectByPointer from user mode: see the form with a previous mode. */
  public HandleResult openObjectByPointer(HandleTable table, ObjectHeader object,
      int handleAttributes, int desiredAccess, ObjectType type) {
    return openObjectByPointer(table, object, handleAttributes, desiredAccess, type,
        Kernel.USER_MODE);
  }

  /**
   * ObOpenObjectByPointer, as NtOpenProcess and NtOpenThread use it: a handle in {@code table}
   * (the kernel table for a kernel-mode caller's OBJ_KERNEL_HANDLE) to {@code object}, which
   * must be of {@code type} (null: any), granted {@code desiredAccess} by {@link #accessCheck}.
   */
  public HandleResult openObjectByPointer(HandleTable table, ObjectHeader object,
      int handleAttributes, int desiredAccess, ObjectType type, int previousMode) {
    return insertion.openObjectByPointer(table, object, handleAttributes, desiredAccess, type,
        previousMode);
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

  /** ObDuplicateObject from user mode: see the form with a previous mode. */
  public HandleResult duplicateObject(HandleTable sourceTable, long sourceHandle,
      HandleTable targetTable, int desiredAccess, int handleAttributes, int options,
      PseudoHandles pseudo) {
    return duplicateObject(sourceTable, sourceHandle, targetTable, desiredAccess,
        handleAttributes, options, pseudo, Kernel.USER_MODE);
  }

  /**
   * ObDuplicateObject: a handle in {@code targetTable} to the object {@code sourceHandle} refers
   * to in {@code sourceTable} (pseudo handles resolved by {@code pseudo}, with full access; a
   * kernel handle, for a kernel-mode caller, in the kernel table).
   *
   * <p>As the Windows Research Kernel has it: unless DUPLICATE_SAME_ACCESS, a desired access
   * with reserved bits or MAXIMUM_ALLOWED is STATUS_ACCESS_DENIED before anything else; a bad
   * source handle is STATUS_INVALID_HANDLE; with no target table only DUPLICATE_CLOSE_SOURCE
   * makes sense (else STATUS_INVALID_PARAMETER) and the source is closed; a run-down table is
   * STATUS_PROCESS_IS_TERMINATING. The new access is the source's (DUPLICATE_SAME_ACCESS) or the
   * desired access mapped and kept within the valid mask; more than the source had is checked
   * like an open. DUPLICATE_CLOSE_SOURCE closes the source before the new handle is made, so
   * that the new handle reuses its value in the same table, and even when that check fails.
   * The new handle goes in the target process's table; when that is the kernel table (the
   * target is the System process) and a kernel-mode caller asked for OBJ_KERNEL_HANDLE, its
   * value carries KERNEL_HANDLE_MASK.
   */
  public HandleResult duplicateObject(HandleTable sourceTable, long sourceHandle,
      HandleTable targetTable, int desiredAccess, int handleAttributes, int options,
      PseudoHandles pseudo, int previousMode) {
    return handles.duplicateObject(sourceTable, sourceHandle, targetTable, desiredAccess,
        ObjectHandles.sanitize(handleAttributes, previousMode), options, pseudo, previousMode);
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
   * Checks every handle in {@code tables} (which must be every process's table in use) and in
   * the kernel table against its object's counts; see {@link ObjectVerifier}.
   */
  public void verifyHandleCounts(Iterable<HandleTable> tables) {
    java.util.List<HandleTable> all = new java.util.ArrayList<>();
    boolean kernelTableListed = false;
    for (HandleTable table : tables) {
      all.add(table);
      kernelTableListed |= table == handles.kernelTable;
    }
    if (!kernelTableListed) {
      all.add(handles.kernelTable);
    }
    ObjectVerifier.handleCounts(all);
  }
}
