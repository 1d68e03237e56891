package org.ntsim.ke;

import org.ntsim.hal.Irql;

/**
 * The exported routines of the dispatcher objects beyond waiting: KeInitializeMutant and
 * KeReleaseMutant, KeReleaseSemaphore, KePulseEvent, KeInsertQueue and KeRemoveQueue, the APC
 * routines, alerts, and thread suspension (which NT carries out with a kernel APC that waits on
 * the thread's suspend semaphore). Reached as {@code kernel.objects}; each method's Javadoc opens
 * with the NT routine it models. Arguments are assumed valid: the native API checks them first.
 */
public final class KeObjects {
  /** MAXIMUM_SUSPEND_COUNT. */
  public static final int MAXIMUM_SUSPEND_COUNT = 127;

  private final Kernel kernel;

  KeObjects(Kernel kernel) {
    this.kernel = kernel;
  }

  // ------------------------------------------------------------------ mutants

  /**
   * KeInitializeMutant: free, or owned once by the current thread when {@code initialOwner}.
   * A kernel mutex ({@code kernelMutex}) disables its owner's normal kernel APCs while held.
   */
  public KMutant initializeMutant(boolean initialOwner, boolean kernelMutex, long address) {
    KMutant m = new KMutant(kernelMutex, address);
    if (initialOwner) {
      m.satisfyWait(kernel.currentThread());
    }
    return m;
  }

  /**
   * KeReleaseMutant: the owner gives up one level of ownership; when the count returns to 1 the
   * mutant is free and may satisfy a waiter. Returns the previous count (1 - recursion), or
   * STATUS_MUTANT_NOT_OWNED through {@code status} when the caller does not own it.
   */
  public int releaseMutant(KMutant m, int increment, boolean abandon, int[] status) {
    KThread self = kernel.currentThread();
    int previous = m.signalState;
    if (!abandon && m.owner != self) {
      status[0] = NtStatus.STATUS_MUTANT_NOT_OWNED;
      return previous;
    }
    status[0] = NtStatus.STATUS_SUCCESS;
    if (abandon) {
      m.signalState = 1;
      m.abandoned = true;
    } else {
      m.signalState++;
    }
    if (m.signalState == 1) {
      KThread owner = m.owner;
      if (owner != null) {
        unlinkOwned(owner, m);
        m.owner = null;
        if (m.kernelMutex) {
          owner.kernelApcDisable--;
        }
      }
      kernel.waits.waitTest(m, increment);
    }
    kernel.exitDispatcher();
    if (!abandon && self.kernelApcDisable == 0) {
      kernel.deliverPendingApcs(self);
    }
    return previous;
  }

  private static void unlinkOwned(KThread owner, KMutant m) {
    if (owner.ownedMutants == m) {
      owner.ownedMutants = m.ownerNext;
    } else {
      for (KMutant x = owner.ownedMutants; x != null; x = x.ownerNext) {
        if (x.ownerNext == m) {
          x.ownerNext = m.ownerNext;
          break;
        }
      }
    }
    m.ownerNext = null;
  }

  // ------------------------------------------------------------------ semaphores and events

  /**
   * KeReleaseSemaphore: adds {@code adjustment} to the count and releases as many waiters as it
   * now satisfies. Returns the previous count; the caller has checked the limit.
   */
  public int releaseSemaphore(KSemaphore s, int increment, int adjustment) {
    int previous = s.signalState;
    s.signalState += adjustment;
    if (previous == 0) {
      kernel.waits.waitTest(s, increment);
    }
    kernel.exitDispatcher();
    return previous;
  }

  /** Whether adding {@code adjustment} would pass the semaphore's limit (or overflow). */
  public boolean wouldExceedLimit(KSemaphore s, int adjustment) {
    return (long) s.signalState + adjustment > s.limit;
  }

  /**
   * KePulseEvent: signals the event, releases the waiters that satisfies (every waiter of a
   * notification event, one of a synchronization event), then resets it. Returns the previous
   * state.
   */
  public int pulseEvent(KEvent e, int increment) {
    int previous = e.signalState;
    if (previous == 0) {
      e.signalState = 1;
      kernel.waits.waitTest(e, increment);
    }
    e.signalState = 0;
    kernel.exitDispatcher();
    return previous;
  }

  /** KeReadStateEvent / KeReadStateMutant / KeReadStateSemaphore and the like. */
  public int readState(DispatcherObject o) {
    return o.signalState;
  }

  // ------------------------------------------------------------------ queues

  /** KeInitializeQueue: {@code concurrency} 0 means the number of processors. */
  public KQueue initializeQueue(int concurrency, long address) {
    return new KQueue(concurrency, kernel.processorCount(), address);
  }

