package org.ntsim.ex.sync;

import org.ntsim.ke.KSemaphore;
import org.ntsim.ke.KThread;
import org.ntsim.ke.KeServices;
import org.ntsim.ke.Kernel;
import org.ntsim.ke.NtStatus;
import org.ntsim.ke.OutParameter;
import org.ntsim.ke.ServiceTable;
import org.ntsim.ke.WaitReason;
import org.ntsim.ob.ObjectAttributes;
import org.ntsim.ob.ObjectManager;

/**
 * The keyed event services (ex's keyedevent.c): NtCreateKeyedEvent, NtOpenKeyedEvent,
 * NtWaitForKeyedEvent and NtReleaseKeyedEvent, as Wine's sync.c test_keyed_events records them on
 * Windows: a key with its low bit set is STATUS_INVALID_PARAMETER_1 before the handle is looked
 * at; waiting needs KEYEDEVENT_WAIT and releasing KEYEDEVENT_WAKE; a release waits until a waiter
 * with its key takes it, as a wait waits for a release; a timeout is STATUS_TIMEOUT and, when
 * alertable, an alert or a user APC ends the wait with STATUS_ALERTED or STATUS_USER_APC.
 *
 * <p>A NULL handle names the system's own keyed event (ExpCritSecOutOfMemoryEvent, which Vista's
 * critical sections fall back on when they cannot make an event), made the first time a NULL
 * handle is used.
 *
 * <p>Left out: the default event's name, \KernelObjects\CritSecOutOfMemoryEvent (ntsim has no
 * \KernelObjects directory), and the Flags argument of NtCreateKeyedEvent (must be 0 in NT,
 * ignored here).
 */
public final class KeyedEventServices {
  public static final int NT_CREATE_KEYED_EVENT = ServiceTable.number("NtCreateKeyedEvent");
  public static final int NT_OPEN_KEYED_EVENT = ServiceTable.number("NtOpenKeyedEvent");
  public static final int NT_WAIT_FOR_KEYED_EVENT = ServiceTable.number("NtWaitForKeyedEvent");
  public static final int NT_RELEASE_KEYED_EVENT = ServiceTable.number("NtReleaseKeyedEvent");

  private final Kernel kernel;
  private final ObjectManager ob;
  private final SyncServices sync;
  private final SyncObjectTypes types;
  private final OutParameter out;
  private KeyedEvent critSecOutOfMemoryEvent; // ExpCritSecOutOfMemoryEvent, once made

  KeyedEventServices(Kernel kernel, ObjectManager ob, SyncServices sync, SyncObjectTypes types) {
    this.kernel = kernel;
    this.ob = ob;
    this.sync = sync;
    this.types = types;
    this.out = new OutParameter(kernel);
  }

  /** NtCreateKeyedEvent: an event no thread waits on; {@code flags} is reserved. */
  public int NtCreateKeyedEvent(int previousMode, long[] keyedEventHandle, int desiredAccess,
      ObjectAttributes attributes, int flags) {
    int probe = out.probe(previousMode, keyedEventHandle, "KeyedEventHandle");
    if (probe != NtStatus.STATUS_SUCCESS) {
      return probe;
    }
    long address = ob.allocateObjectBody(types.keyedEvent, SyncObjectTypes.KEYED_EVENT_SIZE,
        SyncServices.named(attributes));
    if (address == 0) {
      return NtStatus.STATUS_INSUFFICIENT_RESOURCES; // no pool left
    }
    return sync.insertObject(previousMode, types.keyedEvent, new KeyedEvent(address), address,
        attributes, desiredAccess, keyedEventHandle);
  }

  /** NtOpenKeyedEvent. */
  public int NtOpenKeyedEvent(int previousMode, long[] keyedEventHandle, int desiredAccess,
      ObjectAttributes attributes) {
    return sync.openObject(previousMode, keyedEventHandle, desiredAccess, attributes,
        types.keyedEvent);
  }

  /**
   * NtWaitForKeyedEvent (KEYEDEVENT_WAIT): takes a release of {@code key} waiting in the
   * caller's process, or waits for one. {@code timeout} as NtWaitForSingleObject's (100 ns units,
   * negative relative, positive a system time, {@code Long.MIN_VALUE} for none).
   */
  public int NtWaitForKeyedEvent(int previousMode, long keyedEventHandle, long key,
      boolean alertable, long timeout) {
    return rendezvous(previousMode, keyedEventHandle, key, alertable, timeout, false);
  }

