package org.ntsim.ex;

import org.ntsim.ob.ObjectType;

/**
 * The executive's synchronisation object types (ExEventObjectType, ExMutantObjectType,
 * ExSemaphoreObjectType, ExTimerObjectType) and their specific access rights, as winnt.h and
 * ntddk.h define them. One instance per system, so that the types' object and handle counts are
 * the system's.
 */
public final class SyncObjectTypes {
  public static final int EVENT_QUERY_STATE = 0x0001;
  public static final int EVENT_MODIFY_STATE = 0x0002;
  /** STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x3. */
  public static final int EVENT_ALL_ACCESS = 0x001F0003;

  public static final int MUTANT_QUERY_STATE = 0x0001;
  /** STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | MUTANT_QUERY_STATE (MUTEX_ALL_ACCESS). */
  public static final int MUTANT_ALL_ACCESS = 0x001F0001;

  public static final int SEMAPHORE_QUERY_STATE = 0x0001;
  public static final int SEMAPHORE_MODIFY_STATE = 0x0002;
  /** STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x3. */
  public static final int SEMAPHORE_ALL_ACCESS = 0x001F0003;

  public static final int TIMER_QUERY_STATE = 0x0001;
  public static final int TIMER_MODIFY_STATE = 0x0002;
  /** STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x3. */
  public static final int TIMER_ALL_ACCESS = 0x001F0003;

  /** Pool sizes of the x86 bodies (KEVENT, KMUTANT, KSEMAPHORE, ETIMER), for their addresses. */
  public static final int KEVENT_SIZE = 0x10;
  public static final int KMUTANT_SIZE = 0x20;
  public static final int KSEMAPHORE_SIZE = 0x14;
  public static final int ETIMER_SIZE = 0x98;

  public final ObjectType event = new ObjectType("Event", EVENT_ALL_ACCESS);
  public final ObjectType mutant = new ObjectType("Mutant", MUTANT_ALL_ACCESS);
  public final ObjectType semaphore = new ObjectType("Semaphore", SEMAPHORE_ALL_ACCESS);
  public final ObjectType timer = new ObjectType("Timer", TIMER_ALL_ACCESS);
}
