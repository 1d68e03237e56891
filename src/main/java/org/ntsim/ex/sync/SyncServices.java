package org.ntsim.ex.sync;

import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.ntsim.ke.EventBoost;
import org.ntsim.ke.KEvent;
import org.ntsim.ke.KMutant;
import org.ntsim.ke.KSemaphore;
import org.ntsim.ke.KThread;
import org.ntsim.ke.Kapc;
import org.ntsim.ke.Kdpc;
import org.ntsim.ke.Kernel;
import org.ntsim.ke.NtStatus;
import org.ntsim.ke.OutParameter;
import org.ntsim.ke.ServiceTable;
import org.ntsim.ke.SystemTime;
import org.ntsim.ob.ObServices;
import org.ntsim.ob.ObjectAttributes;
import org.ntsim.ob.ObjectHeader;
import org.ntsim.ob.ObjectManager;
import org.ntsim.ob.ObjectType;

/**
 * The executive's services for its synchronisation objects (ex's event.c, mutant.c, semphore.c
 * and timer.c): NtCreate/NtOpen of events, mutants, semaphores and timers, NtSetEvent,
 * NtResetEvent, NtPulseEvent, NtSetEventBoostPriority, NtReleaseMutant, NtReleaseSemaphore,
 * NtSetTimer, NtCancelTimer, and their queries (NtQueryEvent, NtQueryMutant, NtQuerySemaphore,
 * NtQueryTimer, each with the one basic class of {@link SyncInformation}).
 * Each Nt* method is the body the service dispatcher runs with the caller's previous mode; each
 * Zw* method is the entry for kernel-mode callers (PreviousMode KernelMode).
 *
 * <p>Out-parameters are probed with {@link OutParameter}; handles go through
 * {@link ObServices#referenceObjectByHandle}. On failure a create or open leaves the caller's
 * handle variable alone, as Vista does (Wine's om.c records it; later versions write 0).
 */
public final class SyncServices {
  /** EVENT_TYPE. */
  public static final int NotificationEvent = 0;
  public static final int SynchronizationEvent = 1;
  /** TIMER_TYPE. */
  public static final int NotificationTimer = 0;
  public static final int SynchronizationTimer = 1;

  public static final int NT_CREATE_EVENT = ServiceTable.number("NtCreateEvent");
  public static final int NT_OPEN_EVENT = ServiceTable.number("NtOpenEvent");
  public static final int NT_SET_EVENT = ServiceTable.number("NtSetEvent");
  public static final int NT_RESET_EVENT = ServiceTable.number("NtResetEvent");
  public static final int NT_PULSE_EVENT = ServiceTable.number("NtPulseEvent");
  public static final int NT_CREATE_MUTANT = ServiceTable.number("NtCreateMutant");
  public static final int NT_OPEN_MUTANT = ServiceTable.number("NtOpenMutant");
  public static final int NT_RELEASE_MUTANT = ServiceTable.number("NtReleaseMutant");
  public static final int NT_CREATE_SEMAPHORE = ServiceTable.number("NtCreateSemaphore");
  public static final int NT_OPEN_SEMAPHORE = ServiceTable.number("NtOpenSemaphore");
  public static final int NT_RELEASE_SEMAPHORE = ServiceTable.number("NtReleaseSemaphore");
  public static final int NT_CREATE_TIMER = ServiceTable.number("NtCreateTimer");
  public static final int NT_OPEN_TIMER = ServiceTable.number("NtOpenTimer");
  public static final int NT_SET_TIMER = ServiceTable.number("NtSetTimer");
  public static final int NT_CANCEL_TIMER = ServiceTable.number("NtCancelTimer");
  public static final int NT_QUERY_EVENT = ServiceTable.number("NtQueryEvent");
  public static final int NT_QUERY_MUTANT = ServiceTable.number("NtQueryMutant");
  public static final int NT_QUERY_SEMAPHORE = ServiceTable.number("NtQuerySemaphore");
  public static final int NT_QUERY_TIMER = ServiceTable.number("NtQueryTimer");
  public static final int NT_SET_EVENT_BOOST_PRIORITY =
      ServiceTable.number("NtSetEventBoostPriority");

