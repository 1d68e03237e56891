package org.ntsim.mm;

import org.ntsim.ke.Kernel;
import org.ntsim.ke.NtStatus;
import org.ntsim.ob.ProcessContext;

/**
 * NtQuerySystemInformation for the memory figures GlobalMemoryStatusEx reports
 * (SystemPerformanceInformation): physical pages available, the commit charge and its limit.
 * NT keeps the service in ex's sysinfo.c, which reads mm's counters; here it lives in mm, because
 * executive support (ex) sits on the kernel alone.
 *
 * <p>Models: the information block narrowed to what kernel32 reads. On NT, GlobalMemoryStatusEx
 * takes NumberOfPhysicalPages from the SYSTEM_BASIC_INFORMATION kernel32 caches at process start,
 * and the caller's reserved bytes from NtQueryInformationProcess(ProcessVmCounters).VirtualSize;
 * here the one block carries both, so that GlobalMemoryStatusEx stays the one system call it is
 * charged as.
 *
 * <p>Left out: every other information class (STATUS_INVALID_INFO_CLASS).
 */
public final class MmSystemInformation {
  public static final int NT_QUERY_SYSTEM_INFORMATION =
      org.ntsim.ke.ServiceTable.number("NtQuerySystemInformation");

  /** SYSTEM_INFORMATION_CLASS: the one class modelled. */
  public static final int SystemPerformanceInformation = 2;

  /** SYSTEM_PERFORMANCE_INFORMATION, the fields kernel32 reads (counts in pages). */
  public static final class PerformanceInformation {
    /** sizeof(SYSTEM_PERFORMANCE_INFORMATION) on x86. */
    public static final int SIZE = 0x138;

    public long AvailablePages;
    public long CommittedPages;
    public long CommitLimit;
    /** SYSTEM_BASIC_INFORMATION.NumberOfPhysicalPages. */
    public long NumberOfPhysicalPages;
    /** VM_COUNTERS.VirtualSize of the calling process: the bytes its VADs reserve. */
    public long VirtualSize;
  }

  private final Kernel kernel;
  private final MemoryManager mm;
  private final ProcessContext processes;
  private final org.ntsim.ke.OutParameter out;

  public MmSystemInformation(Kernel kernel, MemoryManager mm, ProcessContext processes) {
    this.kernel = kernel;
    this.mm = mm;
    this.processes = processes;
    this.out = new org.ntsim.ke.OutParameter(kernel);
  }

  /**
   * NtQuerySystemInformation (SystemPerformanceInformation only): STATUS_INVALID_INFO_CLASS for
   * another class, STATUS_INFO_LENGTH_MISMATCH for a buffer smaller than the block,
   * STATUS_ACCESS_VIOLATION (a bug check from kernel mode) for no buffer. ReturnLength is
   * optional.
   */
  public int NtQuerySystemInformation(int previousMode, int systemInformationClass,
      PerformanceInformation systemInformation, long systemInformationLength,
      long[] returnLength) {
    if (systemInformationClass != SystemPerformanceInformation) {
      return NtStatus.STATUS_INVALID_INFO_CLASS;
    }
    if (systemInformationLength < PerformanceInformation.SIZE) {
      return NtStatus.STATUS_INFO_LENGTH_MISMATCH;
    }
    if (systemInformation == null) {
      return out.probe(previousMode, null, "SystemInformation");
    }
    int probe = out.probeOptional(previousMode, returnLength, "ReturnLength");
    if (probe != NtStatus.STATUS_SUCCESS) {
      return probe;
    }
    systemInformation.NumberOfPhysicalPages = mm.pfnDatabase().frameCount();
    systemInformation.AvailablePages = mm.pfnDatabase().availablePages();
    systemInformation.CommitLimit = mm.commitLimit();
    systemInformation.CommittedPages = mm.commitTotal();
    AddressSpace self = ((MmProcess) processes.currentProcessHeader().body).addressSpace();
    long reserved = 0;
    for (Vad v : self.vads().inOrder()) {
      reserved += v.endAddress() - v.startAddress();
    }
    systemInformation.VirtualSize = reserved;
    if (returnLength != null) {
      returnLength[0] = PerformanceInformation.SIZE;
    }
    return NtStatus.STATUS_SUCCESS;
  }

  /** ZwQuerySystemInformation. */
  public int ZwQuerySystemInformation(int systemInformationClass,
      PerformanceInformation systemInformation, long systemInformationLength,
      long[] returnLength) {
    return kernel.systemCalls().zw(NT_QUERY_SYSTEM_INFORMATION,
        mode -> NtQuerySystemInformation(mode, systemInformationClass, systemInformation,
            systemInformationLength, returnLength));
  }
}
