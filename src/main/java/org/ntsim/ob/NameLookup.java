package org.ntsim.ob;

import org.ntsim.ke.NtStatus;

/**
 * ObpLookupObjectName: finds the object a name refers to, or, for an insertion, the directory
 * and last component under which a new object goes. Walks directories component by component
 * from the root (absolute names) or from the object a RootDirectory handle refers to. An object
 * reached whose type has a parse procedure is handed the rest of the name (empty when the name
 * ends at it), except while inserting, when only the symbolic link's is called, as NT does: the
 * procedure returns the object it found in its own namespace, or STATUS_REPARSE and a new name to
 * start again from the root (a symbolic link's target followed by the rest,
 * {@link SymbolicLink#parse}), or a failure.
 *
 * <p>The statuses are those Wine's conformance tests (dlls/ntdll/tests/om.c) record on Windows:
 * <ul>
 *   <li>no root and no leading backslash, or a root and a leading backslash:
 *       STATUS_OBJECT_PATH_SYNTAX_BAD;
 *   <li>an empty component (doubled or trailing backslash): STATUS_OBJECT_NAME_INVALID;
 *   <li>a missing component before the last: STATUS_OBJECT_PATH_NOT_FOUND; a missing last one:
 *       STATUS_OBJECT_NAME_NOT_FOUND;
 *   <li>a path through an object that is neither a directory nor has a parse procedure, a root
 *       handle to such an object, or an object of another type than wanted:
 *       STATUS_OBJECT_TYPE_MISMATCH.
 * </ul>
 * Names compare case-insensitively when the caller passes OBJ_CASE_INSENSITIVE or the wanted
 * type says so (Directory, SymbolicLink), else exactly: Win32 names are case-sensitive.
 *
 * <p>Left out: traverse access checks, device maps (\??), and STATUS_REPARSE_OBJECT.
 */
final class NameLookup {
  /** A bound on reparses, so that a loop of links ends (ReactOS allows 30). */
  static final int MAX_REPARSE = 30;

  /**
   * What a lookup found: a failure status; or an object, {@code referenced} when a parse
   * procedure found it (its caller then owns one reference); or, for an insertion, the directory
   * and component the name is free under ({@code object} null).
   */
  record Result(int status, ObjectHeader object, boolean referenced, ObjectDirectory directory,
      String component) {
    static Result failed(int status) {
      return new Result(status, null, false, null, null);
    }

    static Result found(ObjectHeader object, boolean referenced) {
      return new Result(NtStatus.STATUS_SUCCESS, object, referenced, null, null);
    }

    static Result free(ObjectDirectory directory, String component) {
      return new Result(NtStatus.STATUS_SUCCESS, null, false, directory, component);
    }

    boolean ok() {
      return status == NtStatus.STATUS_SUCCESS;
    }
  }

  /** What a parse procedure is told besides the object and the name: the caller's request. */
  record Request(int desiredAccess, int accessMode, Object parseContext) {}

  private final ObjectManager ob;

  NameLookup(ObjectManager ob) {
    this.ob = ob;
  }

  /**
   * Looks up {@code attributes}' name (not null; not empty when inserting). {@code type} is the
   * type wanted (null: any); when {@code inserting}, an object found under the name is returned
   * whatever its type, and a free name is reported instead of STATUS_OBJECT_NAME_NOT_FOUND.
   * {@code table} is the caller's, for a RootDirectory handle.
   */
  Result lookup(HandleTable table, ObjectAttributes attributes, ObjectType type,
      boolean inserting, Request request) {
    String name = attributes.ObjectName();
    Walk walk = new Walk(type, inserting, attributes.has(ObjectAttributes.OBJ_CASE_INSENSITIVE)
        || type == null || type.caseInsensitive, attributes.Attributes(), request, name);
    if (attributes.RootDirectory() == 0) {
      if (!name.startsWith("\\")) {
        return Result.failed(ObStatus.STATUS_OBJECT_PATH_SYNTAX_BAD);
      }
      return walk.fromRoot(name, 0);
    }
    ObjectHeader root = ob.handleEntry(table, attributes.RootDirectory(), request.accessMode());
    if (root == null) {
      return Result.failed(NtStatus.STATUS_INVALID_HANDLE);
    }
    if (name.startsWith("\\")) {
      return Result.failed(ObStatus.STATUS_OBJECT_PATH_SYNTAX_BAD);
    }
    if (walk.parses(root)) {
      return walk.parse(root, name, 0);
    }
    if (root.type != ob.directoryType) {
      return Result.failed(NtStatus.STATUS_OBJECT_TYPE_MISMATCH);
    }
    if (name.isEmpty()) {
      return walk.arrived(root);
    }
    return walk.down((ObjectDirectory) root.body, name, 0);
  }