  /** PTIMER_APC_ROUTINE: the completion routine of NtSetTimer, run as a user APC. */
  @FunctionalInterface
  public interface TimerApcRoutine {
    void run(long timerContext, int timerLowValue, int timerHighValue);
  }

  private final Kernel kernel;
  private final ObjectManager ob;
  private final ObServices obServices;
  private final SyncObjectTypes types;
  private final Supplier<List<ETimer>> currentThreadTimers;
  private final OutParameter out;
  /** The keyed event services, which share this class's object paths. */
  public final KeyedEventServices keyedEvents;

  /**
   * {@code currentThreadTimers} gives the current thread's active-timer list (ETHREAD's
   * ActiveTimerListHead), which the thread's exit runs down.
   */
  public SyncServices(Kernel kernel, ObjectManager ob, ObServices obServices,
      SyncObjectTypes types, Supplier<List<ETimer>> currentThreadTimers) {
    this.kernel = kernel;
    this.ob = ob;
    this.obServices = obServices;
    this.types = types;
    this.currentThreadTimers = currentThreadTimers;
    this.out = new OutParameter(kernel);
    this.keyedEvents = new KeyedEventServices(kernel, ob, this, types);
  }

  public SyncObjectTypes types() {
    return types;
  }

  // ------------------------------------------------------------------ common paths

  /** ObReferenceObjectByHandle, {@code call} on the body, then the reference dropped. */
  <T> int withObject(int previousMode, long handle, int access, ObjectType type,
      ObServices.ObjectCall<T> call) {
    return obServices.withObject(previousMode, handle, access, type, call);
  }

  /**
   * ObInsertObject for a new object made by one of the NtCreate calls: the object is entered
   * under {@code attributes}' name, if any, and the caller gets a handle (ObjectManager
   * .insertObject: STATUS_OBJECT_NAME_EXISTS and a handle to the existing object with OBJ_OPENIF,
   * STATUS_OBJECT_NAME_COLLISION without it, STATUS_OBJECT_TYPE_MISMATCH for a name of another
   * type). When an existing object is opened the new one is deleted.
   */
  int insertObject(int previousMode, ObjectType type, Object body, long address,
      ObjectAttributes attributes, int desiredAccess, long[] handleOut) {
    ObjectHeader h = ob.createObject(type, body, address);
    if (body instanceof ETimer t) {
      t.timer.objectHeader = h;
    }
    ObjectManager.HandleResult r = ob.insertObject(obServices.currentHandleTable(), h,
        attributes, desiredAccess, previousMode);
    if (r.ok()) {
      handleOut[0] = r.handle();
    }
    return r.status();
  }

  /** Whether an object created under {@code attributes} gets a name (and a name-info header). */
  static boolean named(ObjectAttributes attributes) {
    return attributes != null && attributes.ObjectName() != null
        && !attributes.ObjectName().isEmpty();
  }

  /**
   * The NtOpen calls: ObOpenObjectByName for an object of {@code type}.
   * STATUS_OBJECT_NAME_NOT_FOUND for a name not there, STATUS_OBJECT_TYPE_MISMATCH for one of
   * another type, STATUS_ACCESS_DENIED for rights the type does not have.
   */
  int openObject(int previousMode, long[] handleOut, int desiredAccess,
      ObjectAttributes attributes, ObjectType type) {
    int probe = out.probe(previousMode, handleOut, "handle");
    if (probe != NtStatus.STATUS_SUCCESS) {
      return probe;
    }
    ObjectManager.HandleResult r = ob.openObjectByName(obServices.currentHandleTable(),
        attributes, type, desiredAccess, previousMode, null);
    if (r.ok()) {
      handleOut[0] = r.handle();
    }
    return r.status();
  }

  /** Runs {@code body} as a Zw* call of service {@code service}: PreviousMode KernelMode. */
  int zw(int service, java.util.function.IntUnaryOperator body) {
    return kernel.systemCalls().zw(service, body);
  }

