package org.ntsim.mm;

import org.ntsim.ke.Kernel;
import org.ntsim.ke.NtStatus;
import org.ntsim.ke.OutParameter;
import org.ntsim.ke.ServiceTable;
import org.ntsim.ob.ObServices;
import org.ntsim.ob.ObjectHeader;
import org.ntsim.ob.ObjectManager;
import org.ntsim.ob.ObjectType;
import org.ntsim.ob.ProcessContext;

/**
 * The memory manager's virtual-memory system services: NtAllocateVirtualMemory,
 * NtFreeVirtualMemory, NtProtectVirtualMemory, NtQueryVirtualMemory, NtLock/UnlockVirtualMemory,
 * NtRead/WriteVirtualMemory, NtGet/ResetWriteWatch, and the working-set parts of
 * NtSetInformationProcess and NtQueryInformationProcess (ProcessQuotaLimits). Each Nt* method is
 * the body the service dispatcher runs with the caller's previous mode; each Zw* method is the
 * entry ntoskrnl exports for kernel-mode callers, the same body with PreviousMode KernelMode.
 *
 * <p>Every service reads the same way: the arguments checked in NT's order, the process
 * referenced by handle ({@link ObServices#referenceObjectByHandle}) with the access it needs,
 * the work done in its address space, the reference dropped. A process whose address space is
 * gone (or being torn down) is STATUS_PROCESS_IS_TERMINATING. Out-parameters are probed by
 * {@link OutParameter}: from user mode a bad one is STATUS_ACCESS_VIOLATION with nothing
 * changed, from kernel mode a bug check.
 *
 * <p>Left out: the Zw entries Vista's ntoskrnl does not export (ZwProtectVirtualMemory,
 * ZwLock/UnlockVirtualMemory, ZwRead/WriteVirtualMemory, ZwGet/ResetWriteWatch).
 */
public final class VirtualMemoryServices {
  public static final int NT_ALLOCATE_VIRTUAL_MEMORY =
      ServiceTable.number("NtAllocateVirtualMemory");
  public static final int NT_FREE_VIRTUAL_MEMORY = ServiceTable.number("NtFreeVirtualMemory");
  public static final int NT_PROTECT_VIRTUAL_MEMORY =
      ServiceTable.number("NtProtectVirtualMemory");
  public static final int NT_QUERY_VIRTUAL_MEMORY = ServiceTable.number("NtQueryVirtualMemory");
  public static final int NT_LOCK_VIRTUAL_MEMORY = ServiceTable.number("NtLockVirtualMemory");
  public static final int NT_UNLOCK_VIRTUAL_MEMORY =
      ServiceTable.number("NtUnlockVirtualMemory");
  public static final int NT_READ_VIRTUAL_MEMORY = ServiceTable.number("NtReadVirtualMemory");
  public static final int NT_WRITE_VIRTUAL_MEMORY = ServiceTable.number("NtWriteVirtualMemory");
  public static final int NT_GET_WRITE_WATCH = ServiceTable.number("NtGetWriteWatch");
  public static final int NT_RESET_WRITE_WATCH = ServiceTable.number("NtResetWriteWatch");

  /** The process access rights these services need (as ps names them; mm cannot import ps). */
  static final int PROCESS_VM_OPERATION = 0x0008;
  static final int PROCESS_VM_READ = 0x0010;
  static final int PROCESS_VM_WRITE = 0x0020;
  static final int PROCESS_SET_QUOTA = 0x0100;
  static final int PROCESS_QUERY_INFORMATION = 0x0400;

  /** MemoryBasicInformation, the one class of NtQueryVirtualMemory modelled. */
  public static final int MemoryBasicInformation = 0;

  private final Kernel kernel;
  private final MemoryManager mm;
  private final ObjectManager objects;
  private final ObServices ob;
  private final ProcessContext processes;
  private final ObjectType processType;
  private final OutParameter out;

  public VirtualMemoryServices(Kernel kernel, MemoryManager mm, ObjectManager objects,
      ObServices ob, ProcessContext processes, ObjectType processType) {
    this.kernel = kernel;
    this.mm = mm;
    this.objects = objects;
    this.ob = ob;
    this.processes = processes;
    this.processType = processType;
    this.out = new OutParameter(kernel);
  }

