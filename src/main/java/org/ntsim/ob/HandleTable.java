package org.ntsim.ob;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ntsim.ex.Pool;
import org.ntsim.ex.PoolTag;
import org.ntsim.ex.PoolType;
import org.ntsim.ke.KProcess;

/**
 * HANDLE_TABLE: a process's handles. Handle values are multiples of four starting at 4; a closed
 * handle's slot goes on a free list and is the first reused (LIFO), as NT's tables do. Each entry
 * holds the object, the access granted when the handle was made, and the handle's attributes
 * (OBJ_INHERIT, and OBJ_PROTECT_CLOSE once SetHandleInformation protects it).
 *
 * <p>Invariants: a slot is either free (object null, on the free list) or in use; the free list
 * holds exactly the free slots below {@code highWater}; {@code count} is the number in use. Once
 * run down (the process's handles closed at its exit) the table takes no new handles.
 *
 * <p>A value with either of its two low bits set (the tag bits callers may use) names the same
 * entry as the value without them, as in NT. Values here are the table's own: the System
 * process's table is also the kernel handle table (ObpKernelHandleTable), whose handles the
 * object manager hands out with KERNEL_HANDLE_MASK set and strips before it comes here
 * ({@link ObjectManager#KERNEL_HANDLE_MASK}).
 *
 * <p>In memory: a table made with {@link #allocate} has a HANDLE_TABLE (0x3c bytes) and the first
 * level of its entries (one page: 512 HANDLE_TABLE_ENTRYs, handle value / 4 indexing it) in paged
 * pool, as ExCreateHandleTable makes them; {@link #address()} is what EPROCESS.ObjectTable holds
 * and {@link #tableCode()} what HANDLE_TABLE.TableCode does (a level-0 table: low bits 0). The
 * debugger's image fills them in; the table itself stays in the arrays below.
 *
 * <p>Left out: the three-level table layout (handles past the first page have no entry in
 * memory).
 */
public final class HandleTable {
  /**
   * OBJ_PROTECT_CLOSE: the handle attribute HANDLE_FLAG_PROTECT_FROM_CLOSE sets; NtClose then
   * refuses the handle (NT keeps it in a spare bit of the entry's granted access).
   */
  public static final int OBJ_PROTECT_CLOSE = 0x00000001;

  /** The process the table belongs to (QuotaProcess), whom type procedures are told of; or null. */
  private KProcess process;
  private ObjectHeader[] objects = new ObjectHeader[16];
  private int[] access = new int[16];
  private int[] attributes = new int[16];
  private int[] nextFree = new int[16];
  private int freeHead = -1;
  private int highWater = 1; // slot 0 is never used: handle 0 is NULL
  private int count;
  private boolean rundown;
  private long address; // the HANDLE_TABLE in paged pool, or 0
  private long tableCode; // the first-level page of entries in paged pool, or 0

  /** sizeof(HANDLE_TABLE) on x86 Vista. */
  public static final int HANDLE_TABLE_BYTES = 0x3c;
  /** Handle entries in the first-level page: 4096 / sizeof(HANDLE_TABLE_ENTRY). */
  public static final int LOWLEVEL_COUNT = 512;
  private static final String TAG = "Obtb";

  /** A table that belongs to no process (the type procedures are told of none). */
  public HandleTable() {}

  /** ExCreateHandleTable: {@code process}'s table. */
  public HandleTable(KProcess process) {
    this.process = process;
  }

  /**
   * ExCreateHandleTable's allocations: the HANDLE_TABLE and its first-level page of entries, from
   * paged pool; false (nothing kept) when the pool has no room.
   */
  public boolean allocate(Pool pool) {
    long table = pool.allocatePoolWithTag(PoolType.PagedPool, HANDLE_TABLE_BYTES, TAG);
    if (table == 0) {
      return false;
    }
    long page = pool.allocatePoolWithTag(PoolType.PagedPool,
        LOWLEVEL_COUNT * 8L, TAG);
    if (page == 0) {
      pool.freePoolWithTag(table, PoolTag.of(TAG));
      return false;
    }
    address = table;
    tableCode = page;
    return true;
  }

  /** ExDestroyHandleTable's frees: both allocations go back to the pool. */
  public void free(Pool pool) {
    if (address != 0) {
      pool.freePoolWithTag(tableCode, PoolTag.of(TAG));
      pool.freePoolWithTag(address, PoolTag.of(TAG));
      address = 0;
      tableCode = 0;
    }
  }

  /** The HANDLE_TABLE's address (EPROCESS.ObjectTable), or 0 when it has none in memory. */
  public long address() {
    return address;
  }

  /** The first-level page of HANDLE_TABLE_ENTRYs (HANDLE_TABLE.TableCode), or 0. */
  public long tableCode() {
    return tableCode;
  }

