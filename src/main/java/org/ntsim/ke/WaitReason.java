package org.ntsim.ke;

/** KWAIT_REASON values and their WinDbg names. */
public final class WaitReason {
  public static final int EXECUTIVE = 0;
  public static final int FREE_PAGE = 1;
  public static final int PAGE_IN = 2;
  public static final int POOL_ALLOCATION = 3;
  public static final int DELAY_EXECUTION = 4;
  public static final int SUSPENDED = 5;
  public static final int USER_REQUEST = 6;
  public static final int WR_EXECUTIVE = 7;
  public static final int WR_FREE_PAGE = 8;
  public static final int WR_PAGE_IN = 9;
  public static final int WR_POOL_ALLOCATION = 10;
  public static final int WR_DELAY_EXECUTION = 11;
  public static final int WR_SUSPENDED = 12;
  public static final int WR_USER_REQUEST = 13;
  public static final int WR_EVENT_PAIR = 14;
  public static final int WR_QUEUE = 15;
  /** A wait in NtWaitForKeyedEvent or NtReleaseKeyedEvent. */
  public static final int WR_KEYED_EVENT = 21;
  /** Vista's numbering from here on (KWAIT_REASON in Vista's wdm.h). */
  public static final int WR_TERMINATED = 22;
  public static final int WR_PROCESS_IN_SWAP = 23;
  public static final int WR_CPU_RATE_CONTROL = 24;
  public static final int WR_CALLOUT_STACK = 25;
  public static final int WR_KERNEL = 26;
  /** A wait for an executive resource (ERESOURCE). */
  public static final int WR_RESOURCE = 27;
  /** A wait for a push lock. */
  public static final int WR_PUSH_LOCK = 28;
  public static final int WR_MUTEX = 29;
  public static final int WR_QUANTUM_END = 30;
  public static final int WR_DISPATCH_INT = 31;
  public static final int WR_PREEMPTED = 32;
  public static final int WR_YIELD_EXECUTION = 33;
  /** A wait for a fast mutex. */
  public static final int WR_FAST_MUTEX = 34;
  /** A wait for a guarded mutex. */
  public static final int WR_GUARDED_MUTEX = 35;
  public static final int WR_RUNDOWN = 36;

  private static final String[] NAMES = {
    "Executive", "FreePage", "PageIn", "PoolAllocation", "DelayExecution", "Suspended",
    "UserRequest", "WrExecutive", "WrFreePage", "WrPageIn", "WrPoolAllocation",
    "WrDelayExecution", "WrSuspended", "WrUserRequest", "WrEventPair", "WrQueue",
    "WrLpcReceive", "WrLpcReply", "WrVirtualMemory", "WrPageOut", "WrRendezvous", "WrKeyedEvent",
    "WrTerminated", "WrProcessInSwap", "WrCpuRateControl", "WrCalloutStack", "WrKernel",
    "WrResource", "WrPushLock", "WrMutex", "WrQuantumEnd", "WrDispatchInt", "WrPreempted",
    "WrYieldExecution", "WrFastMutex", "WrGuardedMutex", "WrRundown"
  };

  private WaitReason() {}

  public static String name(int reason) {
    return reason >= 0 && reason < NAMES.length ? NAMES[reason] : "WaitReason" + reason;
  }
}