  /**
   * KeInsertQueue (and KeInsertHeadQueue when {@code atHead}): hands the entry straight to the
   * most recent waiter if the queue's active count is below its limit, else queues it. Returns
   * the previous number of entries.
   */
  public int insertQueue(KQueue q, Object entry, boolean atHead) {
    int previous = q.signalState;
    WaitBlock w = q.waitListFirst;
    if (w != null && q.currentCount < q.maximumCount) {
      KThread waiter = w.thread;
      waiter.queueEntry = entry;
      kernel.waits.unwaitThread(waiter, NtStatus.STATUS_SUCCESS, 0);
    } else {
      if (atHead) {
        q.entries.addFirst(entry);
      } else {
        q.entries.addLast(entry);
      }
      q.signalState++;
    }
    kernel.exitDispatcher();
    return previous;
  }

  /**
   * KeRemoveQueue: associates the thread with the queue (leaving any other), and returns the
   * first entry if one is queued and the active count allows; else waits (last in, first woken)
   * until an entry is handed over, the timeout passes ({@code status} STATUS_TIMEOUT, result
   * null) or a user APC ends an alertable wait (STATUS_USER_APC). Timeout: negative for none.
   */
  public Object removeQueue(KQueue q, int waitMode, boolean alertable, long timeoutNs,
      int[] status) {
    KThread self = kernel.currentThread();
    if (self.queue == q) {
      q.currentCount--;
    } else {
      if (self.queue != null) {
        KQueue old = self.queue;
        old.threads.remove(self);
        self.queue = null;
        activateWaiter(old);
      }
      self.queue = q;
      q.threads.add(self);
    }
    long deadline = timeoutNs > 0 ? kernel.machine().activeCpu().clockNs() + timeoutNs
        : timeoutNs;
    while (true) { // each pass blocks; another follows only a kernel APC delivered meanwhile
      int early = kernel.waits.waitPreamble(self, waitMode, alertable);
      if (early != NtStatus.STATUS_PENDING) {
        q.currentCount++;
        status[0] = early;
        return null;
      }
      if (!q.entries.isEmpty() && q.currentCount < q.maximumCount) {
        q.signalState--;
        q.currentCount++;
        status[0] = NtStatus.STATUS_SUCCESS;
        return q.entries.pollFirst();
      }
      long remaining = deadline > 0 ? deadline - kernel.machine().activeCpu().clockNs() : deadline;
      if (remaining == 0 || (deadline > 0 && remaining <= 0)) {
        q.currentCount++;
        status[0] = NtStatus.STATUS_TIMEOUT;
        return null;
      }
      WaitBlock b = self.waitBlocks[0];
      b.thread = self;
      b.object = q;
      b.waitKey = 0;
      b.waitType = WaitBlock.WAIT_ANY;
      b.nextWaitBlock = null;
      b.linkAtHead(); // the last waiter is woken first
      self.waitBlockList = b;
      if (remaining > 0) {
        b.nextWaitBlock = kernel.waits.armTimeout(self, NtStatus.STATUS_TIMEOUT, deadline);
      }
      self.queueEntry = null;
      int s = kernel.waits.blockThread(self, 1, WaitReason.WR_QUEUE, waitMode, alertable);
      if (s == NtStatus.STATUS_KERNEL_APC) {
        q.currentCount--; // unwaiting counted it active; it goes back to waiting
        continue;
      }
      status[0] = s;
      Object entry = self.queueEntry;
      self.queueEntry = null;
      return s == NtStatus.STATUS_SUCCESS ? entry : null;
    }
  }

  /**
   * KiActivateWaiterQueue: an associated thread stops being active (it blocks elsewhere or ends);
   * if that makes room, the most recent waiter gets the first queued entry.
   */
  void activateWaiter(KQueue q) {
    q.currentCount--;
    WaitBlock w = q.waitListFirst;
    if (!q.entries.isEmpty() && q.currentCount < q.maximumCount && w != null) {
      q.signalState--;
      w.thread.queueEntry = q.entries.pollFirst();
      kernel.waits.unwaitThread(w.thread, NtStatus.STATUS_SUCCESS, 0);
    }
  }

  /** KeRundownQueue: every entry left, in order; the associated threads are let go. */
  public java.util.List<Object> rundownQueue(KQueue q) {
    java.util.List<Object> left = new java.util.ArrayList<>(q.entries);
    q.entries.clear();
    q.signalState = 0;
    for (KThread t : q.threads) {
      t.queue = null;
    }
    q.threads.clear();
    return left;
  }

  // ------------------------------------------------------------------ APCs and alerts

  /** KeInitializeApc. */
  public Kapc initializeApc(KThread thread, String name, Kapc.KernelRoutine kernelRoutine,
      Kapc.NormalRoutine normalRoutine, Object normalContext, int mode, long address) {
    return new Kapc(thread, name, kernelRoutine, normalRoutine, normalContext, mode, address);
  }