  // ------------------------------------------------------------------ events

  /** NtOpenEvent. */
  public int NtOpenEvent(int previousMode, long[] eventHandle, int desiredAccess,
      ObjectAttributes attributes) {
    return openObject(previousMode, eventHandle, desiredAccess, attributes, types.event);
  }

  /** ZwOpenEvent. */
  public int ZwOpenEvent(long[] eventHandle, int desiredAccess, ObjectAttributes attributes) {
    return zw(NT_OPEN_EVENT, m -> NtOpenEvent(m, eventHandle, desiredAccess, attributes));
  }

  /**
   * NtCreateEvent: {@code eventType} NotificationEvent (manual reset) or SynchronizationEvent
   * (auto reset), else STATUS_INVALID_PARAMETER; {@code attributes} null or without a name for
   * an unnamed event.
   */
  public int NtCreateEvent(int previousMode, long[] eventHandle, int desiredAccess,
      ObjectAttributes attributes, int eventType, boolean initialState) {
    if (eventType != NotificationEvent && eventType != SynchronizationEvent) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    int probe = out.probe(previousMode, eventHandle, "EventHandle");
    if (probe != NtStatus.STATUS_SUCCESS) {
      return probe;
    }
    long address = ob.allocateObjectBody(types.event, SyncObjectTypes.KEVENT_SIZE,
        named(attributes));
    if (address == 0) {
      return NtStatus.STATUS_INSUFFICIENT_RESOURCES; // no pool left
    }
    KEvent e = new KEvent(eventType == NotificationEvent, initialState, address);
    return insertObject(previousMode, types.event, e, address, attributes, desiredAccess,
        eventHandle);
  }

  /** ZwCreateEvent. */
  public int ZwCreateEvent(long[] eventHandle, int desiredAccess, ObjectAttributes attributes,
      int eventType, boolean initialState) {
    return zw(NT_CREATE_EVENT, m -> NtCreateEvent(m, eventHandle, desiredAccess, attributes,
        eventType, initialState));
  }

  /** NtSetEvent (EVENT_MODIFY_STATE): {@code previousState} gets the state before, 0 or 1. */
  public int NtSetEvent(int previousMode, long eventHandle, int[] previousState) {
    return eventCall(previousMode, eventHandle, previousState,
        e -> kernel.setEvent(e, KEvent.EVENT_INCREMENT));
  }

  /** ZwSetEvent. */
  public int ZwSetEvent(long eventHandle, int[] previousState) {
    return zw(NT_SET_EVENT, m -> NtSetEvent(m, eventHandle, previousState));
  }

  /** NtResetEvent (EVENT_MODIFY_STATE). */
  public int NtResetEvent(int previousMode, long eventHandle, int[] previousState) {
    return eventCall(previousMode, eventHandle, previousState, kernel::resetEvent);
  }

  /**
   * NtPulseEvent (EVENT_MODIFY_STATE): releases every waiter of a notification event or one of a
   * synchronization event, and leaves the event reset.
   */
  public int NtPulseEvent(int previousMode, long eventHandle, int[] previousState) {
    return eventCall(previousMode, eventHandle, previousState,
        e -> kernel.objects.pulseEvent(e, KEvent.EVENT_INCREMENT));
  }

  /**
   * NtSetEventBoostPriority (EVENT_MODIFY_STATE): a synchronization event is handed to its first
   * waiter with the lock-ownership boost (KeSetEventBoostPriority, {@link EventBoost}), or left
   * signalled if none waits; a notification event is STATUS_OBJECT_TYPE_MISMATCH (the WRK).
   */
  public int NtSetEventBoostPriority(int previousMode, long eventHandle) {
    return this.<KEvent>withObject(previousMode, eventHandle, SyncObjectTypes.EVENT_MODIFY_STATE,
        types.event, e -> {
          if (e.isNotification()) {
            return NtStatus.STATUS_OBJECT_TYPE_MISMATCH;
          }
          EventBoost.setEventBoostPriority(kernel, e);
          return NtStatus.STATUS_SUCCESS;
        });
  }

