package org.ntsim.ex.sync;

import org.ntsim.ke.KMutant;
import org.ntsim.ke.Kernel;
import org.ntsim.ob.AccessMask;
import org.ntsim.ob.GenericMapping;
import org.ntsim.ob.ObjectType;
import org.ntsim.ob.ObjectTypeInitializer;

/**
 * The executive's synchronisation object types (ExEventObjectType, ExMutantObjectType,
 * ExSemaphoreObjectType, ExTimerObjectType, ExpKeyedEventObjectType), made through the object manager's API as
 * ExpEventInitialization and its siblings make them, with their delete procedures, and their
 * specific access rights, as winnt.h and ntddk.h define them. One instance per system, so that
 * the types' object and handle counts are the system's.
 *
 * <p>The types enter \ObjectTypes (and take their pool blocks) when their first object is
 * created, not when this class is made: entering them at boot would move every later pool
 * allocation.
 *
 * <p>This package holds what of ex depends on ob; {@code org.ntsim.ex} itself (the pool and the
 * other executive support routines) uses only ke and hal, so that ob may use it.
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

  public static final int KEYEDEVENT_WAIT = 0x0001;
  public static final int KEYEDEVENT_WAKE = 0x0002;
  /** STANDARD_RIGHTS_REQUIRED | 0x3: without SYNCHRONIZE, which the type still grants. */
  public static final int KEYEDEVENT_ALL_ACCESS = 0x000F0003;

  /** Pool sizes of the x86 bodies (KEVENT, KMUTANT, KSEMAPHORE, ETIMER), for their addresses. */
  public static final int KEVENT_SIZE = 0x10;
  public static final int KMUTANT_SIZE = 0x20;
  public static final int KSEMAPHORE_SIZE = 0x14;
  public static final int ETIMER_SIZE = 0x98;
  /** KEYED_EVENT_OBJECT: a push lock and a list head. */
  public static final int KEYED_EVENT_SIZE = 0x0C;

  public final ObjectType event = new ObjectType("Event", EVENT_ALL_ACCESS);
  public final ObjectType mutant;
  public final ObjectType semaphore = new ObjectType("Semaphore", SEMAPHORE_ALL_ACCESS);
  public final ObjectType timer;
  /**
   * ExpKeyedEventObjectType: ExpKeyedEventMapping (GENERIC_READ waits, GENERIC_WRITE wakes,
   * GENERIC_EXECUTE only its standard rights); SYNCHRONIZE is valid, and a wait on a handle waits
   * on an always-signalled default object (ObpDefaultObject), so it ends at once.
   */
  public final ObjectType keyedEvent = new ObjectType("KeyedEvent",
      new ObjectTypeInitializer(new GenericMapping(AccessMask.STANDARD_RIGHTS_READ
          | KEYEDEVENT_WAIT, AccessMask.STANDARD_RIGHTS_WRITE | KEYEDEVENT_WAKE,
          AccessMask.STANDARD_RIGHTS_EXECUTE, KEYEDEVENT_ALL_ACCESS),
          KEYEDEVENT_ALL_ACCESS | AccessMask.SYNCHRONIZE)
          .defaultObject(body -> ((KeyedEvent) body).defaultObject));

  private final Kernel kernel;

  public SyncObjectTypes(Kernel kernel) {
    this.kernel = kernel;
    mutant = new ObjectType("Mutant", ObjectTypeInitializer.standard("Mutant", MUTANT_ALL_ACCESS)
        .deleteProcedure(body -> deleteMutant((KMutant) body)));
    timer = new ObjectType("Timer", ObjectTypeInitializer.standard("Timer", TIMER_ALL_ACCESS)
        .deleteProcedure(body -> deleteTimer((ETimer) body))
        .defaultObject(body -> ((ETimer) body).timer));
  }

  /**
   * ExpDeleteMutant: a mutant deleted while owned (its last handle closed by a thread that still
   * owns it) is released as abandoned, so that it leaves its owner's list.
   */
  private void deleteMutant(KMutant m) {
    if (m.owner() != null) {
      kernel.objects.releaseMutant(m, KMutant.MUTANT_INCREMENT, true, new int[1]);
    }
  }

  /** ExpDeleteTimer: the timer is cancelled, with its DPC and APC withdrawn. */
  private void deleteTimer(ETimer t) {
    t.cancel(kernel);
  }
}
