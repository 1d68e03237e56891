package org.ntsim.ke;

import org.ntsim.hal.Cpu;
import org.ntsim.hal.Irql;
import org.ntsim.hal.Machine;
import org.ntsim.trace.TraceKind;

/**
 * Waits (ReactOS's ke/wait.c; NT's KeWaitForSingleObject family and KiWaitTest): a
 * thread tests its objects, links a wait block to each (and one to its own timer for a timeout),
 * leaves the processor and runs again when an object, the timeout or a kernel APC ends the wait;
 * KiWaitTest and KiUnwaitThread are the signalling side. Also the two other ways a thread gives up
 * the processor of its own accord: KeDelayExecutionThread and NtYieldExecution.
 *
 * <p>Invariants: a waiting thread's wait blocks are linked on its objects' wait lists and chained
 * through {@code nextWaitBlock} from {@code waitBlockList}; an unwaited thread has none linked and
 * its timer is out of the timer table. A wait in arbitrary context, or one that could block at
 * DISPATCH_LEVEL or above, is a bug check.
 *
 * <p>Hot path: the waits and the yield do not allocate (the thread's own wait blocks serve up to
 * {@link KThread#THREAD_WAIT_OBJECTS} objects) and suspend the coroutine in their own frame, so
 * that the stack a sleeping thread keeps is short.
 *
 * <p>Left out: wait block reuse across KeWaitForMultipleObjects calls with a caller's array, and
 * the wait's priority decrement (NT's KiAdjustQuantumThread on wait).
 */
final class Waits {
  private final Kernel kernel;
  private final Machine machine;
  private final Scheduler scheduler;
  private final TimerTable timerTable;

  Waits(Kernel kernel, Scheduler scheduler, TimerTable timerTable) {
    this.kernel = kernel;
    this.machine = kernel.machine();
    this.scheduler = scheduler;
    this.timerTable = timerTable;
  }

  /** KeWaitForSingleObject. Timeout: negative for none, else relative nanoseconds. */
  int waitForSingleObject(DispatcherObject object, int waitReason, int waitMode,
      boolean alertable, long timeoutNs) {
    return waitForMultipleObjects(new DispatcherObject[] {object}, 1, WaitBlock.WAIT_ANY,
        waitReason, waitMode, alertable, timeoutNs);
  }

  /**
   * KeWaitForMultipleObjects: satisfied at once if it can be, else the thread waits (Waiting)
   * until an object satisfies it, the timeout expires (STATUS_TIMEOUT) or it is told to end.
   * Returns STATUS_WAIT_0 + index for WaitAny, STATUS_WAIT_0 for WaitAll.
   */
  int waitForMultipleObjects(DispatcherObject[] objects, int count, int waitType,
      int waitReason, int waitMode, boolean alertable, long timeoutNs) {
    if (timeoutNs != 0 || machine.activeCpu().irql() > Irql.DISPATCH_LEVEL) {
      checkWaitContext(objects[0], timeoutNs); // a zero timeout only tests: fine up to DISPATCH
    }
    KThread self = kernel.currentThread();
    long deadline = timeoutNs > 0 ? machine.activeCpu().clockNs() + timeoutNs : timeoutNs;
    while (true) { // each pass blocks; another follows only a kernel APC delivered meanwhile
      int early = waitPreamble(self, waitMode, alertable);
      if (early != NtStatus.STATUS_PENDING) {
        return early;
      }
      int immediate = trySatisfy(self, objects, count, waitType);
      if (immediate >= 0) {
        return immediate;
      }
      long remaining = deadline > 0 ? deadline - machine.activeCpu().clockNs() : deadline;
      if (remaining == 0 || (deadline > 0 && remaining <= 0)) {
        return NtStatus.STATUS_TIMEOUT;
      }
      WaitBlock[] blocks =
          count <= KThread.THREAD_WAIT_OBJECTS ? self.waitBlocks : largeBlocks(self);
      WaitBlock prev = null;
      for (int i = 0; i < count; i++) {
        WaitBlock b = blocks[i];
        b.thread = self;
        b.object = objects[i];
        b.waitKey = i;
        b.waitType = waitType;
        b.nextWaitBlock = null;
        b.linkAtTail();
        if (prev == null) {
          self.waitBlockList = b;
        } else {
          prev.nextWaitBlock = b;
        }
        prev = b;
      }
      if (remaining > 0) {
        prev.nextWaitBlock = armTimeout(self, NtStatus.STATUS_TIMEOUT, deadline);
      }
      if (self.queue != null) {
        kernel.objects.activateWaiter(self.queue); // KiActivateWaiterQueue: it stops being active
      }
      beginBlock(self, count, waitReason, waitMode, alertable);
      machine.backend.yieldCurrent();
      int status = endBlock(self);
      if (status != NtStatus.STATUS_KERNEL_APC) {
        return status;
      }
    }
  }

