package org.ntsim.mm;

/**
 * A process's working set list (MMWSL, seed 004 slides 36-37): the private pages it has valid
 * now, each entry a virtual page number with an age, in primitive arrays.
 *
 * <p>Models: entries added by the fault handler and removed by trimming, decommit and release;
 * an active frame's PFN entry holds its working set index where a listed frame holds its list
 * link (the WsIndex/Flink union of NT's MMPFN), so removal is O(1): the last entry moves into
 * the hole and its frame's index is updated. Ages count the working set manager's passes since
 * the page was last seen accessed (0-7); the unused-page estimate is the count the last pass
 * aged. Minimum and maximum default to NT's 50 and 345 pages;
 * the maximum is soft (the set may grow past it while memory is plentiful) unless made hard.
 *
 * <p>Invariants: {@code count} entries, each a page whose PTE is valid (or a transition PTE
 * whose frame stays resident behind a no-access or guard protection), whose frame names this
 * index; no page twice. Checked by {@link MmVerifier}.
 *
 * <p>The same list serves as the system working set ({@link SystemPoolPages}): its entries are
 * paged pool pages, its limits those of MmSystemCacheWs.
 *
 * <p>Left out: page tables and the hyperspace pages in the list (counted apart), the hash table
 * NT keeps beside it, session working sets.
 */
public final class WorkingSet {
  public static final int DEFAULT_MINIMUM = 50;
  public static final int DEFAULT_MAXIMUM = 345;
  static final int MAX_AGE = 7;

  int[] vpn = new int[64];
  byte[] age = new byte[64];
  int count;
  int peak;
  int minimumPages = DEFAULT_MINIMUM;
  int maximumPages = DEFAULT_MAXIMUM;
  boolean hardMaximum; // QUOTA_LIMITS_HARDWS_MAX_ENABLE: never above the maximum
  long pagesTrimmed;
  int hand; // where replacement looks next
  int unusedEstimate; // entries the last aging pass found not accessed since the pass before

  public int count() {
    return count;
  }

  public int peak() {
    return peak;
  }

  public int minimumPages() {
    return minimumPages;
  }

  public int maximumPages() {
    return maximumPages;
  }

  public boolean hardMaximum() {
    return hardMaximum;
  }

  public long pagesTrimmed() {
    return pagesTrimmed;
  }

  /**
   * The working set manager's estimate of the pages this process is not using: how many entries
   * its last pass found with the accessed bit clear (and aged). 0 before the first pass.
   */
  public int unusedEstimate() {
    return unusedEstimate;
  }

  /** The virtual page number of entry {@code index}. */
  public int entry(int index) {
    return vpn[index];
  }

  public int age(int index) {
    return age[index];
  }

  /** MiAddValidPageToWorkingSet's list part: returns the new entry's index. */
  int insert(int page) {
    if (count == vpn.length) {
      vpn = java.util.Arrays.copyOf(vpn, count * 2);
      age = java.util.Arrays.copyOf(age, count * 2);
    }
    vpn[count] = page;
    age[count] = 0;
    peak = Math.max(peak, ++count);
    return count - 1;
  }

  /**
   * Removes entry {@code index}; the last entry moves into its place. Returns the page that
   * moved (its frame's index must become {@code index}), or -1 if none did.
   */
  int removeAt(int index) {
    int last = --count;
    if (index == last) {
      return -1;
    }
    vpn[index] = vpn[last];
    age[index] = age[last];
    return vpn[index];
  }
}