  // ------------------------------------------------------------------ the process's address space

  /** A referenced process's address space and the reference to drop, or a failure status. */
  private record Space(int status, AddressSpace space, ObjectHeader header) {}

  /**
   * The address space of the process behind {@code handle} with {@code access}, referenced;
   * STATUS_PROCESS_IS_TERMINATING when it has none left.
   */
  private Space space(int previousMode, long handle, int access) {
    ObjectManager.Reference ref = ob.referenceObjectByHandle(previousMode, handle, access,
        processType);
    if (!ref.ok()) {
      return new Space(ref.status(), null, null);
    }
    AddressSpace as = ((MmProcess) ref.header().body).addressSpace();
    if (as == null || as.isVmDeleted()) {
      objects.dereference(ref.header());
      return new Space(NtStatus.STATUS_PROCESS_IS_TERMINATING, null, null);
    }
    return new Space(NtStatus.STATUS_SUCCESS, as, ref.header());
  }

  /**
   * Runs {@code body} on the address space of the process behind {@code handle} (with
   * {@code access}), holding a reference to the process meanwhile; the status of a failed
   * reference otherwise ({@link #space}).
   */
  private int withSpace(int previousMode, long handle, int access,
      java.util.function.ToIntFunction<AddressSpace> body) {
    Space s = space(previousMode, handle, access);
    if (s.status != NtStatus.STATUS_SUCCESS) {
      return s.status;
    }
    try {
      return body.applyAsInt(s.space);
    } finally {
      release(s);
    }
  }

  private void release(Space s) {
    if (s.header != null) {
      objects.dereference(s.header);
    }
  }

  // ------------------------------------------------------------------ allocate, free, protect

  /**
   * NtAllocateVirtualMemory: reserves and/or commits a region, or resets pages (MEM_RESET).
   * BaseAddress and RegionSize are in/out; ZeroBits (0-21) keeps the region below
   * {@code 1 << (32 - ZeroBits)}. Checks as Windows orders them: the allocation type, the
   * protection, the pointers, the handle (PROCESS_VM_OPERATION).
   */
  public int NtAllocateVirtualMemory(int previousMode, long processHandle, long[] baseAddress,
      long zeroBits, long[] regionSize, int allocationType, int protect) {
    int typeCheck = VirtualMemory.checkAllocation(allocationType, protect);
    if (typeCheck != NtStatus.STATUS_SUCCESS) {
      return typeCheck;
    }
    int probe = probeBoth(previousMode, baseAddress, regionSize);
    if (probe != NtStatus.STATUS_SUCCESS) {
      return probe;
    }
    return withSpace(previousMode, processHandle, PROCESS_VM_OPERATION, space -> {
      return mm.virtualMemory().allocate(space, baseAddress, zeroBits, regionSize,
          allocationType, protect);
    });
  }

  /** ZwAllocateVirtualMemory. */
  public int ZwAllocateVirtualMemory(long processHandle, long[] baseAddress, long zeroBits,
      long[] regionSize, int allocationType, int protect) {
    return kernel.systemCalls().zw(NT_ALLOCATE_VIRTUAL_MEMORY,
        mode -> NtAllocateVirtualMemory(mode, processHandle, baseAddress, zeroBits, regionSize,
            allocationType, protect));
  }

  /**
   * NtFreeVirtualMemory: MEM_DECOMMIT or MEM_RELEASE (else STATUS_INVALID_PARAMETER_4);
   * BaseAddress and RegionSize in/out; PROCESS_VM_OPERATION.
   */
  public int NtFreeVirtualMemory(int previousMode, long processHandle, long[] baseAddress,
      long[] regionSize, int freeType) {
    if (freeType != VirtualMemory.MEM_DECOMMIT && freeType != VirtualMemory.MEM_RELEASE) {
      return NtStatus.STATUS_INVALID_PARAMETER_4;
    }
    int probe = probeBoth(previousMode, baseAddress, regionSize);
    if (probe != NtStatus.STATUS_SUCCESS) {
      return probe;
    }
    return withSpace(previousMode, processHandle, PROCESS_VM_OPERATION, space -> {
      return mm.virtualMemory().free(space, baseAddress, regionSize, freeType);
    });
  }