  /** One lookup's fixed parameters and its steps. */
  private final class Walk {
    private final ObjectType type;
    private final boolean inserting;
    private final boolean caseInsensitive;
    private final int attributes;
    private final Request request;
    private String completeName; // the name being looked up: the caller's, then each reparse's

    Walk(ObjectType type, boolean inserting, boolean caseInsensitive, int attributes,
        Request request, String completeName) {
      this.type = type;
      this.inserting = inserting;
      this.caseInsensitive = caseInsensitive;
      this.attributes = attributes;
      this.request = request;
      this.completeName = completeName;
    }

    /** An absolute name: "\" alone is the root directory itself. */
    Result fromRoot(String name, int reparses) {
      if (name.equals(ObjectManager.ROOT_NAME)) {
        return arrived(ob.rootDirectory().header());
      }
      return down(ob.rootDirectory(), name, reparses);
    }

    /** The rest of a name, component by component, from {@code directory}. */
    Result down(ObjectDirectory directory, String rest, int reparses) {
      while (true) { // each pass takes one component off the name: as many passes as components
        if (rest.startsWith("\\")) {
          rest = rest.substring(1);
        }
        int separator = rest.indexOf('\\');
        String component = separator < 0 ? rest : rest.substring(0, separator);
        rest = separator < 0 ? "" : rest.substring(separator);
        if (component.isEmpty()) {
          return Result.failed(ObStatus.STATUS_OBJECT_NAME_INVALID);
        }
        ObjectHeader object = directory.lookup(component, caseInsensitive);
        if (object == null) {
          if (!rest.isEmpty()) {
            return Result.failed(ObStatus.STATUS_OBJECT_PATH_NOT_FOUND);
          }
          return inserting ? Result.free(directory, component)
              : Result.failed(ObStatus.STATUS_OBJECT_NAME_NOT_FOUND);
        }
        if (parses(object)) {
          return parse(object, rest, reparses);
        }
        if (rest.isEmpty()) {
          return arrived(object);
        }
        if (object.type != ob.directoryType) {
          return Result.failed(NtStatus.STATUS_OBJECT_TYPE_MISMATCH);
        }
        directory = (ObjectDirectory) object.body;
      }
    }

    /** Whether the lookup hands the rest of the name to {@code object}'s parse procedure. */
    boolean parses(ObjectHeader object) {
      return object.type.parseProcedure != null
          && (!inserting || object.type == ob.symbolicLinkType);
    }

    /**
     * Calls {@code object}'s parse procedure with {@code rest}: STATUS_REPARSE starts again from
     * the root with the new name (STATUS_OBJECT_NAME_NOT_FOUND after {@link #MAX_REPARSE}); a
     * success must bring an object, which is what the name names.
     */
    Result parse(ObjectHeader object, String rest, int reparses) {
      TypeProcedures.ParseResult r = object.type.parseProcedure.parse(object.body, type,
          request.desiredAccess(), request.accessMode(), attributes, completeName, rest,
          request.parseContext());
      if (r.status() == ObStatus.STATUS_REPARSE) {
        if (reparses == MAX_REPARSE) {
          return Result.failed(ObStatus.STATUS_OBJECT_NAME_NOT_FOUND);
        }
        completeName = r.completeName();
        if (completeName == null || !completeName.startsWith("\\")) {
          return Result.failed(ObStatus.STATUS_OBJECT_PATH_SYNTAX_BAD);
        }
        return fromRoot(completeName, reparses + 1);
      }
      if (!NtStatus.isSuccess(r.status())) {
        return Result.failed(r.status());
      }
      ObjectHeader found = r.object() == null ? null : ObjectManager.headerOf(r.object());
      if (found == null) {
        return Result.failed(ObStatus.STATUS_OBJECT_NAME_NOT_FOUND);
      }
      if (!inserting && type != null && found.type != type) {
        ob.dereference(found);
        return Result.failed(NtStatus.STATUS_OBJECT_TYPE_MISMATCH);
      }
      return Result.found(found, true);
    }

    /** The name ends at {@code object}: ObReferenceObjectByPointer's type check, unless inserting. */
    Result arrived(ObjectHeader object) {
      if (!inserting && type != null && object.type != type) {
        return Result.failed(NtStatus.STATUS_OBJECT_TYPE_MISMATCH);
      }
      return Result.found(object, false);
    }
  }
}
