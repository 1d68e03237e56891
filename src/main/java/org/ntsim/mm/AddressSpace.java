package org.ntsim.mm;

import org.ntsim.ke.KProcess;

/**
 * A process's address space as the memory manager keeps it (the Mm fields of EPROCESS and its
 * MMSUPPORT): the page directory, the VAD tree, the commit charge, and the counts that
 * {@code !process} and {@code !vm} print. Each address space has its own hyperspace page table
 * (PDE 0x301), whose PTEs are valid only while the memory manager holds a frame mapped there.
 *
 * <p>Invariants: {@code commitCharge} is the sum of the VADs' commit charges; the working set
 * list holds exactly the valid private pages below 0x80000000 (and those kept resident behind a
 * no-access PTE); {@code pageTablePages} counts the page tables under the directory's user half.
 * Checked by {@link MmVerifier}.
 *
 * <p>Left out: quotas, the clone and section structures.
 */
public final class AddressSpace {
  final KProcess process;
  final int directoryFrame;
  int hyperspaceFrame; // the page table behind PDE 0x301, private to this address space
  final VadTree vads = new VadTree();
  final boolean system;
  long commitCharge; // pages
  long peakCommitCharge;
  final WorkingSet ws = new WorkingSet();
  long pageTablePages;
  long lockedPages;
  long pageFaults;
  boolean cleaned; // user half torn down (last thread gone)
  boolean deleted; // page directory freed

  AddressSpace(KProcess process, int directoryFrame, boolean system) {
    this.process = process;
    this.directoryFrame = directoryFrame;
    this.system = system;
  }

  public KProcess process() {
    return process;
  }

  /** DirectoryTableBase: the page directory's physical address. */
  public long directoryTableBase() {
    return (long) directoryFrame << 12;
  }

  public int directoryFrame() {
    return directoryFrame;
  }

  public VadTree vads() {
    return vads;
  }

  public long commitCharge() {
    return commitCharge;
  }

  public long peakCommitCharge() {
    return peakCommitCharge;
  }

  /** Private pages valid now: the working set's private pages. */
  public long validPrivatePages() {
    return ws.count;
  }

  public long peakValidPages() {
    return ws.peak;
  }

  public WorkingSet workingSet() {
    return ws;
  }

  public long pageTablePages() {
    return pageTablePages;
  }

  public long lockedPages() {
    return lockedPages;
  }

  public long pageFaults() {
    return pageFaults;
  }

  /** Working set size in pages as this model counts it: valid private pages and page tables. */
  public long workingSetPages() {
    return ws.count + pageTablePages + 1;
  }

  public boolean isSystem() {
    return system;
  }

  public boolean isDeleted() {
    return deleted;
  }

  /**
   * NT's PS_PROCESS_FLAGS_VM_DELETED: the process's last thread has gone and its user half has
   * been torn down (MmCleanProcessAddressSpace). The virtual-memory services refuse such a
   * process with STATUS_PROCESS_IS_TERMINATING, so that nothing is mapped or charged to an
   * address space nobody will tear down again.
   */
  public boolean isVmDeleted() {
    return cleaned;
  }

  void charge(long pages) {
    commitCharge += pages;
    if (commitCharge > peakCommitCharge) {
      peakCommitCharge = commitCharge;
    }
  }
}