  /** The process the table belongs to, or null. */
  public KProcess process() {
    return process;
  }

  void setProcess(KProcess owner) {
    process = owner;
  }

  /** ExCreateHandle: an entry with no attributes; returns its handle value. */
  long insert(ObjectHeader header, int grantedAccess) {
    return insert(header, grantedAccess, 0);
  }

  /** ExCreateHandle: an entry for {@code header}; returns its handle value. */
  long insert(ObjectHeader header, int grantedAccess, int handleAttributes) {
    if (rundown) {
      throw new IllegalStateException("a handle inserted into a run-down handle table");
    }
    int slot;
    if (freeHead >= 0) {
      slot = freeHead;
      freeHead = nextFree[slot];
    } else {
      slot = highWater++;
      if (slot == objects.length) {
        int n = objects.length * 2;
        objects = Arrays.copyOf(objects, n);
        access = Arrays.copyOf(access, n);
        attributes = Arrays.copyOf(attributes, n);
        nextFree = Arrays.copyOf(nextFree, n);
      }
    }
    objects[slot] = header;
    access[slot] = grantedAccess;
    attributes[slot] = handleAttributes;
    count++;
    return (long) slot * 4;
  }

  /** The entry's header, or null if the handle is not in use. */
  ObjectHeader lookup(long handle) {
    int slot = slotOf(handle);
    return slot < 0 ? null : objects[slot];
  }

  int grantedAccess(long handle) {
    int slot = slotOf(handle);
    return slot < 0 ? 0 : access[slot];
  }

  /** Removes the entry and returns its header, or null if the handle was not in use. */
  ObjectHeader remove(long handle) {
    int slot = slotOf(handle);
    if (slot < 0) {
      return null;
    }
    ObjectHeader h = objects[slot];
    objects[slot] = null;
    access[slot] = 0;
    attributes[slot] = 0;
    nextFree[slot] = freeHead;
    freeHead = slot;
    count--;
    return h;
  }

  private int slotOf(long handle) {
    if (handle <= 0) {
      return -1; // the two low bits are the caller's tag bits: NT ignores them
    }
    long slot = handle >>> 2;
    if (slot >= highWater || objects[(int) slot] == null) {
      return -1;
    }
    return (int) slot;
  }

  /** How many of the table's handles refer to {@code header} (a handle count database entry). */
  long countOf(ObjectHeader header) {
    long n = 0;
    for (int s = 1; s < highWater; s++) {
      if (objects[s] == header) {
        n++;
      }
    }
    return n;
  }

  void markRundown() {
    rundown = true;
  }

  /** Whether the process's handles have been closed for good (ObReferenceProcessHandleTable fails). */
  public boolean isRundown() {
    return rundown;
  }

  public int count() {
    return count;
  }

  /** The handles in use, in ascending order. */
  public List<Long> handles() {
    List<Long> out = new ArrayList<>();
    for (int s = 1; s < highWater; s++) {
      if (objects[s] != null) {
        out.add((long) s * 4);
      }
    }
    return out;
  }

  public ObjectHeader entry(long handle) {
    return lookup(handle);
  }

  public int access(long handle) {
    return grantedAccess(handle);
  }

  /** The handle's attributes (OBJ_INHERIT), or 0 if it is not in use. */
  public int attributes(long handle) {
    int slot = slotOf(handle);
    return slot < 0 ? 0 : attributes[slot];
  }

  /**
   * NtSetInformationObject's ObjectHandleFlagInformation: the entry's attributes become
   * {@code handleAttributes} (OBJ_INHERIT, OBJ_PROTECT_CLOSE); false if the handle is not in use.
   */
  boolean setAttributes(long handle, int handleAttributes) {
    int slot = slotOf(handle);
    if (slot < 0) {
      return false;
    }
    attributes[slot] = handleAttributes;
    return true;
  }

  /** Checks the invariants; throws IllegalStateException naming the first one broken. */
  public void verify() {
    boolean[] free = new boolean[highWater];
    int freeCount = 0;
    for (int s = freeHead; s >= 0; s = nextFree[s]) {
      if (s == 0 || s >= highWater || free[s] || objects[s] != null) {
        throw new IllegalStateException("free list broken at slot " + s);
      }
      free[s] = true;
      freeCount++;
    }
    int inUse = 0;
    for (int s = 1; s < highWater; s++) {
      if (objects[s] != null) {
        inUse++;
      } else if (!free[s]) {
        throw new IllegalStateException("slot " + s + " is neither in use nor free");
      }
    }
    if (inUse != count || inUse + freeCount != highWater - 1) {
      throw new IllegalStateException("count " + count + " but " + inUse + " slots in use");
    }
  }
}
