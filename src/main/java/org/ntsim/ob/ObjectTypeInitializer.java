package org.ntsim.ob;

import org.ntsim.ex.PoolType;

/**
 * OBJECT_TYPE_INITIALIZER: what a component tells ObCreateObjectType about a type it owns: the
 * GENERIC_MAPPING and valid access mask, whether names compare case-insensitively, whether the
 * object manager keeps each process's handle count for the type's objects (MaintainHandleCount),
 * the pool its objects live in, and the type's procedures ({@link TypeProcedures}).
 *
 * <p>Filled in by chained setters, named after NT's fields, then handed to
 * {@link ObjectType#ObjectType(String, ObjectTypeInitializer)}, which copies it: changing an
 * initializer afterwards changes no type.
 *
 * <p>The wait object ({@link #defaultObject}): what a wait on a handle waits on when the body is
 * not itself a dispatcher object, as the type's DefaultObject offset tells NT (an ETIMER waits
 * on the KTIMER inside it).
 *
 * <p>Left out: the default quota charges, InvalidAttributes, SecurityRequired, and a default
 * object shared by every body of a type.
 */
public final class ObjectTypeInitializer {
  GenericMapping genericMapping;
  int validAccessMask;
  boolean caseInsensitive;
  boolean maintainHandleCount;
  PoolType poolType = PoolType.NonPagedPool;
  TypeProcedures.Dump dumpProcedure;
  TypeProcedures.Open openProcedure;
  TypeProcedures.Close closeProcedure;
  TypeProcedures.Delete deleteProcedure;
  TypeProcedures.Parse parseProcedure;
  TypeProcedures.Security securityProcedure;
  TypeProcedures.QueryName queryNameProcedure;
  TypeProcedures.OkayToClose okayToCloseProcedure;
  java.util.function.Function<Object, org.ntsim.ke.DispatcherObject> defaultObject;

  /** A type granting at most {@code validAccessMask}, generic rights mapped by {@code mapping}. */
  public ObjectTypeInitializer(GenericMapping mapping, int validAccessMask) {
    this.genericMapping = mapping;
    this.validAccessMask = validAccessMask;
  }

  /**
   * One of NT's standard types, such as Event or Mutant, whose valid access is
   * {@code allAccess}, with its generic mapping ({@link GenericMapping#forStandardType}).
   */
  public static ObjectTypeInitializer standard(String typeName, int allAccess) {
    return new ObjectTypeInitializer(GenericMapping.forStandardType(typeName, allAccess),
        allAccess);
  }

  /** The dispatcher object inside a body that waits on the body's handles wait on. */
  public ObjectTypeInitializer defaultObject(
      java.util.function.Function<Object, org.ntsim.ke.DispatcherObject> value) {
    defaultObject = value;
    return this;
  }

  public ObjectTypeInitializer caseInsensitive(boolean value) {
    caseInsensitive = value;
    return this;
  }

  public ObjectTypeInitializer maintainHandleCount(boolean value) {
    maintainHandleCount = value;
    return this;
  }

  public ObjectTypeInitializer poolType(PoolType value) {
    poolType = value;
    return this;
  }

  public ObjectTypeInitializer dumpProcedure(TypeProcedures.Dump procedure) {
    dumpProcedure = procedure;
    return this;
  }

  public ObjectTypeInitializer openProcedure(TypeProcedures.Open procedure) {
    openProcedure = procedure;
    return this;
  }

  public ObjectTypeInitializer closeProcedure(TypeProcedures.Close procedure) {
    closeProcedure = procedure;
    return this;
  }

  public ObjectTypeInitializer deleteProcedure(TypeProcedures.Delete procedure) {
    deleteProcedure = procedure;
    return this;
  }

  public ObjectTypeInitializer parseProcedure(TypeProcedures.Parse procedure) {
    parseProcedure = procedure;
    return this;
  }

  public ObjectTypeInitializer securityProcedure(TypeProcedures.Security procedure) {
    securityProcedure = procedure;
    return this;
  }

  public ObjectTypeInitializer queryNameProcedure(TypeProcedures.QueryName procedure) {
    queryNameProcedure = procedure;
    return this;
  }

  public ObjectTypeInitializer okayToCloseProcedure(TypeProcedures.OkayToClose procedure) {
    okayToCloseProcedure = procedure;
    return this;
  }
}
