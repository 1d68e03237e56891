package org.ntsim.mm;

import org.ntsim.ke.KProcess;

/**
 * A process's address space as the memory manager keeps it (the Mm fields of EPROCESS and its
 * MMSUPPORT): the page directory, the VAD tree, the commit charge, and the counts that
 * {@code !process} and {@code !vm} print.
 *
 * <p>Invariants: {@code commitCharge} is the sum of the VADs' commit charges;
 * {@code validPrivatePages} is the number of valid PTEs that map private pages below
 * 0x80000000 (the working set's private part); {@code pageTablePages} counts the page tables
 * under the directory's user half. Checked by {@link MmVerifier}.
 *
 * <p>Left out: the working set list itself, its minimum and maximum (the working set manager
 * comes later), quotas, the clone and section structures.
 */
public final class AddressSpace {
  final KProcess process;
  final int directoryFrame;
  final VadTree vads = new VadTree();
  final boolean system;
  long commitCharge; // pages
  long peakCommitCharge;
  long validPrivatePages;
  long peakValidPages;
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
    return validPrivatePages;
  }

  public long peakValidPages() {
    return peakValidPages;
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
    return validPrivatePages + pageTablePages + 1;
  }

  public boolean isSystem() {
    return system;
  }

  public boolean isDeleted() {
    return deleted;
  }

  void noteValid(long delta) {
    validPrivatePages += delta;
    if (validPrivatePages > peakValidPages) {
      peakValidPages = validPrivatePages;
    }
  }

  void charge(long pages) {
    commitCharge += pages;
    if (commitCharge > peakCommitCharge) {
      peakCommitCharge = commitCharge;
    }
  }
}