  /** ZwFreeVirtualMemory. */
  public int ZwFreeVirtualMemory(long processHandle, long[] baseAddress, long[] regionSize,
      int freeType) {
    return kernel.systemCalls().zw(NT_FREE_VIRTUAL_MEMORY,
        mode -> NtFreeVirtualMemory(mode, processHandle, baseAddress, regionSize, freeType));
  }

  /**
   * NtProtectVirtualMemory: STATUS_INVALID_PAGE_PROTECTION for a protection Windows does not
   * have, then the pointers; OldProtect receives the first page's protection.
   * PROCESS_VM_OPERATION.
   */
  public int NtProtectVirtualMemory(int previousMode, long processHandle, long[] baseAddress,
      long[] regionSize, int newProtect, int[] oldProtect) {
    if (MmPte.fromWin32(newProtect) < 0) {
      return NtStatus.STATUS_INVALID_PAGE_PROTECTION;
    }
    int probe = probeBoth(previousMode, baseAddress, regionSize);
    if (probe == NtStatus.STATUS_SUCCESS) {
      probe = out.probe(previousMode, oldProtect, "OldProtect");
    }
    if (probe != NtStatus.STATUS_SUCCESS) {
      return probe;
    }
    return withSpace(previousMode, processHandle, PROCESS_VM_OPERATION, space -> {
      return mm.virtualMemory().protect(space, baseAddress, regionSize, newProtect,
          oldProtect);
    });
  }

  /** ProbeForWrite of the in/out BaseAddress and RegionSize, in that order. */
  private int probeBoth(int previousMode, long[] baseAddress, long[] regionSize) {
    int probe = out.probe(previousMode, baseAddress, "BaseAddress");
    return probe != NtStatus.STATUS_SUCCESS ? probe
        : out.probe(previousMode, regionSize, "RegionSize");
  }

  // ------------------------------------------------------------------ query

  /**
   * NtQueryVirtualMemory (MemoryBasicInformation only): STATUS_INVALID_INFO_CLASS for another
   * class, STATUS_INFO_LENGTH_MISMATCH for a buffer under 28 bytes, STATUS_INVALID_PARAMETER for
   * an address above the user range; PROCESS_QUERY_INFORMATION. ReturnLength is optional.
   */
  public int NtQueryVirtualMemory(int previousMode, long processHandle, long baseAddress,
      int memoryInformationClass, MemoryBasicInformation memoryInformation,
      long memoryInformationLength, long[] returnLength) {
    if (memoryInformationClass != MemoryBasicInformation) {
      return NtStatus.STATUS_INVALID_INFO_CLASS;
    }
    if (memoryInformationLength < org.ntsim.mm.MemoryBasicInformation.SIZE) {
      return NtStatus.STATUS_INFO_LENGTH_MISMATCH;
    }
    if (memoryInformation == null) {
      return out.probe(previousMode, null, "MemoryInformation");
    }
    return withSpace(previousMode, processHandle, PROCESS_QUERY_INFORMATION, space -> {
      int status = mm.virtualMemory().query(space, baseAddress, memoryInformation);
      if (status == NtStatus.STATUS_SUCCESS && returnLength != null && returnLength.length > 0) {
        returnLength[0] = org.ntsim.mm.MemoryBasicInformation.SIZE;
      }
      return status;
    });
  }

  /** ZwQueryVirtualMemory. */
  public int ZwQueryVirtualMemory(long processHandle, long baseAddress,
      int memoryInformationClass, MemoryBasicInformation memoryInformation,
      long memoryInformationLength, long[] returnLength) {
    return kernel.systemCalls().zw(NT_QUERY_VIRTUAL_MEMORY,
        mode -> NtQueryVirtualMemory(mode, processHandle, baseAddress, memoryInformationClass,
            memoryInformation, memoryInformationLength, returnLength));
  }

