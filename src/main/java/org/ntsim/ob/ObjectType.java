package org.ntsim.ob;

import org.ntsim.ex.PoolTag;
import org.ntsim.ex.PoolType;

/**
 * OBJECT_TYPE: a kind of executive object (Process, Thread, Event, Directory, ...) with what its
 * OBJECT_TYPE_INITIALIZER says ({@link ObjectTypeInitializer}): the GENERIC_MAPPING, the valid
 * access mask (no handle to an object of the type is ever granted a right outside it), whether
 * names of its objects compare case-insensitively when the caller does not ask for it (NT's
 * CaseInsensitive flag, which applies because ObpCaseInsensitive is on by default), whether the
 * object manager counts each process's handles to its objects, the pool its objects live in, and
 * the type procedures the object manager calls ({@link TypeProcedures}; null where the type has
 * none).
 *
 * <p>A type is itself an object, of the type "Type": the object manager enters each type in
 * \ObjectTypes, under its name, when the first object of the type is created or the type is
 * registered ({@link ObjectManager#registerType}), not when the Java object is made, so that a
 * type costs its pool block only once it is used.
 *
 * <p>Objects of the type live in its pool ({@code poolType}, non-paged unless the type says
 * otherwise) under its key ({@code poolTag}): as ObCreateObjectType does, the first four
 * characters of the type's name, padded with spaces ("Even", "Proc", "Thre", "Dire").
 *
 * <p>Left out: quotas, and the type's object list (TypeList, kept only under a debug flag).
 */
public final class ObjectType extends ObjectBody {
  public final String name;
  public final GenericMapping genericMapping;
  public final int validAccessMask;
  public final boolean caseInsensitive;
  /** MaintainHandleCount: Open and Close procedures are told the process's own handle count. */
  public final boolean maintainHandleCount;
  /** What GENERIC_ALL maps to: every right a handle to this type can have. */
  public final int allAccess;
  /** The pool the type's objects are allocated from. */
  public final PoolType poolType;
  /** The type's key: the tag its objects' pool blocks carry (without PROTECTED_POOL). */
  public final int poolTag;
  public final TypeProcedures.Dump dumpProcedure;
  public final TypeProcedures.Open openProcedure;
  public final TypeProcedures.Close closeProcedure;
  public final TypeProcedures.Delete deleteProcedure;
  public final TypeProcedures.Parse parseProcedure;
  public final TypeProcedures.Security securityProcedure;
  public final TypeProcedures.QueryName queryNameProcedure;
  public final TypeProcedures.OkayToClose okayToCloseProcedure;
  /** The dispatcher object a wait on a body of this type waits on, when the body is not one. */
  public final java.util.function.Function<Object, org.ntsim.ke.DispatcherObject> defaultObject;
  private long objectCount;
  private long handleCount;
  private long highWaterObjects;
  private long highWaterHandles;

  /** A type as ObCreateObjectType makes it from an initializer, keyed by its name. */
  public ObjectType(String name, ObjectTypeInitializer initializer) {
    this(name, initializer, keyOf(name));
  }

  /** A type whose pool key is {@code poolTag} rather than its name's first characters. */
  public ObjectType(String name, ObjectTypeInitializer initializer, int poolTag) {
    this.name = name;
    this.genericMapping = initializer.genericMapping;
    this.validAccessMask = initializer.validAccessMask;
    this.caseInsensitive = initializer.caseInsensitive;
    this.maintainHandleCount = initializer.maintainHandleCount;
    this.allAccess = genericMapping.genericAll();
    this.poolType = initializer.poolType;
    this.poolTag = poolTag;
    this.dumpProcedure = initializer.dumpProcedure;
    this.openProcedure = initializer.openProcedure;
    this.closeProcedure = initializer.closeProcedure;
    this.deleteProcedure = initializer.deleteProcedure;
    this.parseProcedure = initializer.parseProcedure;
    this.securityProcedure = initializer.securityProcedure;
    this.queryNameProcedure = initializer.queryNameProcedure;
    this.okayToCloseProcedure = initializer.okayToCloseProcedure;
    this.defaultObject = initializer.defaultObject;
  }

  /** A type without procedures. */
  public ObjectType(String name, GenericMapping genericMapping, int validAccessMask,
      boolean caseInsensitive, PoolType poolType, int poolTag) {
    this(name, new ObjectTypeInitializer(genericMapping, validAccessMask)
        .caseInsensitive(caseInsensitive).poolType(poolType), poolTag);
  }

  /** A type of non-paged objects, without procedures, keyed by its name. */
  public ObjectType(String name, GenericMapping genericMapping, int validAccessMask,
      boolean caseInsensitive) {
    this(name, new ObjectTypeInitializer(genericMapping, validAccessMask)
        .caseInsensitive(caseInsensitive));
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
    this(name, ObjectTypeInitializer.standard(name, allAccess));
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
