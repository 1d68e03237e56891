package org.ntsim.win32;

import org.ntsim.ke.Kernel;
import org.ntsim.ke.ServiceTable;
import org.ntsim.mm.MmSystemInformation;
import org.ntsim.mm.VirtualMemoryServices;

/**
 * ntdll's system-call stubs for the memory manager's services: each traps into KiSystemService
 * with the service's number and runs the body in {@link VirtualMemoryServices} (or
 * {@link MmSystemInformation}) with PreviousMode UserMode. {@link Ntdll} extends it, so that the
 * stubs are Ntdll's public methods.
 */
abstract class NtdllMemory {
  /** MemoryBasicInformation, the one class of NtQueryVirtualMemory modelled. */
  public static final int MemoryBasicInformation = VirtualMemoryServices.MemoryBasicInformation;
  /** SystemPerformanceInformation, the one class of NtQuerySystemInformation modelled. */
  public static final int SystemPerformanceInformation =
      MmSystemInformation.SystemPerformanceInformation;

  private static final int NT_SET_INFORMATION_PROCESS =
      ServiceTable.number("NtSetInformationProcess");
  private static final int NT_QUERY_INFORMATION_PROCESS =
      ServiceTable.number("NtQueryInformationProcess");

  private final Kernel kernel;
  private final VirtualMemoryServices vm;
  private final MmSystemInformation systemInformation;

  NtdllMemory(Ntos ntos) {
    this.kernel = ntos.kernel;
    this.vm = ntos.vmServices;
    this.systemInformation = ntos.mmSystemInformation;
  }

  /** NtAllocateVirtualMemory: see VirtualMemoryServices.NtAllocateVirtualMemory. */
  public int NtAllocateVirtualMemory(long ProcessHandle, long[] BaseAddress, long ZeroBits,
      long[] RegionSize, int AllocationType, int Protect) {
    kernel.enterSystemService(VirtualMemoryServices.NT_ALLOCATE_VIRTUAL_MEMORY);
    try {
      return vm.NtAllocateVirtualMemory(Kernel.USER_MODE, ProcessHandle, BaseAddress, ZeroBits,
          RegionSize, AllocationType, Protect);
    } finally {
      kernel.exitSystemService();
    }
  }

  /** NtFreeVirtualMemory: see VirtualMemoryServices.NtFreeVirtualMemory. */
  public int NtFreeVirtualMemory(long ProcessHandle, long[] BaseAddress, long[] RegionSize,
      int FreeType) {
    kernel.enterSystemService(VirtualMemoryServices.NT_FREE_VIRTUAL_MEMORY);
    try {
      return vm.NtFreeVirtualMemory(Kernel.USER_MODE, ProcessHandle, BaseAddress, RegionSize,
          FreeType);
    } finally {
      kernel.exitSystemService();
    }
  }

  /** NtProtectVirtualMemory: see VirtualMemoryServices.NtProtectVirtualMemory. */
  public int NtProtectVirtualMemory(long ProcessHandle, long[] BaseAddress, long[] RegionSize,
      int NewProtect, int[] OldProtect) {
    kernel.enterSystemService(VirtualMemoryServices.NT_PROTECT_VIRTUAL_MEMORY);
    try {
      return vm.NtProtectVirtualMemory(Kernel.USER_MODE, ProcessHandle, BaseAddress, RegionSize,
          NewProtect, OldProtect);
    } finally {
      kernel.exitSystemService();
    }
  }

  /** NtQueryVirtualMemory: see VirtualMemoryServices.NtQueryVirtualMemory. */
  public int NtQueryVirtualMemory(long ProcessHandle, long BaseAddress, int MemoryInformationClass,
      org.ntsim.mm.MemoryBasicInformation MemoryInformation, long MemoryInformationLength,
      long[] ReturnLength) {
    kernel.enterSystemService(VirtualMemoryServices.NT_QUERY_VIRTUAL_MEMORY);
    try {
      return vm.NtQueryVirtualMemory(Kernel.USER_MODE, ProcessHandle, BaseAddress,
          MemoryInformationClass, MemoryInformation, MemoryInformationLength, ReturnLength);
    } finally {
      kernel.exitSystemService();
    }
  }

  /** NtLockVirtualMemory: see VirtualMemoryServices.NtLockVirtualMemory. */
  public int NtLockVirtualMemory(long ProcessHandle, long[] BaseAddress, long[] RegionSize,
      int MapType) {
    kernel.enterSystemService(VirtualMemoryServices.NT_LOCK_VIRTUAL_MEMORY);
    try {
      return vm.NtLockVirtualMemory(Kernel.USER_MODE, ProcessHandle, BaseAddress, RegionSize,
          MapType);
    } finally {
      kernel.exitSystemService();
    }
  }

