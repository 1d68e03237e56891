package org.ntsim.win32;

import org.ntsim.ex.sync.KeyedEventServices;
import org.ntsim.ex.sync.SyncInformation;
import org.ntsim.ex.sync.SyncServices;
import org.ntsim.ke.Kernel;
import org.ntsim.ke.SystemTimeServices;
import org.ntsim.ob.ObServices;
import org.ntsim.ob.ObjectAttributes;
import org.ntsim.ob.ObjectHandleFlagInformation;

/**
 * ntdll's system-call stubs for what a conformance suite asks of the synchronisation objects and
 * handles beyond Win32's own calls: the queries of events, mutants, semaphores and timers,
 * NtSetEventBoostPriority, keyed events, a handle's flags (NtQueryObject and
 * NtSetInformationObject, ObjectHandleFlagInformation) and the system time. Each traps into
 * KiSystemService with the service's number and runs the body in its component with
 * PreviousMode UserMode. {@link Ntdll} extends it, so that the stubs are Ntdll's public methods.
 */
abstract class NtdllSync extends NtdllMemory {
  /** The one class of each query (EVENT_INFORMATION_CLASS, ...). */
  public static final int EventBasicInformation = SyncInformation.EventBasicInformation;
  public static final int MutantBasicInformation = SyncInformation.MutantBasicInformation;
  public static final int SemaphoreBasicInformation = SyncInformation.SemaphoreBasicInformation;
  public static final int TimerBasicInformation = SyncInformation.TimerBasicInformation;
  /** OBJECT_INFORMATION_CLASS ObjectHandleFlagInformation. */
  public static final int ObjectHandleFlagInformation = ObServices.ObjectHandleFlagInformation;
  /** KEYEDEVENT_WAIT, KEYEDEVENT_WAKE, KEYEDEVENT_ALL_ACCESS. */
  public static final int KEYEDEVENT_WAIT = org.ntsim.ex.sync.SyncObjectTypes.KEYEDEVENT_WAIT;
  public static final int KEYEDEVENT_WAKE = org.ntsim.ex.sync.SyncObjectTypes.KEYEDEVENT_WAKE;
  public static final int KEYEDEVENT_ALL_ACCESS =
      org.ntsim.ex.sync.SyncObjectTypes.KEYEDEVENT_ALL_ACCESS;

  private final org.ntsim.init.SystemServices services;
  private final SyncServices sync;
  private final KeyedEventServices keyed;
  private final ObServices ob;
  private final SystemTimeServices time;

  NtdllSync(Ntos ntos) {
    super(ntos);
    this.services = ntos.services;
    this.sync = ntos.syncServices;
    this.keyed = ntos.syncServices.keyedEvents;
    this.ob = ntos.obServices;
    this.time = SystemTimeServices.of(ntos.kernel);
  }

  // ------------------------------------------------------------------ queries

  /** NtQueryEvent: see SyncServices.NtQueryEvent. */
  public int NtQueryEvent(long EventHandle, int EventInformationClass,
      SyncInformation.EventBasic EventInformation, int EventInformationLength,
      int[] ReturnLength) {
    services.trap(SyncServices.NT_QUERY_EVENT);
    try {
      return sync.NtQueryEvent(Kernel.USER_MODE, EventHandle, EventInformationClass,
          EventInformation, EventInformationLength, ReturnLength);
    } finally {
      services.ret();
    }
  }

  /** NtQueryMutant: see SyncServices.NtQueryMutant. */
  public int NtQueryMutant(long MutantHandle, int MutantInformationClass,
      SyncInformation.MutantBasic MutantInformation, int MutantInformationLength,
      int[] ReturnLength) {
    services.trap(SyncServices.NT_QUERY_MUTANT);
    try {
      return sync.NtQueryMutant(Kernel.USER_MODE, MutantHandle, MutantInformationClass,
          MutantInformation, MutantInformationLength, ReturnLength);
    } finally {
      services.ret();
    }
  }

  /** NtQuerySemaphore: see SyncServices.NtQuerySemaphore. */
  public int NtQuerySemaphore(long SemaphoreHandle, int SemaphoreInformationClass,
      SyncInformation.SemaphoreBasic SemaphoreInformation, int SemaphoreInformationLength,
      int[] ReturnLength) {
    services.trap(SyncServices.NT_QUERY_SEMAPHORE);
    try {
      return sync.NtQuerySemaphore(Kernel.USER_MODE, SemaphoreHandle, SemaphoreInformationClass,
          SemaphoreInformation, SemaphoreInformationLength, ReturnLength);
    } finally {
      services.ret();
    }
  }

  /** NtQueryTimer: see SyncServices.NtQueryTimer. */
  public int NtQueryTimer(long TimerHandle, int TimerInformationClass,
      SyncInformation.TimerBasic TimerInformation, int TimerInformationLength,
      int[] ReturnLength) {
    services.trap(SyncServices.NT_QUERY_TIMER);
    try {
      return sync.NtQueryTimer(Kernel.USER_MODE, TimerHandle, TimerInformationClass,
          TimerInformation, TimerInformationLength, ReturnLength);
    } finally {
      services.ret();
    }
  }

