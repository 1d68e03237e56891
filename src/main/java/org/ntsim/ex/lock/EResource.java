package org.ntsim.ex.lock;

import java.util.ArrayList;
import java.util.List;
import org.ntsim.hal.Irql;
import org.ntsim.ke.BugCheck;
import org.ntsim.ke.KEvent;
import org.ntsim.ke.KSemaphore;
import org.ntsim.ke.KThread;
import org.ntsim.ke.Kernel;
import org.ntsim.ke.WaitReason;

/**
 * ERESOURCE: the executive's reader-writer lock, owned shared by any number of threads or
 * exclusively by one, each owner recursively. Shared waiters sleep on a semaphore, exclusive
 * waiters on a synchronization event, both with wait reason WrResource. The starvation rules
 * are the WRK's: a new shared request waits while an exclusive waiter exists, unless the caller
 * already owns the resource (ExAcquireResourceSharedLite) or it is owned shared at all
 * (ExAcquireSharedStarveExclusive); ExAcquireSharedWaitForExclusive waits even for a caller
 * that owns it shared. An exclusive release grants every shared waiter before any exclusive one.
 *
 * <p>Invariants: {@code activeCount} is the number of owner entries plus the grants handed to
 * waiters that have not run yet; when {@code exclusive}, there is at most one owner entry and no
 * pending shared grant; no thread has two entries.
 *
 * <p>Callers run at IRQL &lt;= APC_LEVEL (above it: IRQL_NOT_LESS_OR_EQUAL, 0xA) and, below
 * APC_LEVEL, inside a critical region; a caller outside one is refused with an exception, as a
 * checked build's assertion would (a free build does not check). Left out: the 500 ms timeout
 * of ExpWaitForResource with its owner priority boost and deadlock report, ExReleaseResource-
 * ForThreadLite, and ExSetResourceOwnerPointer.
 */
public final class EResource {
  /** One OwnerThreads entry: a thread and how many times it holds the resource. */
  public static final class OwnerEntry {
    public final KThread thread;
    int count;

    OwnerEntry(KThread thread) {
      this.thread = thread;
    }

    /** The owner's recursion count. */
    public int count() {
      return count;
    }
  }

  public final long address;
  private final Kernel kernel;
  final List<OwnerEntry> owners = new ArrayList<>();
  int activeCount;
  boolean exclusive;
  int sharedWaiters;
  int exclusiveWaiters;
  int contentionCount;
  boolean deleted;
  /** Threads waiting for exclusive access, in arrival order (for !locks). */
  final List<KThread> exclusiveWaiterThreads = new ArrayList<>();
  final KSemaphore sharedGate;
  final KEvent exclusiveGate;

  EResource(Kernel kernel, long address) {
    this.kernel = kernel;
    this.address = address;
    this.sharedGate = new KSemaphore(0, Integer.MAX_VALUE, address + 0x14);
    this.exclusiveGate = new KEvent(false, false, address + 0x18);
  }

  /** ExAcquireResourceSharedLite: shared access; false if {@code wait} is false and it must wait. */
  public boolean acquireSharedLite(boolean wait) {
    return acquireShared(wait, false, false, "ExAcquireResourceSharedLite");
  }

  /** ExAcquireSharedStarveExclusive: shared access ahead of any exclusive waiter. */
  public boolean acquireSharedStarveExclusive(boolean wait) {
    return acquireShared(wait, true, false, "ExAcquireSharedStarveExclusive");
  }

  /** ExAcquireSharedWaitForExclusive: shared access after every exclusive waiter, even for an owner. */
  public boolean acquireSharedWaitForExclusive(boolean wait) {
    return acquireShared(wait, false, true, "ExAcquireSharedWaitForExclusive");
  }

  private boolean acquireShared(boolean wait, boolean starveExclusive, boolean waitForExclusive,
      String routine) {
    checkCaller(routine);
    KThread self = kernel.currentThread();
    if (activeCount == 0) {
      entry(self).count = 1;
      activeCount = 1;
      exclusive = false;
      return true;
    }
    OwnerEntry mine = find(self);
    if (exclusive) {
      if (mine != null) {
        mine.count++; // the exclusive owner gets the same access again
        return true;
      }
    } else {
      boolean grant = exclusiveWaiters == 0 || starveExclusive
          || (mine != null && !waitForExclusive);
      if (grant) {
        if (mine != null) {
          mine.count++;
        } else {
          entry(self).count = 1;
          activeCount++;
        }
        return true;
      }
    }
    if (!wait) {
      return false;
    }
    contentionCount++;
    sharedWaiters++;
    kernel.waitForSingleObject(sharedGate, WaitReason.WR_RESOURCE, Kernel.KERNEL_MODE, false, -1);
    // the release that woke us counted our grant in activeCount
    OwnerEntry granted = find(self);
    if (granted != null) {
      granted.count++;
      activeCount--; // an existing entry already counts once
    } else {
      entry(self).count = 1;
    }
    return true;
  }

