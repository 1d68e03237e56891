package org.ntsim.ob;

/**
 * OBJECT_HEADER: what the object manager keeps in front of every object body: its type, pointer
 * and handle counts, and, for a named object, its name and the directory that holds it
 * (OBJECT_HEADER_NAME_INFO).
 *
 * <p>Invariants: pointerCount counts every reference, handles included (NT's convention), so
 * pointerCount >= handleCount >= 0; when pointerCount reaches zero the type's delete procedure
 * runs once and the header is dead. A temporary (not permanent) named object is in its
 * directory exactly while handleCount > 0; the directory entry is not a reference to the object,
 * but it is one to the directory.
 */
public final class ObjectHeader {
  public final ObjectType type;
  public final Object body;
  public final long bodyAddress;
  long pointerCount;
  long handleCount;
  /** The last component of the object's name; kept after the name leaves the namespace. */
  String name;
  /** The directory holding the name, or null when the object is not (or no longer) named. */
  ObjectDirectory directory;
  /** OBJ_PERMANENT: the name stays when the last handle closes. */
  boolean permanent;
  boolean deleted;
  Runnable deleteProcedure;

  ObjectHeader(ObjectType type, Object body, long bodyAddress) {
    this.type = type;
    this.body = body;
    this.bodyAddress = bodyAddress;
  }

  public long pointerCount() {
    return pointerCount;
  }

  public long handleCount() {
    return handleCount;
  }

  /** The last component of the name the object was inserted with, or null if unnamed. */
  public String name() {
    return name;
  }

  /**
   * The object's full path in the namespace (ObQueryNameString), such as
   * {@code \BaseNamedObjects\Foo}; null when the object is not in the namespace.
   */
  public String fullName() {
    if (directory == null) {
      return ObjectManager.ROOT_NAME.equals(name) ? ObjectManager.ROOT_NAME : null;
    }
    String parent = directory.header().fullName();
    if (parent == null) {
      return null;
    }
    return parent.endsWith("\\") ? parent + name : parent + "\\" + name;
  }

  public boolean isPermanent() {
    return permanent;
  }

  public boolean isDeleted() {
    return deleted;
  }

  /** Address of the header itself: 0x18 bytes before the body on x86. */
  public long headerAddress() {
    return bodyAddress - 0x18;
  }

  @Override
  public String toString() {
    String path = fullName();
    return type.name + (path != null ? " " + path : "") + String.format(" @%08x", bodyAddress);
  }
}