  /**
   * NtQueryEvent (EVENT_QUERY_STATE): the event's type and state. Another class is
   * STATUS_INVALID_INFO_CLASS, a length other than 8 STATUS_INFO_LENGTH_MISMATCH, both before the
   * handle is looked at; {@code returnLength}, if given, gets 8.
   */
  public int NtQueryEvent(int previousMode, long eventHandle, int informationClass,
      SyncInformation.EventBasic information, int length, int[] returnLength) {
    int check = checkQuery(previousMode, informationClass, SyncInformation.EventBasicInformation,
        NtStatus.STATUS_INVALID_INFO_CLASS, length, SyncInformation.EventBasic.SIZE, information,
        returnLength);
    if (check != NtStatus.STATUS_SUCCESS) {
      return check;
    }
    return this.<KEvent>withObject(previousMode, eventHandle, SyncObjectTypes.EVENT_QUERY_STATE,
        types.event, e -> {
          information.EventType = e.isNotification() ? NotificationEvent : SynchronizationEvent;
          information.EventState = e.signalState();
          return returned(returnLength, SyncInformation.EventBasic.SIZE);
        });
  }

  /**
   * NtQueryMutant (MUTANT_QUERY_STATE): the count (1 free, 0 owned once, -1 twice, ...), whether
   * the caller owns it and whether it was abandoned. As NtQueryEvent, except that Vista x86
   * answers another class with STATUS_NOT_IMPLEMENTED (Wine's sync.c test_mutant records it as
   * the 32-bit Vista/2008 result; later versions say STATUS_INVALID_INFO_CLASS).
   */
  public int NtQueryMutant(int previousMode, long mutantHandle, int informationClass,
      SyncInformation.MutantBasic information, int length, int[] returnLength) {
    int check = checkQuery(previousMode, informationClass, SyncInformation.MutantBasicInformation,
        NtStatus.STATUS_NOT_IMPLEMENTED, length, SyncInformation.MutantBasic.SIZE, information,
        returnLength);
    if (check != NtStatus.STATUS_SUCCESS) {
      return check;
    }
    return this.<KMutant>withObject(previousMode, mutantHandle,
        SyncObjectTypes.MUTANT_QUERY_STATE, types.mutant, m -> {
          information.CurrentCount = m.count();
          information.OwnedByCaller = m.owner() == kernel.currentThread();
          information.AbandonedState = m.abandoned();
          return returned(returnLength, SyncInformation.MutantBasic.SIZE);
        });
  }

  /** NtQuerySemaphore (SEMAPHORE_QUERY_STATE): the count and the limit; as NtQueryEvent. */
  public int NtQuerySemaphore(int previousMode, long semaphoreHandle, int informationClass,
      SyncInformation.SemaphoreBasic information, int length, int[] returnLength) {
    int check = checkQuery(previousMode, informationClass,
        SyncInformation.SemaphoreBasicInformation, NtStatus.STATUS_INVALID_INFO_CLASS, length,
        SyncInformation.SemaphoreBasic.SIZE, information, returnLength);
    if (check != NtStatus.STATUS_SUCCESS) {
      return check;
    }
    return this.<KSemaphore>withObject(previousMode, semaphoreHandle,
        SyncObjectTypes.SEMAPHORE_QUERY_STATE, types.semaphore, s -> {
          information.CurrentCount = s.count();
          information.MaximumCount = s.limit();
          return returned(returnLength, SyncInformation.SemaphoreBasic.SIZE);
        });
  }

