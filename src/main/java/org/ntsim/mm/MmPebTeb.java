package org.ntsim.mm;

/**
 * The process environment block (PEB) and thread environment blocks (TEB) in user space, as
 * MmCreatePeb / MmCreateTeb make them (Windows Internals 5th ed., ch. 5, "Process Environment
 * Block" and "Thread Environment Block"): each a private region of one committed read-write page
 * with its own VAD, the PEB at 0x7FFDF000 and each TEB in the highest free page below it, just
 * under KUSER_SHARED_DATA (0x7FFE0000). The fields are written at Vista x86's offsets
 * ({@code dt nt!_PEB}, {@code dt nt!_TEB}).
 *
 * <p>Invariants: the PEB's VAD lives as long as the process's address space (it goes with every
 * other region when the last thread leaves); a TEB's VAD is released when its thread ends; neither
 * starts on a 64 KiB boundary, so no reservation of a caller's can take their pages.
 *
 * <p>Left out: Vista randomizes the PEB among the 16 pages below 0x7FFE0000 (and the TEBs below
 * it); here the PEB is always at 0x7FFDF000 and the TEBs go down from 0x7FFDE000, as before
 * Vista, so that a run's addresses do not depend on a random draw. NT marks both VADs as not
 * deletable (NoChange); a guest here may free them like any private region, after which the
 * thread's end frees nothing. The fields are written by the thread in its own address space when
 * it starts (NT writes them from the creator, attached): until then they read as zero.
 */
public final class MmPebTeb {
  public static final long PEB_ADDRESS = 0x7FFDF000L;
  private static final long HIGHEST_TEB = 0x7FFDE000L;
  private static final long PAGE = MmLayout.PAGE_SIZE;

  // _PEB (Vista x86)
  public static final int PEB_BEING_DEBUGGED = 0x002;
  public static final int PEB_IMAGE_BASE_ADDRESS = 0x008;
  public static final int PEB_PROCESS_HEAP = 0x018;
  public static final int PEB_NUMBER_OF_PROCESSORS = 0x064;
  public static final int PEB_OS_MAJOR_VERSION = 0x0a4;
  public static final int PEB_OS_MINOR_VERSION = 0x0a8;
  public static final int PEB_OS_BUILD_NUMBER = 0x0ac;
  public static final int PEB_OS_CSD_VERSION = 0x0ae;
  public static final int PEB_OS_PLATFORM_ID = 0x0b0;
  public static final int PEB_SESSION_ID = 0x1d4;
  // _TEB (Vista x86), its _NT_TIB first
  public static final int TEB_STACK_BASE = 0x004;
  public static final int TEB_STACK_LIMIT = 0x008;
  public static final int TEB_SELF = 0x018;
  public static final int TEB_CLIENT_ID = 0x020;
  public static final int TEB_PROCESS_ENVIRONMENT_BLOCK = 0x030;
  public static final int TEB_LAST_ERROR_VALUE = 0x034;
  public static final int TEB_REAL_CLIENT_ID = 0x6b4;

  /** Windows Vista SP1, as {@code vertarget} names the target: 6.0, build 6001, CSD 0x100. */
  static final int OS_MAJOR = 6;
  static final int OS_MINOR = 0;
  static final int OS_BUILD = 6001;
  static final int OS_CSD_VERSION = 0x100;
  static final int VER_PLATFORM_WIN32_NT = 2;

  private final MemoryManager mm;

  MmPebTeb(MemoryManager mm) {
    this.mm = mm;
  }

  /**
   * MmCreatePeb: the PEB's page, committed read-write, at 0x7FFDF000; 0 when it cannot be made
   * (the page is taken, or the commit limit is reached).
   */
  public long createPeb(AddressSpace as) {
    return createPage(as, PEB_ADDRESS, PEB_ADDRESS);
  }

  /**
   * MmCreateTeb: a TEB's page, committed read-write, in the highest free page below the PEB; 0
   * when there is none or the commit limit is reached.
   */
  public long createTeb(AddressSpace as) {
    return createPage(as, HIGHEST_TEB, MmLayout.MM_LOWEST_USER_ADDRESS);
  }