  /** NtSetEventBoostPriority: see SyncServices.NtSetEventBoostPriority. */
  public int NtSetEventBoostPriority(long EventHandle) {
    services.trap(SyncServices.NT_SET_EVENT_BOOST_PRIORITY);
    try {
      return sync.NtSetEventBoostPriority(Kernel.USER_MODE, EventHandle);
    } finally {
      services.ret();
    }
  }

  // ------------------------------------------------------------------ keyed events

  /** NtCreateKeyedEvent: see KeyedEventServices.NtCreateKeyedEvent. */
  public int NtCreateKeyedEvent(long[] KeyedEventHandle, int DesiredAccess,
      ObjectAttributes ObjectAttributes, int Flags) {
    services.trap(KeyedEventServices.NT_CREATE_KEYED_EVENT);
    try {
      return keyed.NtCreateKeyedEvent(Kernel.USER_MODE, KeyedEventHandle, DesiredAccess,
          ObjectAttributes, Flags);
    } finally {
      services.ret();
    }
  }

  /** NtOpenKeyedEvent: see KeyedEventServices.NtOpenKeyedEvent. */
  public int NtOpenKeyedEvent(long[] KeyedEventHandle, int DesiredAccess,
      ObjectAttributes ObjectAttributes) {
    services.trap(KeyedEventServices.NT_OPEN_KEYED_EVENT);
    try {
      return keyed.NtOpenKeyedEvent(Kernel.USER_MODE, KeyedEventHandle, DesiredAccess,
          ObjectAttributes);
    } finally {
      services.ret();
    }
  }

  /**
   * NtWaitForKeyedEvent: see KeyedEventServices.NtWaitForKeyedEvent; {@code Timeout}
   * {@code Long.MIN_VALUE} is a NULL pointer (no timeout).
   */
  public int NtWaitForKeyedEvent(long KeyedEventHandle, long Key, boolean Alertable,
      long Timeout) {
    services.trap(KeyedEventServices.NT_WAIT_FOR_KEYED_EVENT);
    try {
      return keyed.NtWaitForKeyedEvent(Kernel.USER_MODE, KeyedEventHandle, Key, Alertable,
          Timeout);
    } finally {
      services.ret();
    }
  }

  /** NtReleaseKeyedEvent: see KeyedEventServices.NtReleaseKeyedEvent. */
  public int NtReleaseKeyedEvent(long KeyedEventHandle, long Key, boolean Alertable,
      long Timeout) {
    services.trap(KeyedEventServices.NT_RELEASE_KEYED_EVENT);
    try {
      return keyed.NtReleaseKeyedEvent(Kernel.USER_MODE, KeyedEventHandle, Key, Alertable,
          Timeout);
    } finally {
      services.ret();
    }
  }

  // ------------------------------------------------------------------ handle flags

  /** NtQueryObject (ObjectHandleFlagInformation): see ObServices.NtQueryObject. */
  public int NtQueryObject(long Handle, int ObjectInformationClass,
      ObjectHandleFlagInformation ObjectInformation, int ObjectInformationLength,
      int[] ReturnLength) {
    services.trap(ObServices.NT_QUERY_OBJECT);
    try {
      return ob.NtQueryObject(Kernel.USER_MODE, Handle, ObjectInformationClass,
          ObjectInformation, ObjectInformationLength, ReturnLength);
    } finally {
      services.ret();
    }
  }

  /** NtSetInformationObject (ObjectHandleFlagInformation): see ObServices. */
  public int NtSetInformationObject(long Handle, int ObjectInformationClass,
      ObjectHandleFlagInformation ObjectInformation, int ObjectInformationLength) {
    services.trap(ObServices.NT_SET_INFORMATION_OBJECT);
    try {
      return ob.NtSetInformationObject(Kernel.USER_MODE, Handle, ObjectInformationClass,
          ObjectInformation, ObjectInformationLength);
    } finally {
      services.ret();
    }
  }

  // ------------------------------------------------------------------ system time

  /** NtQuerySystemTime: see SystemTimeServices.NtQuerySystemTime. */
  public int NtQuerySystemTime(long[] SystemTime) {
    services.trap(SystemTimeServices.NT_QUERY_SYSTEM_TIME);
    try {
      return time.NtQuerySystemTime(Kernel.USER_MODE, SystemTime);
    } finally {
      services.ret();
    }
  }

  /** NtSetSystemTime: see SystemTimeServices.NtSetSystemTime. */
  public int NtSetSystemTime(long[] SystemTime, long[] PreviousTime) {
    services.trap(SystemTimeServices.NT_SET_SYSTEM_TIME);
    try {
      return time.NtSetSystemTime(Kernel.USER_MODE, SystemTime, PreviousTime);
    } finally {
      services.ret();
    }
  }

  /**
   * KUSER_SHARED_DATA.SystemTime, read from the shared page without a trap: the system time of
   * the last clock tick, what GetSystemTimeAsFileTime returns.
   */
  public long SharedUserDataSystemTime() {
    return time.sharedUserDataSystemTime();
  }
}
