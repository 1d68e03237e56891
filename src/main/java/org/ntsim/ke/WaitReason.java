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

  private static final String[] NAMES = {
    "Executive", "FreePage", "PageIn", "PoolAllocation", "DelayExecution", "Suspended",
    "UserRequest", "WrExecutive", "WrFreePage", "WrPageIn", "WrPoolAllocation",
    "WrDelayExecution", "WrSuspended", "WrUserRequest", "WrEventPair", "WrQueue",
    "WrLpcReceive", "WrLpcReply", "WrVirtualMemory", "WrPageOut", "WrRendezvous", "WrKeyedEvent"
  };

  private WaitReason() {}

  public static String name(int reason) {
    return reason >= 0 && reason < NAMES.length ? NAMES[reason] : "WaitReason" + reason;
  }
}