  /** ZwWaitForKeyedEvent. */
  public int ZwWaitForKeyedEvent(long keyedEventHandle, long key, boolean alertable,
      long timeout) {
    return sync.zw(NT_WAIT_FOR_KEYED_EVENT,
        m -> NtWaitForKeyedEvent(m, keyedEventHandle, key, alertable, timeout));
  }

  /**
   * NtReleaseKeyedEvent (KEYEDEVENT_WAKE): wakes a waiter for {@code key} in the caller's
   * process, or waits until one arrives; the timeout as NtWaitForKeyedEvent's.
   */
  public int NtReleaseKeyedEvent(int previousMode, long keyedEventHandle, long key,
      boolean alertable, long timeout) {
    return rendezvous(previousMode, keyedEventHandle, key, alertable, timeout, true);
  }

  /** ZwReleaseKeyedEvent. */
  public int ZwReleaseKeyedEvent(long keyedEventHandle, long key, boolean alertable,
      long timeout) {
    return sync.zw(NT_RELEASE_KEYED_EVENT,
        m -> NtReleaseKeyedEvent(m, keyedEventHandle, key, alertable, timeout));
  }

  private int rendezvous(int previousMode, long handle, long key, boolean alertable,
      long timeout, boolean release) {
    if ((key & 1) != 0) {
      return NtStatus.STATUS_INVALID_PARAMETER_1;
    }
    int access = release ? SyncObjectTypes.KEYEDEVENT_WAKE : SyncObjectTypes.KEYEDEVENT_WAIT;
    long timeoutNs = KeServices.timeoutNs(kernel, timeout);
    if (handle == 0) {
      KeyedEvent k = critSecOutOfMemoryEvent();
      return k == null ? NtStatus.STATUS_INSUFFICIENT_RESOURCES
          : meet(k, previousMode, key, alertable, timeoutNs, release);
    }
    return sync.<KeyedEvent>withObject(previousMode, handle, access, types.keyedEvent,
        k -> meet(k, previousMode, key, alertable, timeoutNs, release));
  }

  /**
   * ExpWaitForKeyedEvent / ExpReleaseKeyedEvent: the match, or the wait (WrKeyedEvent, in the
   * caller's mode) until a match wakes this thread; an ended wait leaves the list.
   */
  private int meet(KeyedEvent k, int previousMode, long key, boolean alertable, long timeoutNs,
      boolean release) {
    KThread self = kernel.currentThread();
    KeyedEvent.Entry match = k.takeMatch(self.kprocess(), key, release);
    if (match != null) {
      kernel.objects.releaseSemaphore(match.wakeUp, KSemaphore.SEMAPHORE_INCREMENT, 1);
      return NtStatus.STATUS_SUCCESS;
    }
    KeyedEvent.Entry mine = new KeyedEvent.Entry(self, key, release, k.address);
    k.entries.add(mine);
    boolean woken = false;
    try {
      int status = kernel.waitForSingleObject(mine.wakeUp, WaitReason.WR_KEYED_EVENT,
          previousMode, alertable, timeoutNs);
      woken = status == NtStatus.STATUS_SUCCESS;
      return status;
    } finally {
      if (!woken) {
        k.entries.remove(mine);
      }
    }
  }

  /**
   * ExpCritSecOutOfMemoryEvent: the keyed event a NULL handle names, made on first use (null if
   * the pool is out); the creator's reference is never dropped, so it lives as long as the system.
   */
  private KeyedEvent critSecOutOfMemoryEvent() {
    if (critSecOutOfMemoryEvent == null) {
      long address = ob.allocateObjectBody(types.keyedEvent, SyncObjectTypes.KEYED_EVENT_SIZE,
          false);
      if (address == 0) {
        return null;
      }
      KeyedEvent k = new KeyedEvent(address);
      ob.createObject(types.keyedEvent, k, address);
      critSecOutOfMemoryEvent = k;
    }
    return critSecOutOfMemoryEvent;
  }
}
