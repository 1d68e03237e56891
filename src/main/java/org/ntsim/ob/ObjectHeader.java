package org.ntsim.ob;

/**
 * OBJECT_HEADER: what the object manager keeps in front of every object body: its type, pointer
 * and handle counts, and an optional name.
 *
 * <p>Invariants: pointerCount counts every reference, handles included (NT's convention), so
 * pointerCount >= handleCount >= 0; when pointerCount reaches zero the type's delete procedure
 * runs once and the header is dead.
 */
public final class ObjectHeader {
  public final ObjectType type;
  public final Object body;
  public final long bodyAddress;
  long pointerCount;
  long handleCount;
  String name;
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

  public String name() {
    return name;
  }

  public boolean isDeleted() {
    return deleted;
  }

  /** Address of the header itself: 0x18 bytes before the body on x86. */
  public long headerAddress() {
    return bodyAddress - 0x18;
  }
}