  /**
   * NtQueryTimer (TIMER_QUERY_STATE): whether the timer is signalled, and its due time less the
   * interrupt time (KeQueryInterruptTime), in 100 ns units: negative once the due time has
   * passed, and for a timer never set (whose due time is 0). As NtQueryEvent otherwise (16 bytes).
   */
  public int NtQueryTimer(int previousMode, long timerHandle, int informationClass,
      SyncInformation.TimerBasic information, int length, int[] returnLength) {
    int check = checkQuery(previousMode, informationClass, SyncInformation.TimerBasicInformation,
        NtStatus.STATUS_INVALID_INFO_CLASS, length, SyncInformation.TimerBasic.SIZE, information,
        returnLength);
    if (check != NtStatus.STATUS_SUCCESS) {
      return check;
    }
    return this.<ETimer>withObject(previousMode, timerHandle, SyncObjectTypes.TIMER_QUERY_STATE,
        types.timer, t -> {
          information.RemainingTime = t.timer.dueTimeNs() / 100
              - SystemTime.of(kernel).queryInterruptTime();
          information.TimerState = t.timer.signalState() != 0;
          return returned(returnLength, SyncInformation.TimerBasic.SIZE);
        });
  }

  /**
   * The checks the four queries share, in the WRK's order: the class, the length (exactly the
   * structure's), then the buffer and ReturnLength pointers.
   */
  private int checkQuery(int previousMode, int informationClass, int knownClass, int unknownClass,
      int length, int size, Object information, int[] returnLength) {
    if (informationClass != knownClass) {
      return unknownClass;
    }
    if (length != size) {
      return NtStatus.STATUS_INFO_LENGTH_MISMATCH;
    }
    int probe = information != null ? NtStatus.STATUS_SUCCESS
        : out.probe(previousMode, null, "information buffer");
    if (probe == NtStatus.STATUS_SUCCESS) {
      probe = out.probeOptional(previousMode, returnLength, "ReturnLength");
    }
    return probe;
  }

  private static int returned(int[] returnLength, int size) {
    if (returnLength != null) {
      returnLength[0] = size;
    }
    return NtStatus.STATUS_SUCCESS;
  }

  private int eventCall(int previousMode, long handle, int[] previousState,
      ToIntFunction<KEvent> op) {
    int probe = out.probeOptional(previousMode, previousState, "PreviousState");
    if (probe != NtStatus.STATUS_SUCCESS) {
      return probe;
    }
    return this.<KEvent>withObject(previousMode, handle, SyncObjectTypes.EVENT_MODIFY_STATE,
        types.event, e -> {
          int previous = op.applyAsInt(e);
          if (previousState != null) {
            previousState[0] = previous;
          }
          return NtStatus.STATUS_SUCCESS;
        });
  }

  // ------------------------------------------------------------------ mutants

  /** NtOpenMutant. */
  public int NtOpenMutant(int previousMode, long[] mutantHandle, int desiredAccess,
      ObjectAttributes attributes) {
    return openObject(previousMode, mutantHandle, desiredAccess, attributes, types.mutant);
  }

  /** NtCreateMutant: owned once by the caller when {@code initialOwner}. */
  public int NtCreateMutant(int previousMode, long[] mutantHandle, int desiredAccess,
      ObjectAttributes attributes, boolean initialOwner) {
    int probe = out.probe(previousMode, mutantHandle, "MutantHandle");
    if (probe != NtStatus.STATUS_SUCCESS) {
      return probe;
    }
    long address = ob.allocateObjectBody(types.mutant, SyncObjectTypes.KMUTANT_SIZE,
        named(attributes));
    if (address == 0) {
      return NtStatus.STATUS_INSUFFICIENT_RESOURCES; // no pool left
    }
    KMutant m = kernel.objects.initializeMutant(initialOwner, false, address);
    return insertObject(previousMode, types.mutant, m, address, attributes, desiredAccess,
        mutantHandle);
  }


  /**
   * NtReleaseMutant: no access right is needed (only the owner may release).
   * {@code previousCount} gets the count before: 0 when owned once, -1 when twice, ...; a caller
   * that does not own the mutant gets STATUS_MUTANT_NOT_OWNED and nothing changes.
   */
  public int NtReleaseMutant(int previousMode, long mutantHandle, int[] previousCount) {
    int probe = out.probeOptional(previousMode, previousCount, "PreviousCount");
    if (probe != NtStatus.STATUS_SUCCESS) {
      return probe;
    }
    return this.<KMutant>withObject(previousMode, mutantHandle, 0, types.mutant, m -> {
      int[] status = new int[1];
      int previous = kernel.objects.releaseMutant(m, KMutant.MUTANT_INCREMENT, false, status);
      if (status[0] == NtStatus.STATUS_SUCCESS && previousCount != null) {
        previousCount[0] = previous;
      }
      return status[0];
    });
  }

