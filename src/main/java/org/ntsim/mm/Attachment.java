package org.ntsim.mm;

import org.ntsim.hal.Mmu;
import org.ntsim.ke.KProcess;

/**
 * KeStackAttachProcess as the memory manager's services use it: a service that works on another
 * process's address space runs with that space's page directory loaded, and goes back to where
 * it was afterwards. On a thread (a system service) the thread attaches, so that it stays
 * attached if it is switched out; on the machine loop (a DPC, the harness) the processor's CR3
 * is loaded and restored.
 */
final class Attachment {
  private final boolean thread;
  private final KProcess previous; // the thread's attach state before, for the detach
  private final long savedCr3; // the processor's CR3 before, off a thread

  private Attachment(boolean thread, KProcess previous, long savedCr3) {
    this.thread = thread;
    this.previous = previous;
    this.savedCr3 = savedCr3;
  }

  /** Loads {@code as}'s page directory for the caller until {@link #detach}. */
  static Attachment attach(MemoryManager mm, AddressSpace as) {
    if (mm.kernel.inThreadContext()) {
      return new Attachment(true, mm.kernel.stackAttachProcess(as.process), 0);
    }
    Mmu mmu = mm.machine.activeCpu().mmu;
    long saved = mmu.directoryBase();
    mmu.loadDirectoryBase(as.directoryTableBase());
    return new Attachment(false, null, saved);
  }

  /** KeUnstackDetachProcess: back to the address space the caller had before. */
  void detach(MemoryManager mm) {
    if (thread) {
      mm.kernel.unstackDetachProcess(previous);
    } else if (savedCr3 != 0) {
      mm.machine.activeCpu().mmu.loadDirectoryBase(savedCr3);
    }
  }
}
