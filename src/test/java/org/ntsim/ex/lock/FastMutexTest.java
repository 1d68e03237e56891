package org.ntsim.ex.lock;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ntsim.hal.Irql;
import org.ntsim.ke.ThreadState;
import org.ntsim.ke.WaitReason;
import org.ntsim.ps.EThread;
import org.ntsim.trace.TraceKind;

/**
 * Fast mutexes (ExAcquireFastMutex and its relatives) and guarded mutexes (KeAcquireGuardedMutex),
 * as Microsoft's reference pages and "Fast Mutexes and Guarded Mutexes" describe them.
 */
class FastMutexTest {
  @Test
  void acquireRaisesToApcLevelAndReleaseRestoresTheOldIrql() {
    // learn.microsoft.com, ExAcquireFastMutex: "sets the IRQL to APC_LEVEL ... saves the caller's
    // previous IRQL in the mutex ... restored when the caller invokes ExReleaseFastMutex".
    try (LockTestSupport s = new LockTestSupport()) {
      FastMutex m = new FastMutex(s.kernel, s.address(0x20));
      s.thread("a", () -> {
        m.acquire();
        s.log.add("held at " + s.irql());
        m.release();
        s.log.add("released at " + s.irql());
      });
      s.runMs(5);
      assertThat(s.log).containsExactly("held at 1", "released at 0");
      assertThat(m.isHeld()).isFalse();
    }
  }

  @Test
  void aSecondThreadWaitsWithWaitReasonWrFastMutexAndGetsItOnRelease() {
    // learn.microsoft.com, ExAcquireFastMutex: "puts the caller into a wait state if the given
    // fast mutex cannot be acquired immediately"; Vista's KWAIT_REASON names it WrFastMutex.
    try (LockTestSupport s = new LockTestSupport()) {
      FastMutex m = new FastMutex(s.kernel, s.address(0x20));
      s.thread("a", () -> {
        m.acquire();
        s.sleep(3);
        s.log.add("a releases");
        m.release();
      });
      EThread b = s.thread("b", () -> {
        m.acquire();
        s.log.add("b holds");
        m.release();
      });
      s.runMs(2);
      assertThat(b.state()).isEqualTo(ThreadState.WAITING);
      assertThat(b.waitReason()).isEqualTo(WaitReason.WR_FAST_MUTEX);
      assertThat(WaitReason.name(b.waitReason())).isEqualTo("WrFastMutex");
      assertThat(m.waiters()).isEqualTo(1);
      s.runMs(40); // the delay ends on a clock tick
      assertThat(s.log).containsExactly("a releases", "b holds");
      assertThat(m.contention()).isEqualTo(1);
      assertThat(s.sys.events(TraceKind.WAIT)).anyMatch(e -> e.b() == WaitReason.WR_FAST_MUTEX);
    }
  }

  @Test
  void tryToAcquireAHeldMutexReturnsFalseAtTheCallersIrql() {
    // learn.microsoft.com, ExTryToAcquireFastMutex: "returns TRUE if the current thread is given
    // ownership"; it sets APC_LEVEL only "if the mutex is acquired".
    try (LockTestSupport s = new LockTestSupport()) {
      FastMutex m = new FastMutex(s.kernel, s.address(0x20));
      s.thread("a", () -> {
        m.acquire();
        s.sleep(3);
        m.release();
      });
      s.thread("b", () -> {
        s.log.add("try " + m.tryToAcquire() + " at " + s.irql());
      });
      s.runMs(5);
      assertThat(s.log).containsExactly("try false at 0");
    }
  }

  @Test
  void acquireAtDispatchLevelIsIrqlNotLessOrEqual() {
    // learn.microsoft.com, ExAcquireFastMutex: "Callers ... must be running at IRQL <=
    // APC_LEVEL"; the wait such a caller makes at DISPATCH_LEVEL is bug check 0xA.
    try (LockTestSupport s = new LockTestSupport()) {
      FastMutex m = new FastMutex(s.kernel, s.address(0x20));
      s.thread("a", () -> {
        s.kernel.raiseIrql(Irql.DISPATCH_LEVEL);
        m.acquire();
      });
      s.runMs(2);
      assertThat(s.kernel.bugCheck().code()).isEqualTo(0xA);
      assertThat(s.kernel.bugCheck().p1()).isEqualTo(m.address);
      assertThat(s.kernel.bugCheck().p2()).isEqualTo(Irql.DISPATCH_LEVEL);
    }
  }

  @Test
  void aRecursiveAcquisitionWaitsForItselfForever() {
    // learn.microsoft.com, "Fast Mutexes and Guarded Mutexes": a fast mutex "cannot be acquired
    // recursively"; on a free build the second acquisition deadlocks the thread.
    try (LockTestSupport s = new LockTestSupport()) {
      FastMutex m = new FastMutex(s.kernel, s.address(0x20));
      EThread a = s.thread("a", () -> {
        m.acquire();
        m.acquireUnsafe();
        s.log.add("never");
      });
      s.runMs(20);
      assertThat(a.state()).isEqualTo(ThreadState.WAITING);
      assertThat(a.waitReason()).isEqualTo(WaitReason.WR_FAST_MUTEX);
      assertThat(s.log).isEmpty();
      assertThat(s.kernel.bugCheck()).isNull();
    }
  }

  @Test
  void aGuardedMutexEntersAGuardedRegionInsteadOfRaisingIrql() {
    // learn.microsoft.com, "Fast Mutexes and Guarded Mutexes": KeAcquireGuardedMutex "enters a
    // guarded region" (all APCs disabled) where a fast mutex raises to APC_LEVEL.
    try (LockTestSupport s = new LockTestSupport()) {
      GuardedMutex m = new GuardedMutex(s.kernel, s.address(0x20));
      s.thread("a", () -> {
        m.acquire();
        s.log.add("irql " + s.irql() + " guarded " + s.kernel.currentThread().specialApcDisable());
        m.release();
        s.log.add("guarded " + s.kernel.currentThread().specialApcDisable());
      });
      s.runMs(5);
      assertThat(s.log).containsExactly("irql 0 guarded 1", "guarded 0");
    }
  }

  @Test
  void aGuardedMutexWaiterWaitsWithWaitReasonWrGuardedMutex() {
    // Vista's KWAIT_REASON: WrGuardedMutex (35) for a thread waiting in KeAcquireGuardedMutex.
    try (LockTestSupport s = new LockTestSupport()) {
      GuardedMutex m = new GuardedMutex(s.kernel, s.address(0x20));
      s.thread("a", () -> {
        m.acquire();
        s.sleep(3);
        m.release();
      });
      EThread b = s.thread("b", () -> {
        m.acquire();
        s.log.add("b holds");
        m.release();
      });
      s.runMs(2);
      assertThat(b.waitReason()).isEqualTo(WaitReason.WR_GUARDED_MUTEX);
      assertThat(WaitReason.name(b.waitReason())).isEqualTo("WrGuardedMutex");
      s.runMs(40);
      assertThat(s.log).containsExactly("b holds");
    }
  }
}
