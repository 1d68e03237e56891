package org.ntsim.mm;

/**
 * MEMORY_BASIC_INFORMATION as NtQueryVirtualMemory and VirtualQuery fill it: the run of pages
 * from {@code BaseAddress} that share one state, protection and type. 28 bytes on x86.
 */
public final class MemoryBasicInformation {
  public static final int SIZE = 28;
  public static final int MEM_COMMIT = 0x1000;
  public static final int MEM_RESERVE = 0x2000;
  public static final int MEM_FREE = 0x10000;
  public static final int MEM_PRIVATE = 0x20000;

  public long BaseAddress;
  public long AllocationBase;
  public int AllocationProtect;
  public long RegionSize;
  public int State;
  public int Protect;
  public int Type;

  @Override
  public String toString() {
    return String.format("Base %08x AllocationBase %08x AllocationProtect %x RegionSize %x State %x"
        + " Protect %x Type %x", BaseAddress, AllocationBase, AllocationProtect, RegionSize, State,
        Protect, Type);
  }
}
