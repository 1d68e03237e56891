package org.ntsim.ob;

import org.ntsim.ex.PoolTag;
import org.ntsim.ex.PoolType;

/**
 * OBJECT_TYPE: a kind of executive object (Process, Thread, Event, Directory, ...) with what its
 * OBJECT_TYPE_INITIALIZER says about access and names: the GENERIC_MAPPING, the valid access
 * mask (no handle to an object of the type is ever granted a right outside it), and whether
 * names of its objects compare case-insensitively when the caller does not ask for it (NT's
 * CaseInsensitive flag, which applies because ObpCaseInsensitive is on by default).
 *
 * <p>The object manager enters each type in \ObjectTypes, under its name, when the first object
 * of the type is created or the type is registered ({@link ObjectManager#registerType}).
 *
 * <p>Objects of the type live in its pool ({@code poolType}, non-paged unless the type says
 * otherwise) under its key ({@code poolTag}): as ObCreateObjectType does, the first four
 * characters of the type's name, padded with spaces ("Even", "Proc", "Thre", "Dire").
 *
 * <p>Left out: the type's procedures other than delete (open, close, parse, security, okay to
 * close), and quotas.
 */
public final class ObjectType {
  public final String name;
  public final GenericMapping genericMapping;
  public final int validAccessMask;
  public final boolean caseInsensitive;
  /** What GENERIC_ALL maps to: every right a handle to this type can have. */
  public final int allAccess;
  /** The pool the type's objects are allocated from. */
  public final PoolType poolType;
  /** The type's key: the tag its objects' pool blocks carry (without PROTECTED_POOL). */
  public final int poolTag;
  private long objectCount;
  private long handleCount;
  private long highWaterObjects;
  private long highWaterHandles;

  public ObjectType(String name, GenericMapping genericMapping, int validAccessMask,
      boolean caseInsensitive, PoolType poolType, int poolTag) {
    this.name = name;
    this.genericMapping = genericMapping;
    this.validAccessMask = validAccessMask;
    this.caseInsensitive = caseInsensitive;
    this.allAccess = genericMapping.genericAll();
    this.poolType = poolType;
    this.poolTag = poolTag;
  }

  /** A type of non-paged objects keyed by the first four characters of its name. */
  public ObjectType(String name, GenericMapping genericMapping, int validAccessMask,
      boolean caseInsensitive) {
    this(name, genericMapping, validAccessMask, caseInsensitive, PoolType.NonPagedPool,
        keyOf(name));
  }

  /** A type whose names compare as the caller asks (case-sensitively by default). */
  public ObjectType(String name, GenericMapping genericMapping, int validAccessMask) {
    this(name, genericMapping, validAccessMask, false);
  }

  /**
   * A type whose valid access is {@code allAccess}, with NT's generic mapping when {@code name}
   * is one of NT's standard types ({@link GenericMapping#forStandardType}).
   */
  public ObjectType(String name, int allAccess) {
    this(name, GenericMapping.forStandardType(name, allAccess), allAccess, false);
  }

  /** ObCreateObjectType's key: the name's first four characters, padded with spaces. */
  public static int keyOf(String name) {
    return PoolTag.of(name.length() > 4 ? name.substring(0, 4) : name);
  }

  public long objectCount() {
    return objectCount;
  }

  public long handleCount() {
    return handleCount;
  }

  /** The most objects of this type that existed at once (TotalNumberOfObjects' high water). */
  public long highWaterObjects() {
    return highWaterObjects;
  }

  public long highWaterHandles() {
    return highWaterHandles;
  }

  void objectCreated() {
    highWaterObjects = Math.max(highWaterObjects, ++objectCount);
  }

  void objectDeleted() {
    objectCount--;
  }

  void handleOpened() {
    highWaterHandles = Math.max(highWaterHandles, ++handleCount);
  }

  void handleClosed() {
    handleCount--;
  }

  @Override
  public String toString() {
    return name;
  }
}
