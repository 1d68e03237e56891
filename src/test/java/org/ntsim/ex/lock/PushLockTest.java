package org.ntsim.ex.lock;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ntsim.ke.ThreadState;
import org.ntsim.ke.WaitReason;
import org.ntsim.ps.EThread;

/**
 * Push locks (ExAcquirePushLockShared / Exclusive, ExReleasePushLock), as Windows Internals
 * (5th ed., chapter 3, "Pushlocks") describes them: shared or exclusive, no recursion, waiters
 * woken to compete again.
 */
class PushLockTest {
  @Test
  void sharedHoldersShareAndAnExclusiveRequestWaitsAsWrPushLock() {
    // Windows Internals: "when a thread acquires a normal pushlock ... if the pushlock is owned
    // ... the thread waits"; shared owners may hold it together. KWAIT_REASON 28: WrPushLock.
    try (LockTestSupport s = new LockTestSupport()) {
      PushLock p = new PushLock(s.kernel, s.address(4));
      for (String name : new String[] {"a", "b"}) {
        s.thread(name, () -> {
          p.acquireShared();
          s.sleep(3);
          p.releaseShared();
        });
      }
      EThread c = s.thread("c", () -> {
        p.acquireExclusive();
        s.log.add("c exclusive");
        p.releaseExclusive();
      });
      s.runMs(2);
      assertThat(p.shareCount()).isEqualTo(2);
      assertThat(c.state()).isEqualTo(ThreadState.WAITING);
      assertThat(WaitReason.name(c.waitReason())).isEqualTo("WrPushLock");
      s.runMs(40);
      assertThat(s.log).containsExactly("c exclusive");
      assertThat(p.isExclusive()).isFalse();
    }
  }

  @Test
  void aSharedRequestWaitsWhileAnyoneWaits() {
    // Windows Internals: a pushlock with waiters sends a new shared acquirer to the wait list
    // too, so the exclusive waiter is woken first when the owners leave.
    try (LockTestSupport s = new LockTestSupport()) {
      PushLock p = new PushLock(s.kernel, s.address(4));
      s.thread("a", () -> {
        p.acquireShared();
        s.sleep(3);
        p.releaseShared();
      });
      s.thread("b", () -> {
        p.acquireExclusive();
        s.log.add("b exclusive");
        p.releaseExclusive();
      });
      s.thread("c", () -> {
        p.acquireShared();
        s.log.add("c shared");
        p.releaseShared();
      });
      s.runMs(2);
      assertThat(p.waiters()).isEqualTo(2);
      s.runMs(40);
      assertThat(s.log).containsExactly("b exclusive", "c shared");
    }
  }

  @Test
  void tryAcquireExclusiveFailsWhileItIsHeld() {
    // ExTryAcquirePushLockExclusive takes the lock only if no one holds it.
    try (LockTestSupport s = new LockTestSupport()) {
      PushLock p = new PushLock(s.kernel, s.address(4));
      s.thread("a", () -> {
        p.acquireShared();
        s.log.add("try " + p.tryAcquireExclusive());
        p.releaseShared();
        s.log.add("try " + p.tryAcquireExclusive());
        p.release();
      });
      s.runMs(2);
      assertThat(s.log).containsExactly("try false", "try true");
    }
  }
}