  // ------------------------------------------------------------------ lock, unlock

  /**
   * NtLockVirtualMemory: MapType 1 (MAP_PROCESS) locks pages in the working set;
   * PROCESS_VM_OPERATION.
   */
  public int NtLockVirtualMemory(int previousMode, long processHandle, long[] baseAddress,
      long[] regionSize, int mapType) {
    return lockOrUnlock(previousMode, processHandle, baseAddress, regionSize, mapType, true);
  }

  /** NtUnlockVirtualMemory: as NtLockVirtualMemory, the pages unlocked. */
  public int NtUnlockVirtualMemory(int previousMode, long processHandle, long[] baseAddress,
      long[] regionSize, int mapType) {
    return lockOrUnlock(previousMode, processHandle, baseAddress, regionSize, mapType, false);
  }

  private int lockOrUnlock(int previousMode, long handle, long[] base, long[] size, int mapType,
      boolean lock) {
    int probe = probeBoth(previousMode, base, size);
    if (probe != NtStatus.STATUS_SUCCESS) {
      return probe;
    }
    return withSpace(previousMode, handle, PROCESS_VM_OPERATION, space -> {
      return lock ? mm.virtualMemory().lock(space, base, size, mapType)
          : mm.virtualMemory().unlock(space, base, size, mapType);
    });
  }

  // ------------------------------------------------------------------ read, write

  /**
   * NtReadVirtualMemory: copies BufferSize bytes at BaseAddress in the process (PROCESS_VM_READ)
   * to Buffer, an address in the caller's own address space. Either range wrapping or ending
   * past the user address space is STATUS_ACCESS_VIOLATION before the handle is looked at; a
   * size of zero then succeeds without looking at it. NumberOfBytesRead is optional.
   */
  public int NtReadVirtualMemory(int previousMode, long processHandle, long baseAddress,
      long buffer, long bufferSize, long[] numberOfBytesRead) {
    return copyMemory(previousMode, processHandle, baseAddress, buffer, bufferSize,
        numberOfBytesRead, true);
  }

  /**
   * NtWriteVirtualMemory: copies BufferSize bytes at Buffer in the caller's address space to
   * BaseAddress in the process (PROCESS_VM_WRITE); checked as NtReadVirtualMemory.
   */
  public int NtWriteVirtualMemory(int previousMode, long processHandle, long baseAddress,
      long buffer, long bufferSize, long[] numberOfBytesWritten) {
    return copyMemory(previousMode, processHandle, baseAddress, buffer, bufferSize,
        numberOfBytesWritten, false);
  }

  private int copyMemory(int previousMode, long handle, long remote, long local, long size,
      long[] done, boolean read) {
    int check = ProcessMemoryCopy.checkCopy(remote, local, size);
    if (check != NtStatus.STATUS_SUCCESS) {
      return check;
    }
    if (size == 0) { // nothing to copy: the handle is not looked at
      if (done != null && done.length > 0) {
        done[0] = 0;
      }
      return NtStatus.STATUS_SUCCESS;
    }
    return withSpace(previousMode, handle, read ? PROCESS_VM_READ : PROCESS_VM_WRITE, space -> {
      AddressSpace self = ((MmProcess) processes.currentProcessHeader().body).addressSpace();
      long[] copied = new long[1];
      int status = read
          ? mm.memoryCopy().copy(space, remote, self, local, size, copied, false)
          : mm.memoryCopy().copy(self, local, space, remote, size, copied, true);
      if (done != null && done.length > 0) {
        done[0] = copied[0];
      }
      return status;
    });
  }

  // ------------------------------------------------------------------ write watch