  /** KeInsertQueueApc: false if already queued or the thread no longer takes APCs. */
  public boolean insertQueueApc(Kapc apc, Object arg1, Object arg2, int increment) {
    return kernel.apcs.insert(apc, arg1, arg2, increment);
  }

  /** KeRemoveQueueApc. */
  public boolean removeQueueApc(Kapc apc) {
    return kernel.apcs.remove(apc);
  }

  /**
   * KiDeliverApc for user mode, on the way out of a system call: runs the thread's queued user
   * APCs if an alertable wait or NtTestAlert made them pending. Returns how many ran.
   */
  public int deliverUserApcs() {
    KThread self = kernel.currentThread();
    return self.userApcPending ? kernel.apcs.deliverUser(self) : 0;
  }

  /**
   * NtTestAlert (KeTestAlertThread for user mode): makes queued user APCs deliverable; returns
   * STATUS_ALERTED if the thread was alerted (clearing it), else STATUS_SUCCESS.
   */
  public int testAlert() {
    KThread self = kernel.currentThread();
    if (self.userApcHead != null) {
      self.userApcPending = true;
    }
    if (self.alertedUser) {
      self.alertedUser = false;
      return NtStatus.STATUS_ALERTED;
    }
    return NtStatus.STATUS_SUCCESS;
  }

  /**
   * KeAlertThread (user mode): ends an alertable user-mode wait with STATUS_ALERTED, else marks
   * the thread alerted for its next one. Returns whether it was already alerted.
   */
  public boolean alertThread(KThread t) {
    boolean was = t.alertedUser;
    if (t.state == ThreadState.WAITING && t.alertable && t.waitMode == Kernel.USER_MODE) {
      kernel.waits.unwaitThread(t, NtStatus.STATUS_ALERTED, 0);
      kernel.exitDispatcher();
    } else {
      t.alertedUser = true;
    }
    return was;
  }

  /** KeEnterCriticalRegion: normal kernel APCs wait until the region ends. */
  public void enterCriticalRegion() {
    kernel.currentThread().kernelApcDisable++;
  }

  /** KeLeaveCriticalRegion: pending normal kernel APCs run now. */
  public void leaveCriticalRegion() {
    KThread t = kernel.currentThread();
    t.kernelApcDisable--;
    kernel.deliverPendingApcs(t);
  }

  /** KeEnterGuardedRegion: no kernel APC at all until the region ends. */
  public void enterGuardedRegion() {
    kernel.currentThread().specialApcDisable++;
  }

  /** KeLeaveGuardedRegion. */
  public void leaveGuardedRegion() {
    KThread t = kernel.currentThread();
    t.specialApcDisable--;
    kernel.deliverPendingApcs(t);
  }

  // ------------------------------------------------------------------ suspension

  /**
   * KeSuspendThread: raises the suspend count; the first suspension queues the thread's suspend
   * APC, whose normal routine waits on the thread's suspend semaphore (wait reason Suspended).
   * Returns the previous count, or -1 (STATUS_SUSPEND_COUNT_EXCEEDED) at the maximum.
   */
  public int suspendThread(KThread t) {
    int previous = t.suspendCount;
    if (previous == MAXIMUM_SUSPEND_COUNT) {
      return -1;
    }
    if (t.state == ThreadState.TERMINATED || !t.apcQueueable) {
      return previous;
    }
    t.suspendCount++;
    if (previous == 0) {
      if (t.suspendApc == null) {
        t.suspendSemaphore = new KSemaphore(0, 2, t.address + 0x1c0);
        t.suspendApc = new Kapc(t, "nt!KiSuspendThread", null, (ctx, a1, a2) -> {
          KThread self = (KThread) ctx;
          kernel.waitForSingleObject(self.suspendSemaphore, WaitReason.SUSPENDED,
              Kernel.KERNEL_MODE, false, -1);
        }, t, Kernel.KERNEL_MODE, t.address + 0x180);
      }
      if (!t.suspendApc.inserted) {
        kernel.apcs.insert(t.suspendApc, null, null, 0);
      }
    }
    return previous;
  }

  /**
   * KeResumeThread: lowers the suspend count; at zero the suspend semaphore lets the thread go
   * (or the suspend APC, not yet delivered, is withdrawn). Returns the previous count.
   */
  public int resumeThread(KThread t) {
    int previous = t.suspendCount;
    if (previous == 0) {
      return 0;
    }
    t.suspendCount--;
    if (t.suspendCount == 0) {
      if (t.suspendApc.inserted) {
        kernel.apcs.remove(t.suspendApc);
      } else {
        releaseSemaphore(t.suspendSemaphore, 0, 1);
      }
    }
    return previous;
  }

  /** The IRQL a normal kernel APC's normal routine runs at. */
  static final int NORMAL_APC_IRQL = Irql.PASSIVE_LEVEL;
}