  /**
   * What every wait checks before it tests its objects: termination, kernel APCs that may run now
   * (delivered, then the wait goes on), and for alertable waits a pending alert or user APC.
   * Returns STATUS_PENDING when the wait should proceed.
   */
  int waitPreamble(KThread self, int waitMode, boolean alertable) {
    self.waitNext = false;
    kernel.testTermination();
    kernel.deliverPendingApcs(self);
    kernel.testTermination();
    if (alertable) {
      if (waitMode == Kernel.USER_MODE && self.alertedUser) {
        self.alertedUser = false;
        return NtStatus.STATUS_ALERTED;
      }
      if (waitMode == Kernel.KERNEL_MODE && self.alertedKernel) {
        self.alertedKernel = false;
        return NtStatus.STATUS_ALERTED;
      }
      if (waitMode == Kernel.USER_MODE && self.userApcHead != null) {
        self.userApcPending = true;
        return NtStatus.STATUS_USER_APC;
      }
    }
    return NtStatus.STATUS_PENDING;
  }

  /** Links the thread's timeout wait block to its own timer, due at {@code deadlineNs}. */
  WaitBlock armTimeout(KThread self, int key, long deadlineNs) {
    WaitBlock tb = self.timerWaitBlock;
    tb.thread = self;
    tb.object = self.timer;
    tb.waitKey = key;
    tb.waitType = WaitBlock.WAIT_ANY;
    tb.nextWaitBlock = null;
    self.timer.signalState = 0;
    tb.linkAtTail();
    timerTable.insert(self.timer, deadlineNs);
    return tb;
  }

  /** KiSwapThread for a wait: the thread blocks, and the wait's status once it runs again. */
  int blockThread(KThread self, int count, int waitReason, int waitMode,
      boolean alertable) {
    beginBlock(self, count, waitReason, waitMode, alertable);
    machine.backend.yieldCurrent();
    return endBlock(self);
  }

  /**
   * The thread enters its wait and leaves the processor; its caller then suspends the coroutine
   * right away (see {@link Scheduler#switchAway}) and calls {@link #endBlock} once it resumes.
   * The hot waits do so in their own frame, so that the stack a sleeping thread keeps is short.
   */
  private void beginBlock(KThread self, int count, int waitReason, int waitMode,
      boolean alertable) {
    self.waitReason = waitReason;
    self.waitMode = waitMode;
    self.alertable = alertable;
    self.waitObjectCount = count;
    self.waitTick = kernel.tickCount();
    self.waitStatus = NtStatus.STATUS_PENDING;
    self.waitIrql = machine.activeCpu().irql();
    scheduler.setState(self, ThreadState.WAITING);
    Cpu cpu = machine.activeCpu();
    machine.tracer.emit(cpu.clockNs(), cpu.index, TraceKind.WAIT, self.uniqueThread, waitReason,
        count);
    scheduler.processDeferredReadyList();
    scheduler.switchAway(self);
  }

  /**
   * The end of a block, when the thread runs again (KiSwapThread after the switch): the kernel APCs
   * it may take run first, then it ends if told to; the wait's status.
   */
  private int endBlock(KThread self) {
    kernel.deliverPendingApcs(self); // KiSwapThread: kernel APCs pending at the switch run first
    kernel.testTermination();
    return self.waitStatus;
  }

  private static WaitBlock[] largeBlocks(KThread t) {
    if (t.largeWaitBlocks == null) {
      t.largeWaitBlocks = new WaitBlock[64];
      for (int i = 0; i < 64; i++) {
        t.largeWaitBlocks[i] = new WaitBlock();
      }
    }
    return t.largeWaitBlocks;
  }

  private int trySatisfy(KThread self, DispatcherObject[] objects, int count, int waitType) {
    if (waitType == WaitBlock.WAIT_ANY) {
      for (int i = 0; i < count; i++) {
        if (objects[i].isSignaledFor(self)) {
          int status = objects[i].waitStatusFor(i);
          objects[i].satisfyWait(self);
          return status;
        }
      }
      return -1;
    }
    for (int i = 0; i < count; i++) {
      if (!objects[i].isSignaledFor(self)) {
        return -1;
      }
    }
    int status = NtStatus.STATUS_WAIT_0;
    for (int i = 0; i < count; i++) {
      int s = objects[i].waitStatusFor(0);
      if (s != NtStatus.STATUS_WAIT_0) {
        status = s;
      }
      objects[i].satisfyWait(self);
    }
    return status;
  }

