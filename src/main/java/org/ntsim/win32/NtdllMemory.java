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

  private final org.ntsim.init.SystemServices services;
  private final VirtualMemoryServices vm;
  private final MmSystemInformation systemInformation;

  NtdllMemory(Ntos ntos) {
    this.services = ntos.services;
    this.vm = ntos.vmServices;
    this.systemInformation = ntos.mmSystemInformation;
  }

  /** NtAllocateVirtualMemory: see VirtualMemoryServices.NtAllocateVirtualMemory. */
  public int NtAllocateVirtualMemory(long ProcessHandle, long[] BaseAddress, long ZeroBits,
      long[] RegionSize, int AllocationType, int Protect) {
    services.trap(VirtualMemoryServices.NT_ALLOCATE_VIRTUAL_MEMORY);
    try {
      return vm.NtAllocateVirtualMemory(Kernel.USER_MODE, ProcessHandle, BaseAddress, ZeroBits,
          RegionSize, AllocationType, Protect);
    } finally {
      services.ret();
    }
  }

  /** NtFreeVirtualMemory: see VirtualMemoryServices.NtFreeVirtualMemory. */
  public int NtFreeVirtualMemory(long ProcessHandle, long[] BaseAddress, long[] RegionSize,
      int FreeType) {
    services.trap(VirtualMemoryServices.NT_FREE_VIRTUAL_MEMORY);
    try {
      return vm.NtFreeVirtualMemory(Kernel.USER_MODE, ProcessHandle, BaseAddress, RegionSize,
          FreeType);
    } finally {
      services.ret();
    }
  }

  /** NtProtectVirtualMemory: see VirtualMemoryServices.NtProtectVirtualMemory. */
  public int NtProtectVirtualMemory(long ProcessHandle, long[] BaseAddress, long[] RegionSize,
      int NewProtect, int[] OldProtect) {
    services.trap(VirtualMemoryServices.NT_PROTECT_VIRTUAL_MEMORY);
    try {
      return vm.NtProtectVirtualMemory(Kernel.USER_MODE, ProcessHandle, BaseAddress, RegionSize,
          NewProtect, OldProtect);
    } finally {
      services.ret();
    }
  }

  /** NtQueryVirtualMemory: see VirtualMemoryServices.NtQueryVirtualMemory. */
  public int NtQueryVirtualMemory(long ProcessHandle, long BaseAddress, int MemoryInformationClass,
      org.ntsim.mm.MemoryBasicInformation MemoryInformation, long MemoryInformationLength,
      long[] ReturnLength) {
    services.trap(VirtualMemoryServices.NT_QUERY_VIRTUAL_MEMORY);
    try {
      return vm.NtQueryVirtualMemory(Kernel.USER_MODE, ProcessHandle, BaseAddress,
          MemoryInformationClass, MemoryInformation, MemoryInformationLength, ReturnLength);
    } finally {
      services.ret();
    }
  }

  /** NtLockVirtualMemory: see VirtualMemoryServices.NtLockVirtualMemory. */
  public int NtLockVirtualMemory(long ProcessHandle, long[] BaseAddress, long[] RegionSize,
      int MapType) {
    services.trap(VirtualMemoryServices.NT_LOCK_VIRTUAL_MEMORY);
    try {
      return vm.NtLockVirtualMemory(Kernel.USER_MODE, ProcessHandle, BaseAddress, RegionSize,
          MapType);
    } finally {
      services.ret();
    }
  }

  /** NtUnlockVirtualMemory: see VirtualMemoryServices.NtUnlockVirtualMemory. */
  public int NtUnlockVirtualMemory(long ProcessHandle, long[] BaseAddress, long[] RegionSize,
      int MapType) {
    services.trap(VirtualMemoryServices.NT_UNLOCK_VIRTUAL_MEMORY);
    try {
      return vm.NtUnlockVirtualMemory(Kernel.USER_MODE, ProcessHandle, BaseAddress, RegionSize,
          MapType);
    } finally {
      services.ret();
    }
  }

  /** NtReadVirtualMemory: see VirtualMemoryServices.NtReadVirtualMemory. */
  public int NtReadVirtualMemory(long ProcessHandle, long BaseAddress, long Buffer,
      long BufferSize, long[] NumberOfBytesRead) {
    services.trap(VirtualMemoryServices.NT_READ_VIRTUAL_MEMORY);
    try {
      return vm.NtReadVirtualMemory(Kernel.USER_MODE, ProcessHandle, BaseAddress, Buffer,
          BufferSize, NumberOfBytesRead);
    } finally {
      services.ret();
    }
  }

  /** NtWriteVirtualMemory: see VirtualMemoryServices.NtWriteVirtualMemory. */
  public int NtWriteVirtualMemory(long ProcessHandle, long BaseAddress, long Buffer,
      long BufferSize, long[] NumberOfBytesWritten) {
    services.trap(VirtualMemoryServices.NT_WRITE_VIRTUAL_MEMORY);
    try {
      return vm.NtWriteVirtualMemory(Kernel.USER_MODE, ProcessHandle, BaseAddress, Buffer,
          BufferSize, NumberOfBytesWritten);
    } finally {
      services.ret();
    }
  }

  /** NtGetWriteWatch: see VirtualMemoryServices.NtGetWriteWatch. */
  public int NtGetWriteWatch(long ProcessHandle, int Flags, long BaseAddress, long RegionSize,
      long[] UserAddressArray, long[] EntriesInUserAddressArray, int[] Granularity) {
    services.trap(VirtualMemoryServices.NT_GET_WRITE_WATCH);
    try {
      return vm.NtGetWriteWatch(Kernel.USER_MODE, ProcessHandle, Flags, BaseAddress, RegionSize,
          UserAddressArray, EntriesInUserAddressArray, Granularity);
    } finally {
      services.ret();
    }
  }

  /** NtResetWriteWatch: see VirtualMemoryServices.NtResetWriteWatch. */
  public int NtResetWriteWatch(long ProcessHandle, long BaseAddress, long RegionSize) {
    services.trap(VirtualMemoryServices.NT_RESET_WRITE_WATCH);
    try {
      return vm.NtResetWriteWatch(Kernel.USER_MODE, ProcessHandle, BaseAddress, RegionSize);
    } finally {
      services.ret();
    }
  }

  /** NtQuerySystemInformation: see MmSystemInformation.NtQuerySystemInformation. */
  public int NtQuerySystemInformation(int SystemInformationClass,
      MmSystemInformation.PerformanceInformation SystemInformation,
      long SystemInformationLength, long[] ReturnLength) {
    services.trap(MmSystemInformation.NT_QUERY_SYSTEM_INFORMATION);
    try {
      return systemInformation.NtQuerySystemInformation(Kernel.USER_MODE, SystemInformationClass,
          SystemInformation, SystemInformationLength, ReturnLength);
    } finally {
      services.ret();
    }
  }

  // The working-set calls trap as NtSetInformationProcess and NtQueryInformationProcess with
  // ProcessQuotaLimits do; the services' other classes live in ps.

  /** NtSetInformationProcess(ProcessQuotaLimits): see MmAdjustWorkingSetSize; sizes in pages. */
  int setWorkingSetSize(long ProcessHandle, long minimumPages, long maximumPages,
      boolean hardMaximum) {
    services.trap(NT_SET_INFORMATION_PROCESS);
    try {
      return vm.MmAdjustWorkingSetSize(Kernel.USER_MODE, ProcessHandle, minimumPages,
          maximumPages, hardMaximum);
    } finally {
      services.ret();
    }
  }

  /** NtQueryInformationProcess(ProcessQuotaLimits): see MmQueryWorkingSetInformation. */
  int queryWorkingSetSize(long ProcessHandle, long[] limits) {
    services.trap(NT_QUERY_INFORMATION_PROCESS);
    try {
      return vm.MmQueryWorkingSetInformation(Kernel.USER_MODE, ProcessHandle, limits);
    } finally {
      services.ret();
    }
  }

  /** NtSetInformationProcess(ProcessQuotaLimits) with both limits -1: see MmEmptyWorkingSet. */
  int emptyWorkingSet(long ProcessHandle) {
    services.trap(NT_SET_INFORMATION_PROCESS);
    try {
      return vm.MmEmptyWorkingSet(Kernel.USER_MODE, ProcessHandle);
    } finally {
      services.ret();
    }
  }
}
