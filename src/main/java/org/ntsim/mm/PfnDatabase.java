package org.ntsim.mm;

import org.ntsim.hal.Cpu;
import org.ntsim.hal.Machine;
import org.ntsim.trace.TraceKind;

/**
 * The PFN database (seed 004 slides 34-35): one entry per page frame of physical memory, and the
 * page lists that frames move between. This class is the storage and its primitive edits; the
 * only class that edits it is {@link PfnLists} (NT's list and count routines), the rest of the
 * memory manager only reads it ({@code arch/MmPfnWriterTest} keeps it so).
 *
 * <p>Models: an entry per frame as parallel primitive arrays (struct of arrays): list links,
 * share count (valid PTEs that map the frame; for a page table, 1 plus its valid PTEs),
 * reference count (the frame is in use or locked), the virtual address of the PTE that maps it
 * and the frame of the page table holding that PTE, the original PTE (what the PTE becomes when
 * the frame is taken away), the state (which list, or active, or transition) and the flags
 * (modified, read in progress, write in progress). The lists zeroed, free, standby, modified,
 * modified-no-write and bad are doubly linked through the link arrays with {@link #NONE} as the
 * end, each with a head, a tail and a count. Every change of state emits a PAGE_LIST trace event.
 *
 * <p>Invariants: a frame on a list has that list's state and appears on it once; the list
 * counts add up, with the active and transition frames, to the number of frames; available
 * pages are zeroed + free + standby. Checked in full by {@link #verifyLists()}. Nothing here
 * allocates after construction.
 *
 * <p>Host cost: 26 bytes a frame (five int arrays, two short arrays, two byte arrays).
 *
 * <p>Left out: page colours (one list per kind, not per cache colour), priorities of standby
 * pages (one standby list, not eight), large pages, the ROM and I/O space.
 */
public final class PfnDatabase {
  public static final int NONE = -1;

  public static final int ZEROED = 0;
  public static final int FREE = 1;
  public static final int STANDBY = 2;
  public static final int MODIFIED = 3;
  public static final int MODIFIED_NO_WRITE = 4;
  public static final int BAD = 5;
  /** In use: mapped by a valid PTE, or held by the memory manager (a page directory). */
  public static final int ACTIVE = 6;
  /** On no list and not valid: a read or zeroing is in progress. */
  public static final int TRANSITION = 7;
  static final int LISTS = 6;

  public static final int FLAG_MODIFIED = 1;
  public static final int FLAG_READ_IN_PROGRESS = 2;
  public static final int FLAG_WRITE_IN_PROGRESS = 4;

  private static final String[] STATE_NAMES = {"Zeroed", "Free", "Standby", "Modified",
      "ModifiedNoWrite", "Bad", "Active", "Transition"};

  private final Machine machine;
  private final int frames;
  final int[] flink;
  final int[] blink;
  final int[] pteAddress; // virtual (self-map) address of the PTE mapping the frame
  final int[] pteFrame; // the frame of the page table holding that PTE
  final int[] originalPte;
  final short[] shareCount;
  final short[] referenceCount;
  final byte[] state;
  final byte[] flags;
  private final int[] head = new int[LISTS];
  private final int[] tail = new int[LISTS];
  private final int[] count = new int[LISTS];
  long changes; // state changes so far: the invariant sweep skips when nothing changed

  /** All frames start on the zeroed list: a frame never written reads as zeros. */
  PfnDatabase(Machine machine) {
    this.machine = machine;
    this.frames = machine.memory.frameCount();
    flink = new int[frames];
    blink = new int[frames];
    pteAddress = new int[frames];
    pteFrame = new int[frames];
    originalPte = new int[frames];
    shareCount = new short[frames];
    referenceCount = new short[frames];
    state = new byte[frames];
    flags = new byte[frames];
    java.util.Arrays.fill(head, NONE);
    java.util.Arrays.fill(tail, NONE);
    for (int pfn = 0; pfn < frames; pfn++) {
      flink[pfn] = pfn + 1 < frames ? pfn + 1 : NONE;
      blink[pfn] = pfn - 1;
      state[pfn] = ZEROED;
    }
    if (frames > 0) {
      head[ZEROED] = 0;
      tail[ZEROED] = frames - 1;
      count[ZEROED] = frames;
    }
  }

  public int frameCount() {
    return frames;
  }

  public int count(int list) {
    return count[list];
  }

  /** MmAvailablePages: zeroed, free and standby frames. */
  public int availablePages() {
    return count[ZEROED] + count[FREE] + count[STANDBY];
  }

  public int state(int pfn) {
    return state[pfn];
  }

  public int flags(int pfn) {
    return flags[pfn];
  }

  public boolean isModified(int pfn) {
    return (flags[pfn] & FLAG_MODIFIED) != 0;
  }

  public int shareCount(int pfn) {
    return shareCount[pfn];
  }

  public int referenceCount(int pfn) {
    return referenceCount[pfn];
  }

  public long pteAddress(int pfn) {
    return pteAddress[pfn] & 0xFFFFFFFFL;
  }

  public int pteFrame(int pfn) {
    return pteFrame[pfn];
  }

  public int originalPte(int pfn) {
    return originalPte[pfn];
  }

  public int flink(int pfn) {
    return flink[pfn];
  }

  /** The working set index of an active frame, kept where a listed frame keeps its forward link. */
  public int wsIndex(int pfn) {
    return flink[pfn];
  }