  /** Bug checks for waits where NT forbids them: in a DPC, or at DISPATCH_LEVEL and above. */
  private void checkWaitContext(DispatcherObject object, long timeoutNs) {
    Cpu cpu = machine.activeCpu();
    checkSwitchContext(object.address, "wait");
    if (cpu.irql() >= Irql.DISPATCH_LEVEL && timeoutNs != 0) {
      kernel.bugCheckEx(BugCheck.IRQL_NOT_LESS_OR_EQUAL, object.address, cpu.irql(), 0, 0,
          "a thread waited at " + Irql.name(cpu.irql()));
    }
  }

  /**
   * Bug checks for a context switch asked for outside a thread: from a DPC routine,
   * ATTEMPTED_SWITCH_FROM_DPC (0xB8: the original thread, the new thread, the original thread's
   * stack, which is not simulated: 0); from another arbitrary context (an ISR, a timer's
   * expiry), IRQL_NOT_LESS_OR_EQUAL (0xA) with {@code address}.
   */
  void checkSwitchContext(long address, String what) {
    if (kernel.inThreadContext()) {
      return;
    }
    KPrcb prcb = kernel.currentPrcb();
    if (prcb.dpcRoutineActive) {
      kernel.bugCheckEx(BugCheck.ATTEMPTED_SWITCH_FROM_DPC, prcb.currentThread.address,
          peekNextThread(prcb).address, 0, 0, "the DPC routine "
              + (prcb.activeDpc == null ? "?" : prcb.activeDpc.name) + " tried to " + what);
    }
    int irql = machine.activeCpu().irql();
    kernel.bugCheckEx(BugCheck.IRQL_NOT_LESS_OR_EQUAL, address, irql, 0, 0,
        "a " + what + " in arbitrary context at IRQL " + irql);
  }

  /** The thread KiSwapThread would switch to on {@code prcb} now, without taking it. */
  private static KThread peekNextThread(KPrcb prcb) {
    if (prcb.nextThread != null) {
      return prcb.nextThread;
    }
    int p = prcb.highestReadyPriority();
    return p >= 0 ? prcb.readyHead[p] : prcb.idleThread;
  }

  /**
   * KeDelayExecutionThread: waits on the thread's own timer. A zero interval gives the rest of
   * the quantum to any other thread ready on this processor (Sleep(0) since Windows Server 2003;
   * before, only to threads of equal priority).
   */
  int delayExecution(int waitMode, boolean alertable, long intervalNs) {
    KThread self = kernel.currentThread();
    if (intervalNs <= 0) {
      checkWaitContext(self.timer, 0);
      int early = waitPreamble(self, waitMode, alertable);
      if (early != NtStatus.STATUS_PENDING) {
        return early; // SleepEx(0, TRUE) with an APC queued
      }
      yieldToReady(self, 1);
      return NtStatus.STATUS_SUCCESS;
    }
    checkWaitContext(self.timer, intervalNs);
    long deadline = machine.activeCpu().clockNs() + intervalNs;
    while (true) { // each pass blocks; another follows only a kernel APC delivered meanwhile
      int early = waitPreamble(self, waitMode, alertable);
      if (early != NtStatus.STATUS_PENDING) {
        return early;
      }
      if (deadline <= machine.activeCpu().clockNs()) {
        return NtStatus.STATUS_SUCCESS;
      }
      self.waitBlockList = armTimeout(self, NtStatus.STATUS_SUCCESS, deadline);
      if (self.queue != null) {
        kernel.objects.activateWaiter(self.queue);
      }
      beginBlock(self, 0, WaitReason.DELAY_EXECUTION, waitMode, alertable);
      machine.backend.yieldCurrent();
      int status = endBlock(self);
      if (status != NtStatus.STATUS_KERNEL_APC) {
        return status;
      }
    }
  }