  private long createPage(AddressSpace as, long highest, long lowest) {
    int old = mm.lock();
    try {
      if (as.isVmDeleted()) {
        return 0;
      }
      long va = highest;
      while (va >= lowest && as.vads.overlaps(va >>> 12, va >>> 12)) {
        va -= PAGE;
      }
      if (va < lowest || !mm.chargeCommitment(as, 1)) {
        return 0;
      }
      Vad vad = new Vad(va >>> 12, va >>> 12, MmPte.MM_READWRITE, true, false, false);
      vad.commitCharge = 1;
      vad.pebOrTeb = true;
      vad.address = mm.allocateVadAddress();
      as.vads.insert(vad);
      return va;
    } finally {
      mm.unlock(old);
    }
  }

  /**
   * MmDeleteTeb: releases a thread's TEB page, unless the thread's process has already freed it
   * (the page there is then not a TEB's, and stays).
   */
  public void deleteTeb(AddressSpace as, long teb) {
    if (teb == 0 || as.isVmDeleted()) {
      return;
    }
    Vad vad;
    int old = mm.lock();
    try {
      vad = as.vads.find(teb >>> 12);
    } finally {
      mm.unlock(old);
    }
    if (vad != null && vad.pebOrTeb && vad.startingVpn == teb >>> 12) {
      mm.virtualMemory().free(as, new long[] {teb}, new long[] {0}, VirtualMemory.MEM_RELEASE);
    }
  }

  /**
   * The PEB's fields the console and a debugger read, written in the current address space (the
   * process's own): no image is mapped and no heap made here, so ImageBaseAddress and
   * ProcessHeap are 0; the version is Vista SP1's.
   */
  public void writePeb(long peb, boolean beingDebugged, int processors, int sessionId) {
    MemoryAccess memory = mm.kernelAccess();
    memory.writeByte(peb + PEB_BEING_DEBUGGED, (byte) (beingDebugged ? 1 : 0));
    memory.writeInt(peb + PEB_IMAGE_BASE_ADDRESS, 0);
    memory.writeInt(peb + PEB_PROCESS_HEAP, 0);
    memory.writeInt(peb + PEB_NUMBER_OF_PROCESSORS, processors);
    memory.writeInt(peb + PEB_OS_MAJOR_VERSION, OS_MAJOR);
    memory.writeInt(peb + PEB_OS_MINOR_VERSION, OS_MINOR);
    memory.writeInt(peb + PEB_OS_BUILD_NUMBER, OS_BUILD | OS_CSD_VERSION << 16);
    memory.writeInt(peb + PEB_OS_PLATFORM_ID, VER_PLATFORM_WIN32_NT);
    memory.writeInt(peb + PEB_SESSION_ID, sessionId);
  }

  /**
   * A TEB's fields, written in the current address space: NtTib.Self, the stack bounds (0: guest
   * code runs on no user stack here), ClientId and RealClientId, ProcessEnvironmentBlock,
   * LastErrorValue.
   */
  public void writeTeb(long teb, long peb, long pid, long tid, int lastError) {
    MemoryAccess memory = mm.kernelAccess();
    memory.writeInt(teb + TEB_STACK_BASE, 0);
    memory.writeInt(teb + TEB_STACK_LIMIT, 0);
    memory.writeInt(teb + TEB_SELF, (int) teb);
    memory.writeInt(teb + TEB_CLIENT_ID, (int) pid);
    memory.writeInt(teb + TEB_CLIENT_ID + 4, (int) tid);
    memory.writeInt(teb + TEB_PROCESS_ENVIRONMENT_BLOCK, (int) peb);
    memory.writeInt(teb + TEB_LAST_ERROR_VALUE, lastError);
    memory.writeInt(teb + TEB_REAL_CLIENT_ID, (int) pid);
    memory.writeInt(teb + TEB_REAL_CLIENT_ID + 4, (int) tid);
  }
}