  /** ExAcquireResourceExclusiveLite: exclusive access; false if {@code wait} is false and it must wait. */
  public boolean acquireExclusiveLite(boolean wait) {
    checkCaller("ExAcquireResourceExclusiveLite");
    KThread self = kernel.currentThread();
    if (activeCount == 0) {
      entry(self).count = 1;
      activeCount = 1;
      exclusive = true;
      return true;
    }
    if (exclusive) {
      OwnerEntry mine = find(self);
      if (mine != null) {
        mine.count++;
        return true;
      }
    }
    if (!wait) {
      return false;
    }
    contentionCount++;
    exclusiveWaiters++;
    exclusiveWaiterThreads.add(self);
    kernel.waitForSingleObject(exclusiveGate, WaitReason.WR_RESOURCE, Kernel.KERNEL_MODE, false,
        -1);
    entry(self).count = 1; // the release made the resource exclusive with activeCount 1
    return true;
  }

  /** ExReleaseResourceLite: gives up one acquisition by the current thread. */
  public void releaseLite() {
    KThread self = kernel.currentThread();
    OwnerEntry mine = find(self);
    if (mine == null) {
      kernel.bugCheckEx(BugCheck.RESOURCE_NOT_OWNED, address, self.address, 0, 0,
          "ExReleaseResourceLite by a thread that does not own the resource");
    }
    if (--mine.count > 0) {
      return;
    }
    owners.remove(mine);
    activeCount--;
    if (activeCount > 0) {
      return;
    }
    boolean wasExclusive = exclusive;
    exclusive = false;
    if (sharedWaiters > 0 && (wasExclusive || exclusiveWaiters == 0)) {
      grantSharedWaiters();
    } else if (exclusiveWaiters > 0) {
      grantExclusiveWaiter();
    }
  }

  /** ExConvertExclusiveToSharedLite: the exclusive owner keeps the resource shared; shared waiters join it. */
  public void convertExclusiveToSharedLite() {
    OwnerEntry mine = find(kernel.currentThread());
    if (!exclusive || mine == null) {
      kernel.bugCheckEx(BugCheck.RESOURCE_NOT_OWNED, address, kernel.currentThread().address,
          0, 0, "ExConvertExclusiveToSharedLite without exclusive ownership");
    }
    exclusive = false;
    if (sharedWaiters > 0) {
      grantSharedWaiters();
    }
  }

  /** ExIsResourceAcquiredExclusiveLite: whether the current thread owns it exclusively. */
  public boolean isAcquiredExclusiveLite() {
    return exclusive && find(kernel.currentThread()) != null;
  }

  /** ExIsResourceAcquiredSharedLite: the current thread's acquisition count (shared or exclusive), 0 if none. */
  public int isAcquiredSharedLite() {
    OwnerEntry mine = find(kernel.currentThread());
    return mine == null ? 0 : mine.count;
  }

  /** ExGetExclusiveWaiterCount. */
  public int exclusiveWaiterCount() {
    return exclusiveWaiters;
  }

  /** ExGetSharedWaiterCount. */
  public int sharedWaiterCount() {
    return sharedWaiters;
  }

  /** Whether any thread holds the resource. */
  public boolean isHeld() {
    return activeCount > 0;
  }

  /** Whether the resource is owned exclusively. */
  public boolean isOwnedExclusive() {
    return exclusive && activeCount > 0;
  }

  /** The contention count (acquisitions that had to wait). */
  public int contentionCount() {
    return contentionCount;
  }

  /** The owner table, in order of acquisition. */
  public List<OwnerEntry> ownerThreads() {
    return List.copyOf(owners);
  }

  /** The threads waiting for exclusive access, in arrival order. */
  public List<KThread> exclusiveWaiterThreads() {
    return List.copyOf(exclusiveWaiterThreads);
  }

  private void grantSharedWaiters() {
    int n = sharedWaiters;
    sharedWaiters = 0;
    activeCount += n;
    kernel.objects.releaseSemaphore(sharedGate, 1, n);
  }

  private void grantExclusiveWaiter() {
    exclusiveWaiters--;
    exclusiveWaiterThreads.remove(0);
    exclusive = true;
    activeCount = 1;
    kernel.setEvent(exclusiveGate, 1);
  }

  private void checkCaller(String routine) {
    if (deleted) {
      throw new IllegalStateException(routine + ": resource " + Long.toHexString(address)
          + " was deleted");
    }
    int irql = kernel.machine().activeCpu().irql();
    if (irql > Irql.APC_LEVEL) {
      kernel.bugCheckEx(BugCheck.IRQL_NOT_LESS_OR_EQUAL, address, irql, 0, 0,
          routine + " at " + Irql.name(irql));
    }
    if (irql < Irql.APC_LEVEL && kernel.currentThread().kernelApcDisable() == 0) {
      throw new IllegalStateException(routine + " outside a critical region"
          + " (KeEnterCriticalRegion) below APC_LEVEL");
    }
  }

  private OwnerEntry find(KThread t) {
    for (int i = 0; i < owners.size(); i++) {
      if (owners.get(i).thread == t) {
        return owners.get(i);
      }
    }
    return null;
  }

  private OwnerEntry entry(KThread t) {
    OwnerEntry e = new OwnerEntry(t);
    owners.add(e);
    return e;
  }
}
