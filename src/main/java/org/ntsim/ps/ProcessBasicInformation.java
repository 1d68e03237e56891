package org.ntsim.ps;

/**
 * PROCESS_BASIC_INFORMATION, as NtQueryInformationProcess fills it for ProcessBasicInformation:
 * 24 bytes on x86.
 *
 * <p>Left out: PebBaseAddress (processes have no simulated PEB page).
 */
public final class ProcessBasicInformation {
  public static final int SIZE = 24;

  public int ExitStatus;
  public long AffinityMask;
  public int BasePriority;
  public long UniqueProcessId;
  public long InheritedFromUniqueProcessId;
}
