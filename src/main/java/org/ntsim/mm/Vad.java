package org.ntsim.mm;

/**
 * A virtual address descriptor (MMVAD_SHORT): one reserved region of a process's user address
 * space, a node of the process's balanced VAD tree.
 *
 * <p>Models: the region's first and last virtual page numbers, the protection it was reserved
 * with, whether its pages were committed at reservation (MemCommit: a zero PTE inside then means
 * committed with the VAD's protection), private memory, write watch, and the number of pages
 * committed (CommitCharge).
 *
 * <p>Invariants: {@code startingVpn <= endingVpn}; the region starts on a 64 KiB boundary
 * (a PEB's or TEB's page excepted);
 * regions of one process never overlap.
 *
 * <p>Left out: mapped views (sections), the long and image VAD variants, large pages, AWE.
 */
public final class Vad {
  final long startingVpn;
  final long endingVpn;
  final int protection; // MM protection given at reservation
  final boolean memCommit;
  final boolean writeWatch;
  final boolean topDown;
  boolean pebOrTeb; // made by MmCreatePeb or MmCreateTeb
  long address; // where the VAD lives in non-paged pool ('Vad ' tag), for the debugger
  long commitCharge; // pages committed in the region
  long[] writeWatchBits; // one bit per page written since the last reset, when writeWatch
  long[] lockedBits; // one bit per page locked in the working set, made on first lock

  // AVL tree links
  Vad left;
  Vad right;
  Vad parent;
  int height = 1;

  Vad(long startingVpn, long endingVpn, int protection, boolean memCommit, boolean writeWatch,
      boolean topDown) {
    this.startingVpn = startingVpn;
    this.endingVpn = endingVpn;
    this.protection = protection;
    this.memCommit = memCommit;
    this.writeWatch = writeWatch;
    this.topDown = topDown;
    if (writeWatch) {
      writeWatchBits = new long[(int) ((pages() + 63) / 64)];
    }
  }

  /** The VAD's simulated pool address, as {@code !vad} prints it. */
  public long address() {
    return address;
  }

  /** The VAD's depth in its tree, the root at 1 (the level {@code !vad} prints). */
  public int level() {
    int level = 1;
    for (Vad p = parent; p != null; p = p.parent) {
      level++;
    }
    return level;
  }

  /** The VAD's children and parent in its process's tree, or null; for the debugger's image. */
  public Vad leftChild() {
    return left;
  }

  public Vad rightChild() {
    return right;
  }

  public Vad parentVad() {
    return parent;
  }

  public long startingVpn() {
    return startingVpn;
  }

  public long endingVpn() {
    return endingVpn;
  }

  public long startAddress() {
    return startingVpn << 12;
  }

  /** The address one past the region's last byte. */
  public long endAddress() {
    return (endingVpn + 1) << 12;
  }

  public long pages() {
    return endingVpn - startingVpn + 1;
  }

  public int protection() {
    return protection;
  }

  public boolean memCommit() {
    return memCommit;
  }

  public boolean writeWatch() {
    return writeWatch;
  }

  public long commitCharge() {
    return commitCharge;
  }

  public boolean contains(long vpn) {
    return vpn >= startingVpn && vpn <= endingVpn;
  }

  void markWritten(long vpn) {
    int i = (int) (vpn - startingVpn);
    writeWatchBits[i >>> 6] |= 1L << (i & 63);
  }

  boolean written(long vpn) {
    int i = (int) (vpn - startingVpn);
    return (writeWatchBits[i >>> 6] & (1L << (i & 63))) != 0;
  }

  /** A VAD for pages {@code fromVpn..toVpn} of this one, with their write-watch and lock bits. */
  Vad slice(long fromVpn, long toVpn) {
    Vad v = new Vad(fromVpn, toVpn, protection, memCommit, writeWatch, topDown);
    v.address = address;
    for (long vpn = fromVpn; vpn <= toVpn; vpn++) {
      if (writeWatch && written(vpn)) {
        v.markWritten(vpn);
      }
      if (locked(vpn)) {
        v.setLocked(vpn, true);
      }
    }
    return v;
  }

  boolean locked(long vpn) {
    if (lockedBits == null) {
      return false;
    }
    int i = (int) (vpn - startingVpn);
    return (lockedBits[i >>> 6] & (1L << (i & 63))) != 0;
  }

  void setLocked(long vpn, boolean locked) {
    if (lockedBits == null) {
      if (!locked) {
        return;
      }
      lockedBits = new long[(int) ((pages() + 63) / 64)];
    }
    int i = (int) (vpn - startingVpn);
    if (locked) {
      lockedBits[i >>> 6] |= 1L << (i & 63);
    } else {
      lockedBits[i >>> 6] &= ~(1L << (i & 63));
    }
  }

  void clearWritten(long vpn) {
    int i = (int) (vpn - startingVpn);
    writeWatchBits[i >>> 6] &= ~(1L << (i & 63));
  }
}