  // ------------------------------------------------------------------ semaphores

  /** NtOpenSemaphore. */
  public int NtOpenSemaphore(int previousMode, long[] semaphoreHandle, int desiredAccess,
      ObjectAttributes attributes) {
    return openObject(previousMode, semaphoreHandle, desiredAccess, attributes, types.semaphore);
  }

  /**
   * NtCreateSemaphore: STATUS_INVALID_PARAMETER unless 0 <= initialCount <= maximumCount and
   * maximumCount > 0.
   */
  public int NtCreateSemaphore(int previousMode, long[] semaphoreHandle, int desiredAccess,
      ObjectAttributes attributes, int initialCount, int maximumCount) {
    if (maximumCount <= 0 || initialCount < 0 || initialCount > maximumCount) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    int probe = out.probe(previousMode, semaphoreHandle, "SemaphoreHandle");
    if (probe != NtStatus.STATUS_SUCCESS) {
      return probe;
    }
    long address = ob.allocateObjectBody(types.semaphore, SyncObjectTypes.KSEMAPHORE_SIZE,
        named(attributes));
    if (address == 0) {
      return NtStatus.STATUS_INSUFFICIENT_RESOURCES; // no pool left
    }
    KSemaphore s = new KSemaphore(initialCount, maximumCount, address);
    return insertObject(previousMode, types.semaphore, s, address, attributes, desiredAccess,
        semaphoreHandle);
  }

  /**
   * NtReleaseSemaphore (SEMAPHORE_MODIFY_STATE): STATUS_INVALID_PARAMETER for a count <= 0,
   * STATUS_SEMAPHORE_LIMIT_EXCEEDED (count and {@code previousCount} untouched) past the limit.
   */
  public int NtReleaseSemaphore(int previousMode, long semaphoreHandle, int releaseCount,
      int[] previousCount) {
    if (releaseCount <= 0) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    int probe = out.probeOptional(previousMode, previousCount, "PreviousCount");
    if (probe != NtStatus.STATUS_SUCCESS) {
      return probe;
    }
    return this.<KSemaphore>withObject(previousMode, semaphoreHandle,
        SyncObjectTypes.SEMAPHORE_MODIFY_STATE, types.semaphore, s -> {
          if (kernel.objects.wouldExceedLimit(s, releaseCount)) {
            return NtStatus.STATUS_SEMAPHORE_LIMIT_EXCEEDED;
          }
          int previous = kernel.objects.releaseSemaphore(s, KSemaphore.SEMAPHORE_INCREMENT,
              releaseCount);
          if (previousCount != null) {
            previousCount[0] = previous;
          }
          return NtStatus.STATUS_SUCCESS;
        });
  }

  // ------------------------------------------------------------------ timers

  /** NtOpenTimer. */
  public int NtOpenTimer(int previousMode, long[] timerHandle, int desiredAccess,
      ObjectAttributes attributes) {
    return openObject(previousMode, timerHandle, desiredAccess, attributes, types.timer);
  }

  /** NtCreateTimer: NotificationTimer or SynchronizationTimer, else STATUS_INVALID_PARAMETER_4. */
  public int NtCreateTimer(int previousMode, long[] timerHandle, int desiredAccess,
      ObjectAttributes attributes, int timerType) {
    if (timerType != NotificationTimer && timerType != SynchronizationTimer) {
      return NtStatus.STATUS_INVALID_PARAMETER_4;
    }
    int probe = out.probe(previousMode, timerHandle, "TimerHandle");
    if (probe != NtStatus.STATUS_SUCCESS) {
      return probe;
    }
    long address = ob.allocateObjectBody(types.timer, SyncObjectTypes.ETIMER_SIZE,
        named(attributes));
    if (address == 0) {
      return NtStatus.STATUS_INSUFFICIENT_RESOURCES; // no pool left
    }
    ETimer t = new ETimer(timerType == NotificationTimer, address);
    t.dpc = kernel.initializeDpc("nt!ExpTimerDpcRoutine", this::timerDpc, t, address + 0x58);
    return insertObject(previousMode, types.timer, t, address, attributes, desiredAccess,
        timerHandle);
  }

