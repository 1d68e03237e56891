package org.ntsim.ps;

/** THREADINFOCLASS: the classes of NtQueryInformationThread and NtSetInformationThread. */
public final class ThreadInfoClass {
  public static final int ThreadBasicInformation = 0;
  public static final int ThreadBasePriority = 3;
  public static final int ThreadAffinityMask = 4;
  public static final int ThreadIdealProcessor = 13;

  private ThreadInfoClass() {}
}