  /**
   * Whether the PTE that mapped the frame is gone (NT's MI_IS_PFN_DELETED): an in-use frame whose
   * entry names no PTE goes to the free list when its last reference is dropped.
   */
  public boolean pteDeleted(int pfn) {
    return pteAddress[pfn] == 0;
  }

  /** How many times a frame has changed state so far. */
  public long changes() {
    return changes;
  }

  public int blink(int pfn) {
    return blink[pfn];
  }

  public int head(int list) {
    return head[list];
  }

  public static String stateName(int state) {
    return STATE_NAMES[state];
  }

  // ------------------------------------------------------------------ list operations

  /** MiRemovePageFromList's common case: takes the head of {@code list}; NONE if it is empty. */
  int removeHead(int list, int newState) {
    int pfn = head[list];
    if (pfn != NONE) {
      unlink(pfn);
      setState(pfn, list, newState);
    }
    return pfn;
  }

  /** MiUnlinkPageFromList: takes {@code pfn} off the list it is on; it becomes {@code newState}. */
  void remove(int pfn, int newState) {
    int list = state[pfn];
    unlink(pfn);
    setState(pfn, list, newState);
  }

  /** MiInsertPageInList: appends {@code pfn} (active or transition) to {@code list}. */
  void insertTail(int list, int pfn) {
    int old = state[pfn];
    int t = tail[list];
    flink[pfn] = NONE;
    blink[pfn] = t;
    if (t == NONE) {
      head[list] = pfn;
    } else {
      flink[t] = pfn;
    }
    tail[list] = pfn;
    count[list]++;
    setState(pfn, old, list);
  }

  private void unlink(int pfn) {
    int list = state[pfn];
    int f = flink[pfn];
    int b = blink[pfn];
    if (b == NONE) {
      head[list] = f;
    } else {
      flink[b] = f;
    }
    if (f == NONE) {
      tail[list] = b;
    } else {
      blink[f] = b;
    }
    flink[pfn] = 0;
    blink[pfn] = 0;
    count[list]--;
  }

  /** Changes the state of a frame that is on no list (active to transition and back). */
  void setState(int pfn, int newState) {
    setState(pfn, state[pfn], newState);
  }

  private void setState(int pfn, int old, int newState) {
    state[pfn] = (byte) newState;
    changes++;
    Cpu cpu = machine.activeCpu();
    machine.tracer.emit(cpu.clockNs(), cpu.index, TraceKind.PAGE_LIST, pfn, old, newState);
  }

  /** Fills in the entry of a frame that a PTE now maps (MiInitializePfn). */
  void initialize(int pfn, long pteVa, int pageTableFrame, int original, boolean modified) {
    pteAddress[pfn] = (int) pteVa;
    pteFrame[pfn] = pageTableFrame;
    originalPte[pfn] = original;
    shareCount[pfn] = 1;
    referenceCount[pfn] = 1;
    flags[pfn] = (byte) (modified ? FLAG_MODIFIED : 0);
  }

  /** Clears the entry of a frame going back to the free list. */
  void clear(int pfn) {
    pteAddress[pfn] = 0;
    pteFrame[pfn] = 0;
    originalPte[pfn] = 0;
    shareCount[pfn] = 0;
    referenceCount[pfn] = 0;
    flags[pfn] = 0;
  }

  void setFlag(int pfn, int flag) {
    flags[pfn] |= (byte) flag;
  }

  void clearFlag(int pfn, int flag) {
    flags[pfn] &= (byte) ~flag;
  }

  void addShare(int pfn, int delta) {
    shareCount[pfn] += (short) delta;
  }

  void setCounts(int pfn, int share, int reference) {
    shareCount[pfn] = (short) share;
    referenceCount[pfn] = (short) reference;
  }

  void setOriginalPte(int pfn, int pte) {
    originalPte[pfn] = pte;
  }

  void setWsIndex(int pfn, int index) {
    flink[pfn] = index;
  }

  // ------------------------------------------------------------------ checks

  /**
   * Walks every list: links consistent both ways, states matching the list, counts right, and
   * the counts with the frames on no list adding up to all frames. Throws on the first fault.
   */
  public void verifyLists() {
    int listed = 0;
    for (int list = 0; list < LISTS; list++) {
      int n = 0;
      int prev = NONE;
      for (int pfn = head[list]; pfn != NONE; pfn = flink[pfn]) {
        check(state[pfn] == list, "frame %x on the %s list is %s", pfn, STATE_NAMES[list],
            STATE_NAMES[state[pfn]]);
        check(blink[pfn] == prev, "frame %x has a broken back link", pfn);
        prev = pfn;
        if (++n > frames) {
          check(false, "the %s list has a cycle", STATE_NAMES[list]);
        }
      }
      check(tail[list] == prev, "the %s list's tail is wrong", STATE_NAMES[list]);
      check(n == count[list], "the %s list holds %d frames but counts %d", STATE_NAMES[list], n,
          count[list]);
      listed += n;
    }
    int unlisted = 0;
    for (int pfn = 0; pfn < frames; pfn++) {
      if (state[pfn] >= LISTS) {
        unlisted++;
      }
    }
    check(listed + unlisted == frames, "lists hold %d and %d are in use, of %d frames", listed,
        unlisted, frames);
  }

  static void check(boolean ok, String format, Object... args) {
    if (!ok) {
      throw new IllegalStateException("memory manager invariant broken: "
          + String.format(format, args));
    }
  }
}