  /**
   * NtYieldExecution (SwitchToThread) with {@code lowPriority} 1, and Sleep(0): gives the
   * processor to a ready thread of this processor of at least {@code lowPriority}. Returns false
   * if none was ready (STATUS_NO_YIELD_PERFORMED).
   */
  boolean yieldToReady(KThread self, int lowPriority) {
    checkSwitchContext(0, "yield");
    KPrcb prcb = kernel.currentPrcb();
    if (prcb.nextThread == null && prcb.highestReadyPriority() < lowPriority) {
      return false;
    }
    KThread next = prcb.nextThread != null ? scheduler.takeStandby(prcb)
        : prcb.selectReady(lowPriority);
    if (!self.isRealTime() && self.priority > self.basePriority) {
      int old = self.priority;
      self.priority = self.basePriority;
      self.priorityDecrement = 0;
      machine.tracer.emit(prcb.cpu.clockNs(), prcb.number, TraceKind.PRIORITY, self.uniqueThread,
          old, self.priority);
    }
    scheduler.quantum.resetQuantum(self);
    self.preempted = false;
    if (Scheduler.allowed(self, prcb.number)) {
      scheduler.queueReady(prcb, self);
    } else {
      scheduler.readyThread(self);
    }
    Cpu cpu = prcb.cpu;
    self.savedIrql = cpu.irql();
    scheduler.contextSwitch(prcb, self, next);
    cpu.setIrql(next.savedIrql);
    scheduler.processDeferredReadyList(prcb); // this thread, if it may no longer run here
    machine.backend.yieldCurrent();
    resumedInKernel(self);
    return true;
  }

  /**
   * The end of KiSwapThread on the thread that runs again (the loop resumed its coroutine as the
   * running coroutine, perhaps on another processor): places the threads readied meanwhile,
   * takes the kernel APCs it may, and ends if its termination was requested.
   */
  private void resumedInKernel(KThread self) {
    KPrcb prcb = kernel.currentPrcb();
    if (prcb.deferredReadyHead != null) {
      scheduler.processDeferredReadyList(prcb);
    }
    kernel.deliverPendingApcs(self);
    if (self.terminationRequested) {
      throw new ThreadExitSignal();
    }
  }

  /** KiWaitTest: releases the waiters that {@code object}'s signal state now satisfies. */
  void waitTest(DispatcherObject object, int increment) {
    WaitBlock b = object.waitListFirst;
    while (b != null) {
      KThread t = b.thread;
      if (!object.isSignaledFor(t)) {
        b = b.next;
        continue;
      }
      if (b.waitType == WaitBlock.WAIT_ANY) {
        int status = (object == t.timer) ? b.waitKey : object.waitStatusFor(b.waitKey);
        object.satisfyWait(t);
        unwaitThread(t, status, increment);
        b = object.waitListFirst;
      } else if (allSignaled(t)) {
        int status = NtStatus.STATUS_WAIT_0;
        for (WaitBlock w = t.waitBlockList; w != null; w = w.nextWaitBlock) {
          if (w.waitType == WaitBlock.WAIT_ALL) {
            int s = w.object.waitStatusFor(0);
            if (s != NtStatus.STATUS_WAIT_0) {
              status = s;
            }
            w.object.satisfyWait(t);
          }
        }
        unwaitThread(t, status, increment);
        b = object.waitListFirst;
      } else {
        b = b.next;
      }
    }
  }

  private static boolean allSignaled(KThread t) {
    for (WaitBlock w = t.waitBlockList; w != null; w = w.nextWaitBlock) {
      if (w.waitType == WaitBlock.WAIT_ALL && !w.object.isSignaledFor(t)) {
        return false;
      }
    }
    return true;
  }

  /**
   * KiUnwaitThread: ends the thread's wait with {@code status}, adjusts its priority and quantum
   * by {@code increment} (the waker's boost: 1 for an event, semaphore or mutant, 0 for a timer;
   * {@link Scheduler#unwaitBoost}), and readies it.
   */
  void unwaitThread(KThread t, int status, int increment) {
    for (WaitBlock b = t.waitBlockList; b != null; b = b.nextWaitBlock) {
      b.unlink();
    }
    t.waitBlockList = null;
    if (t.timer.inserted) {
      timerTable.remove(t.timer);
    }
    t.waitStatus = status;
    if (t.queue != null) {
      t.queue.currentCount++; // KiUnlinkThread: an associated thread is active again
    }
    Cpu cpu = machine.activeCpu();
    machine.tracer.emit(cpu.clockNs(), cpu.index, TraceKind.UNWAIT, t.uniqueThread, status,
        increment);
    scheduler.unwaitBoost(t, increment);
    scheduler.readyThread(t);
  }
}