  /**
   * NtGetWriteWatch: the pages of a MEM_WRITE_WATCH region written since the last reset.
   * EntriesInUserAddressArray is in/out; Granularity receives the page size. Checked in NT's
   * order: flags, base and size ({@link WriteWatch#checkGetWriteWatch}), the count
   * (STATUS_ACCESS_VIOLATION if it cannot be read, STATUS_INVALID_PARAMETER_5 if zero), the
   * array and the granularity (STATUS_ACCESS_VIOLATION), the handle (PROCESS_VM_OPERATION), then
   * the region.
   */
  public int NtGetWriteWatch(int previousMode, long processHandle, int flags, long baseAddress,
      long regionSize, long[] userAddressArray, long[] entriesInUserAddressArray,
      int[] granularity) {
    int rangeCheck = WriteWatch.checkGetWriteWatch(flags, baseAddress, regionSize);
    if (rangeCheck != NtStatus.STATUS_SUCCESS) {
      return rangeCheck;
    }
    int probe = out.probe(previousMode, entriesInUserAddressArray, "EntriesInUserAddressArray");
    if (probe != NtStatus.STATUS_SUCCESS) {
      return probe;
    }
    long entries = entriesInUserAddressArray[0];
    if (entries == 0) {
      return NtStatus.STATUS_INVALID_PARAMETER_5;
    }
    // The array is probed for all the entries it claims before any page is looked at.
    if (userAddressArray == null || entries < 0 || userAddressArray.length < entries) {
      return out.probe(previousMode, null, "UserAddressArray");
    }
    probe = out.probe(previousMode, granularity, "Granularity");
    if (probe != NtStatus.STATUS_SUCCESS) {
      return probe;
    }
    return withSpace(previousMode, processHandle, PROCESS_VM_OPERATION, space -> {
      int status = mm.writeWatch().getWriteWatch(space, flags, baseAddress, regionSize,
          userAddressArray, entriesInUserAddressArray);
      if (status == NtStatus.STATUS_SUCCESS) {
        granularity[0] = (int) MmLayout.PAGE_SIZE;
      }
      return status;
    });
  }

  /** NtResetWriteWatch: the region's pages are watched again; PROCESS_VM_OPERATION. */
  public int NtResetWriteWatch(int previousMode, long processHandle, long baseAddress,
      long regionSize) {
    return withSpace(previousMode, processHandle, PROCESS_VM_OPERATION, space -> {
      return mm.writeWatch().resetWriteWatch(space, baseAddress, regionSize);
    });
  }

  // ------------------------------------------------------------------ working set

  /**
   * MmAdjustWorkingSetSize, as NtSetInformationProcess(ProcessQuotaLimits) runs it for the
   * process behind {@code processHandle} (PROCESS_SET_QUOTA): the working set's new minimum and
   * maximum in pages, the maximum hard if asked.
   */
  public int MmAdjustWorkingSetSize(int previousMode, long processHandle, long minimumPages,
      long maximumPages, boolean hardMaximum) {
    return withSpace(previousMode, processHandle, PROCESS_SET_QUOTA, space -> {
      return mm.workingSetManager().setWorkingSetSize(space, minimumPages, maximumPages,
          hardMaximum);
    });
  }

  /**
   * MmQueryWorkingSetInformation, as NtQueryInformationProcess(ProcessQuotaLimits) runs it for
   * the process behind {@code processHandle} (PROCESS_QUERY_INFORMATION): {@code limits[0]} and
   * {@code limits[1]} receive the working set's minimum and maximum in pages.
   */
  public int MmQueryWorkingSetInformation(int previousMode, long processHandle, long[] limits) {
    return withSpace(previousMode, processHandle, PROCESS_QUERY_INFORMATION, space -> {
      limits[0] = space.workingSet().minimumPages();
      limits[1] = space.workingSet().maximumPages();
      return NtStatus.STATUS_SUCCESS;
    });
  }

  /**
   * MmEmptyWorkingSet, as NtSetInformationProcess(ProcessQuotaLimits) with both limits -1 runs
   * it for the process behind {@code processHandle} (PROCESS_SET_QUOTA): as many pages as
   * possible leave the working set.
   */
  public int MmEmptyWorkingSet(int previousMode, long processHandle) {
    return withSpace(previousMode, processHandle, PROCESS_SET_QUOTA, space -> {
      mm.workingSetManager().emptyWorkingSet(space);
      return NtStatus.STATUS_SUCCESS;
    });
  }
}
