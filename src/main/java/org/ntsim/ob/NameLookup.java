package org.ntsim.ob;

import org.ntsim.ke.NtStatus;

/**
 * ObpLookupObjectName: finds the object a name refers to, or, for an insertion, the directory
 * and last component under which a new object goes. Walks directories component by component
 * from the root (absolute names) or from the object a RootDirectory handle refers to, and
 * follows symbolic links by starting again from the root with the link's target in place of the
 * name up to the link (STATUS_REPARSE).
 *
 * <p>The statuses are those Wine's conformance tests (dlls/ntdll/tests/om.c) record on Windows:
 * <ul>
 *   <li>no root and no leading backslash, or a root and a leading backslash:
 *       STATUS_OBJECT_PATH_SYNTAX_BAD;
 *   <li>an empty component (doubled or trailing backslash): STATUS_OBJECT_NAME_INVALID;
 *   <li>a missing component before the last: STATUS_OBJECT_PATH_NOT_FOUND; a missing last one:
 *       STATUS_OBJECT_NAME_NOT_FOUND;
 *   <li>a path through an object that is neither a directory nor a link, a root handle to such
 *       an object, or an object of another type than wanted: STATUS_OBJECT_TYPE_MISMATCH.
 * </ul>
 * Names compare case-insensitively when the caller passes OBJ_CASE_INSENSITIVE or the wanted
 * type says so (Directory, SymbolicLink), else exactly: Win32 names are case-sensitive.
 *
 * <p>Left out: traverse access checks, device maps (\??), and parse procedures other than the
 * symbolic link's.
 */
final class NameLookup {
  /** A bound on reparses, so that a loop of links ends (ReactOS allows 30). */
  static final int MAX_REPARSE = 30;

  /**
   * What a lookup found: a failure status; or an object; or, for an insertion, the directory and
   * component the name is free under ({@code object} null).
   */
  record Result(int status, ObjectHeader object, ObjectDirectory directory, String component) {
    static Result failed(int status) {
      return new Result(status, null, null, null);
    }

    static Result found(ObjectHeader object) {
      return new Result(NtStatus.STATUS_SUCCESS, object, null, null);
    }

    static Result free(ObjectDirectory directory, String component) {
      return new Result(NtStatus.STATUS_SUCCESS, null, directory, component);
    }

    boolean ok() {
      return status == NtStatus.STATUS_SUCCESS;
    }
  }

  private final ObjectManager ob;

  NameLookup(ObjectManager ob) {
    this.ob = ob;
  }

  /**
   * Looks up {@code attributes}' name (not null; not empty when inserting). {@code type} is the
   * type wanted (null: any); when {@code inserting}, an object found under the name is returned
   * whatever its type, and a free name is reported instead of STATUS_OBJECT_NAME_NOT_FOUND.
   */
  Result lookup(HandleTable table, ObjectAttributes attributes, ObjectType type,
      boolean inserting) {
    String name = attributes.ObjectName();
    Walk walk = new Walk(type, inserting, attributes.has(ObjectAttributes.OBJ_CASE_INSENSITIVE)
        || type == null || type.caseInsensitive);
    if (attributes.RootDirectory() == 0) {
      if (!name.startsWith("\\")) {
        return Result.failed(ObStatus.STATUS_OBJECT_PATH_SYNTAX_BAD);
      }
      return walk.fromRoot(name, 0);
    }
    ObjectHeader root = table.lookup(attributes.RootDirectory());
    if (root == null) {
      return Result.failed(NtStatus.STATUS_INVALID_HANDLE);
    }
    if (name.startsWith("\\")) {
      return Result.failed(ObStatus.STATUS_OBJECT_PATH_SYNTAX_BAD);
    }
    if (root.type == ob.symbolicLinkType) {
      return walk.throughLink(root, name, 0);
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

    Walk(ObjectType type, boolean inserting, boolean caseInsensitive) {
      this.type = type;
      this.inserting = inserting;
      this.caseInsensitive = caseInsensitive;
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
        if (object.type == ob.symbolicLinkType) {
          return throughLink(object, rest, reparses);
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

    /**
     * ObpParseSymbolicLink: the link itself when the name ends at it and a link is what is
     * wanted; else its target followed by {@code rest}, from the root.
     */
    Result throughLink(ObjectHeader link, String rest, int reparses) {
      if (rest.isEmpty()) {
        if (type == link.type) {
          return Result.found(link);
        }
      } else if (!rest.startsWith("\\")) {
        return Result.failed(NtStatus.STATUS_OBJECT_TYPE_MISMATCH);
      }
      if (reparses == MAX_REPARSE) {
        return Result.failed(ObStatus.STATUS_OBJECT_NAME_NOT_FOUND);
      }
      return fromRoot(((SymbolicLink) link.body).target() + rest, reparses + 1);
    }

    /** The name ends at {@code object}: ObReferenceObjectByPointer's type check, unless inserting. */
    Result arrived(ObjectHeader object) {
      if (!inserting && type != null && object.type != type) {
        return Result.failed(NtStatus.STATUS_OBJECT_TYPE_MISMATCH);
      }
      return Result.found(object);
    }
  }
}
