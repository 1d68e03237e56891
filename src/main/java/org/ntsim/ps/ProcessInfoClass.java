package org.ntsim.ps;

/** PROCESSINFOCLASS: the classes of NtQueryInformationProcess and NtSetInformationProcess. */
public final class ProcessInfoClass {
  public static final int ProcessBasicInformation = 0;
  public static final int ProcessPriorityClass = 18;

  private ProcessInfoClass() {}
}
