package org.ntsim.ob;

/**
 * OBJECT_HEADER: what the object manager keeps in front of every object body: its type, pointer
 * and handle counts, and, for a named object, its name and the directory that holds it
 * (OBJECT_HEADER_NAME_INFO).
 *
 * <p>Invariants: pointerCount counts every reference, handles included (NT's convention), so
 * pointerCount >= handleCount >= 0; when pointerCount reaches zero the type's delete procedure
 * runs once and the header is dead. The body reaches its header through
 * {@link ObjectManager#headerOf(Object)}. A temporary (not permanent) named object is in its
 * directory exactly while handleCount > 0; the directory entry is not a reference to the object,
 * but it is one to the directory.
 *
 * <p>An object made through {@link ObjectManager#allocateObjectBody} lives in one pool block:
 * POOL_HEADER, OBJECT_HEADER_NAME_INFO (0x10 bytes, for an object created with a name), this
 * header (0x18 bytes), then the body; the block goes back to the pool when the object is deleted.
 */
public final class ObjectHeader {
  /** sizeof(OBJECT_HEADER) up to its Body field on x86 Vista. */
  public static final int BYTES = 0x18;
  /** sizeof(OBJECT_HEADER_NAME_INFO) on x86. */
  public static final int NAME_INFO_BYTES = 0x10;

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
  /** The pool allocation holding the object (as the pool returned it), or 0 for none. */
  long poolBlock;

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
    return bodyAddress - BYTES;
  }

  /**
   * The address the pool returned for the object's block (its optional headers come first), or
   * 0 when the body's address did not come from {@link ObjectManager#allocateObjectBody}.
   */
  public long poolBlock() {
    return poolBlock;
  }

  @Override
  public String toString() {
    String path = fullName();
    return type.name + (path != null ? " " + path : "") + String.format(" @%08x", bodyAddress);
  }
}
