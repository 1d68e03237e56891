package org.ntsim.ex.sync;

/**
 * The information classes of NtQueryEvent, NtQueryMutant, NtQuerySemaphore and NtQueryTimer
 * (ntexapi.h), each the one class Vista x86 has for its object, with the structure's x86 size,
 * which the caller's length must equal. A caller passes the structure and the length it claims
 * the buffer has; the service fills the structure.
 */
public final class SyncInformation {
  /** EVENT_INFORMATION_CLASS, MUTANT_INFORMATION_CLASS, ... : the basic class of each. */
  public static final int EventBasicInformation = 0;
  public static final int MutantBasicInformation = 0;
  public static final int SemaphoreBasicInformation = 0;
  public static final int TimerBasicInformation = 0;

  private SyncInformation() {}

  /** EVENT_BASIC_INFORMATION: EVENT_TYPE EventType; LONG EventState. */
  public static final class EventBasic {
    public static final int SIZE = 8;
    public int EventType;
    public int EventState;
  }

  /** MUTANT_BASIC_INFORMATION: LONG CurrentCount; BOOLEAN OwnedByCaller, AbandonedState. */
  public static final class MutantBasic {
    public static final int SIZE = 8;
    /** 1 when free, 0 when owned once, -1 when twice, ... */
    public int CurrentCount;
    public boolean OwnedByCaller;
    public boolean AbandonedState;
  }

  /** SEMAPHORE_BASIC_INFORMATION: LONG CurrentCount; LONG MaximumCount. */
  public static final class SemaphoreBasic {
    public static final int SIZE = 8;
    public int CurrentCount;
    public int MaximumCount;
  }

  /** TIMER_BASIC_INFORMATION: LARGE_INTEGER RemainingTime; BOOLEAN TimerState (16 bytes). */
  public static final class TimerBasic {
    public static final int SIZE = 16;
    /** The due time less the interrupt time now, in 100 ns units; negative once it has passed. */
    public long RemainingTime;
    public boolean TimerState;
  }
}
