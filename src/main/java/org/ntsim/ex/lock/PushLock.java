package org.ntsim.ex.lock;

import java.util.ArrayList;
import java.util.List;
import org.ntsim.ke.KEvent;
import org.ntsim.ke.KThread;
import org.ntsim.ke.Kernel;
import org.ntsim.ke.WaitReason;

/**
 * EX_PUSH_LOCK: the executive's small reader-writer lock. It records no owner, so it is not
 * recursive (a second acquisition by a holder can deadlock), and it is not fair: a release wakes
 * waiters, which then compete again with any thread arriving meanwhile. A shared request waits
 * while the lock is held exclusively or anyone waits; a release that frees the lock wakes the
 * oldest waiter alone if it wants exclusive access, else every waiter (ExfWakePushLock). Waiters
 * wait with reason WrPushLock, each on its own wait block's event.
 *
 * <p>Invariants: {@code exclusive} implies {@code shareCount == 0}; waiters are in arrival order
 * and are all waiting.
 *
 * <p>Left out: the pointer-sized lock word, its wait-block chain on the waiters' stacks, the
 * spin before waiting on a multiprocessor, and cache-aware push locks.
 */
public final class PushLock {
  private record WaitBlock(KThread thread, boolean exclusive, KEvent event) {}

  public final long address;
  private final Kernel kernel;
  private boolean exclusive;
  private int shareCount;
  private final List<WaitBlock> waiters = new ArrayList<>();

  /** ExInitializePushLock: a free push lock at {@code address}. */
  public PushLock(Kernel kernel, long address) {
    this.kernel = kernel;
    this.address = address;
  }

  /** ExAcquirePushLockExclusive: waits until no one holds the lock, then holds it alone. */
  public void acquireExclusive() {
    while (exclusive || shareCount > 0) {
      waitBlock(true);
    }
    exclusive = true;
  }

  /** ExAcquirePushLockShared: waits while it is held exclusively or others wait, then shares it. */
  public void acquireShared() {
    while (exclusive || !waiters.isEmpty()) {
      waitBlock(false);
    }
    shareCount++;
  }

  /** ExTryAcquirePushLockExclusive: takes the lock if it is free; false otherwise. */
  public boolean tryAcquireExclusive() {
    if (exclusive || shareCount > 0) {
      return false;
    }
    exclusive = true;
    return true;
  }

  /** ExReleasePushLockExclusive. */
  public void releaseExclusive() {
    if (!exclusive) {
      throw new IllegalStateException("ExReleasePushLockExclusive: push lock "
          + Long.toHexString(address) + " is not held exclusively");
    }
    exclusive = false;
    wake();
  }

  /** ExReleasePushLockShared. */
  public void releaseShared() {
    if (shareCount == 0) {
      throw new IllegalStateException("ExReleasePushLockShared: push lock "
          + Long.toHexString(address) + " is not held shared");
    }
    if (--shareCount == 0) {
      wake();
    }
  }

  /** ExReleasePushLock: releases whichever way the caller holds it. */
  public void release() {
    if (exclusive) {
      releaseExclusive();
    } else {
      releaseShared();
    }
  }

  /** Whether the lock is held exclusively. */
  public boolean isExclusive() {
    return exclusive;
  }

  /** The number of shared holders. */
  public int shareCount() {
    return shareCount;
  }

  /** The number of waiting threads. */
  public int waiters() {
    return waiters.size();
  }

  private void waitBlock(boolean wantsExclusive) {
    WaitBlock b = new WaitBlock(kernel.currentThread(), wantsExclusive,
        new KEvent(true, false, address));
    waiters.add(b);
    kernel.waitForSingleObject(b.event(), WaitReason.WR_PUSH_LOCK, Kernel.KERNEL_MODE, false, -1);
  }

  private void wake() {
    if (waiters.isEmpty()) {
      return;
    }
    List<WaitBlock> woken;
    if (waiters.get(0).exclusive()) {
      woken = List.of(waiters.remove(0));
    } else {
      woken = List.copyOf(waiters);
      waiters.clear();
    }
    for (WaitBlock b : woken) {
      kernel.setEvent(b.event(), 1);
    }
  }
}
