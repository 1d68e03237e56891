package org.ntsim.ob;

/**
 * OBJECT_TYPE: a kind of executive object (Process, Thread, Event, ...) with the access mask that
 * a handle to it may be granted in full.
 */
public final class ObjectType {
  public final String name;
  public final int allAccess;
  private long objectCount;
  private long handleCount;

  public ObjectType(String name, int allAccess) {
    this.name = name;
    this.allAccess = allAccess;
  }

  public long objectCount() {
    return objectCount;
  }

  public long handleCount() {
    return handleCount;
  }

  void objectCreated() {
    objectCount++;
  }

  void objectDeleted() {
    objectCount--;
  }

  void handleOpened() {
    handleCount++;
  }

  void handleClosed() {
    handleCount--;
  }

  @Override
  public String toString() {
    return name;
  }
}