  /** NtUnlockVirtualMemory: see VirtualMemoryServices.NtUnlockVirtualMemory. */
  public int NtUnlockVirtualMemory(long ProcessHandle, long[] BaseAddress, long[] RegionSize,
      int MapType) {
    kernel.enterSystemService(VirtualMemoryServices.NT_UNLOCK_VIRTUAL_MEMORY);
    try {
      return vm.NtUnlockVirtualMemory(Kernel.USER_MODE, ProcessHandle, BaseAddress, RegionSize,
          MapType);
    } finally {
      kernel.exitSystemService();
    }
  }

  /** NtReadVirtualMemory: see VirtualMemoryServices.NtReadVirtualMemory. */
  public int NtReadVirtualMemory(long ProcessHandle, long BaseAddress, long Buffer,
      long BufferSize, long[] NumberOfBytesRead) {
    kernel.enterSystemService(VirtualMemoryServices.NT_READ_VIRTUAL_MEMORY);
    try {
      return vm.NtReadVirtualMemory(Kernel.USER_MODE, ProcessHandle, BaseAddress, Buffer,
          BufferSize, NumberOfBytesRead);
    } finally {
      kernel.exitSystemService();
    }
  }

  /** NtWriteVirtualMemory: see VirtualMemoryServices.NtWriteVirtualMemory. */
  public int NtWriteVirtualMemory(long ProcessHandle, long BaseAddress, long Buffer,
      long BufferSize, long[] NumberOfBytesWritten) {
    kernel.enterSystemService(VirtualMemoryServices.NT_WRITE_VIRTUAL_MEMORY);
    try {
      return vm.NtWriteVirtualMemory(Kernel.USER_MODE, ProcessHandle, BaseAddress, Buffer,
          BufferSize, NumberOfBytesWritten);
    } finally {
      kernel.exitSystemService();
    }
  }

  /** NtGetWriteWatch: see VirtualMemoryServices.NtGetWriteWatch. */
  public int NtGetWriteWatch(long ProcessHandle, int Flags, long BaseAddress, long RegionSize,
      long[] UserAddressArray, long[] EntriesInUserAddressArray, int[] Granularity) {
    kernel.enterSystemService(VirtualMemoryServices.NT_GET_WRITE_WATCH);
    try {
      return vm.NtGetWriteWatch(Kernel.USER_MODE, ProcessHandle, Flags, BaseAddress, RegionSize,
          UserAddressArray, EntriesInUserAddressArray, Granularity);
    } finally {
      kernel.exitSystemService();
    }
  }

  /** NtResetWriteWatch: see VirtualMemoryServices.NtResetWriteWatch. */
  public int NtResetWriteWatch(long ProcessHandle, long BaseAddress, long RegionSize) {
    kernel.enterSystemService(VirtualMemoryServices.NT_RESET_WRITE_WATCH);
    try {
      return vm.NtResetWriteWatch(Kernel.USER_MODE, ProcessHandle, BaseAddress, RegionSize);
    } finally {
      kernel.exitSystemService();
    }
  }

  /** NtQuerySystemInformation: see MmSystemInformation.NtQuerySystemInformation. */
  public int NtQuerySystemInformation(int SystemInformationClass,
      MmSystemInformation.PerformanceInformation SystemInformation,
      long SystemInformationLength, long[] ReturnLength) {
    kernel.enterSystemService(MmSystemInformation.NT_QUERY_SYSTEM_INFORMATION);
    try {
      return systemInformation.NtQuerySystemInformation(Kernel.USER_MODE, SystemInformationClass,
          SystemInformation, SystemInformationLength, ReturnLength);
    } finally {
      kernel.exitSystemService();
    }
  }

  // The working-set calls trap as NtSetInformationProcess and NtQueryInformationProcess with
  // ProcessQuotaLimits do; the services' other classes live in ps.

  /** NtSetInformationProcess(ProcessQuotaLimits): see MmAdjustWorkingSetSize; sizes in pages. */
  int setWorkingSetSize(long ProcessHandle, long minimumPages, long maximumPages,
      boolean hardMaximum) {
    kernel.enterSystemService(NT_SET_INFORMATION_PROCESS);
    try {
      return vm.MmAdjustWorkingSetSize(Kernel.USER_MODE, ProcessHandle, minimumPages,
          maximumPages, hardMaximum);
    } finally {
      kernel.exitSystemService();
    }
  }

  /** NtQueryInformationProcess(ProcessQuotaLimits): see MmQueryWorkingSetInformation. */
  int queryWorkingSetSize(long ProcessHandle, long[] limits) {
    kernel.enterSystemService(NT_QUERY_INFORMATION_PROCESS);
    try {
      return vm.MmQueryWorkingSetInformation(Kernel.USER_MODE, ProcessHandle, limits);
    } finally {
      kernel.exitSystemService();
    }
  }

  /** NtSetInformationProcess(ProcessQuotaLimits) with both limits -1: see MmEmptyWorkingSet. */
  int emptyWorkingSet(long ProcessHandle) {
    kernel.enterSystemService(NT_SET_INFORMATION_PROCESS);
    try {
      return vm.MmEmptyWorkingSet(Kernel.USER_MODE, ProcessHandle);
    } finally {
      kernel.exitSystemService();
    }
  }
}