  /**
   * ExpTimerDpcRoutine: queues the completion routine's APC to the thread that set the timer,
   * with the system time of the expiry (a UTC FILETIME, as SetWaitableTimer's completion routine
   * gets it) as its argument, unless it is still queued.
   */
  private void timerDpc(Kdpc dpc, Object context, Object a1, Object a2) {
    ETimer t = (ETimer) context;
    if (t.apc != null && !t.apc.isInserted()) {
      kernel.objects.insertQueueApc(t.apc, SystemTime.of(kernel).querySystemTime(), null, 0);
    }
  }

  /**
   * NtSetTimer (TIMER_MODIFY_STATE): {@code dueTime} in 100 ns units, negative relative, positive
   * an absolute system time (a UTC FILETIME, which the timer keeps when the time is set); {@code period} in milliseconds (0 once, negative STATUS_INVALID_PARAMETER_6); an
   * optional completion routine queued as an APC to the calling thread, in the caller's previous
   * mode, at each expiry. Resetting a timer cancels it first and leaves it not signalled.
   * {@code previousState} gets whether it was signalled. With {@code resumeTimer} the result is
   * STATUS_TIMER_RESUME_IGNORED (no power management to wake the machine).
   */
  public int NtSetTimer(int previousMode, long timerHandle, long dueTime,
      TimerApcRoutine timerApcRoutine, long timerContext, boolean resumeTimer, int period,
      boolean[] previousState) {
    if (period < 0) {
      return NtStatus.STATUS_INVALID_PARAMETER_6;
    }
    int probe = out.probeOptional(previousMode, previousState, "PreviousState");
    if (probe != NtStatus.STATUS_SUCCESS) {
      return probe;
    }
    return this.<ETimer>withObject(previousMode, timerHandle, SyncObjectTypes.TIMER_MODIFY_STATE,
        types.timer, t -> {
          boolean previous = t.timer.signalState() != 0;
          t.cancel(kernel);
          if (timerApcRoutine != null) {
            KThread self = kernel.currentThread();
            t.associate(new Kapc(self, "ntdll!TimerApcRoutine", null,
                (ctx, time, unused) -> {
                  long v = (Long) time;
                  timerApcRoutine.run(timerContext, (int) v, (int) (v >>> 32));
                }, null, previousMode, t.address + 0x28), currentThreadTimers.get());
          }
          boolean absolute = dueTime > 0;
          long dueNs = absolute ? SystemTime.of(kernel).interruptTimeNsOf(dueTime)
              : -dueTime * 100;
          kernel.setTimer(t.timer, dueNs, absolute, period * 1_000_000L,
              t.apc != null ? t.dpc : null);
          if (previousState != null) {
            previousState[0] = previous;
          }
          return resumeTimer ? NtStatus.STATUS_TIMER_RESUME_IGNORED : NtStatus.STATUS_SUCCESS;
        });
  }

  /** NtCancelTimer (TIMER_MODIFY_STATE): the signal state stays; {@code currentState} gets it. */
  public int NtCancelTimer(int previousMode, long timerHandle, boolean[] currentState) {
    int probe = out.probeOptional(previousMode, currentState, "CurrentState");
    if (probe != NtStatus.STATUS_SUCCESS) {
      return probe;
    }
    return this.<ETimer>withObject(previousMode, timerHandle, SyncObjectTypes.TIMER_MODIFY_STATE,
        types.timer, t -> {
          t.cancel(kernel);
          if (currentState != null) {
            currentState[0] = t.timer.signalState() != 0;
          }
          return NtStatus.STATUS_SUCCESS;
        });
  }
}
