package org.ntsim.ex.lock;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ntsim.ke.ThreadState;
import org.ntsim.ke.WaitReason;
import org.ntsim.ps.EThread;

/**
 * Executive resources (ERESOURCE) as Microsoft's reference pages for the ExAcquire*, ExRelease*,
 * ExConvert* and ExGet*WaiterCount routines describe them. Each thread enters a critical region
 * first, as those pages require ("normal kernel APC delivery must be disabled").
 */
class EResourceTest {
  private EResource resource(LockTestSupport s) {
    return s.sys.os.resources.initializeResourceLite(s.address(ExResources.SIZE));
  }

  private void critical(LockTestSupport s) {
    s.kernel.objects.enterCriticalRegion();
  }

  @Test
  void twoThreadsHoldItSharedAtOnce() {
    // ExAcquireResourceSharedLite: "If the resource is currently owned as shared and there are no
    // exclusive waiters, shared access is granted immediately".
    try (LockTestSupport s = new LockTestSupport()) {
      EResource r = resource(s);
      for (String name : new String[] {"a", "b"}) {
        s.thread(name, () -> {
          critical(s);
          s.log.add(name + " " + r.acquireSharedLite(true));
          s.sleep(3);
        });
      }
      s.runMs(2);
      assertThat(s.log).containsExactly("a true", "b true");
      assertThat(r.ownerThreads()).hasSize(2);
    }
  }

  @Test
  void anExclusiveRequestWaitsAsWrResourceWhileItIsShared() {
    // ExAcquireResourceExclusiveLite: with Wait TRUE "the caller is put into a wait state until
    // the resource can be acquired"; ExGetExclusiveWaiterCount counts it.
    try (LockTestSupport s = new LockTestSupport()) {
      EResource r = resource(s);
      s.thread("a", () -> {
        critical(s);
        r.acquireSharedLite(true);
        s.sleep(3);
        r.releaseLite();
      });
      EThread b = s.thread("b", () -> {
        critical(s);
        r.acquireExclusiveLite(true);
        s.log.add("b exclusive " + r.isAcquiredExclusiveLite());
      });
      s.runMs(2);
      assertThat(b.state()).isEqualTo(ThreadState.WAITING);
      assertThat(WaitReason.name(b.waitReason())).isEqualTo("WrResource");
      assertThat(r.exclusiveWaiterCount()).isEqualTo(1);
      s.runMs(40);
      assertThat(s.log).containsExactly("b exclusive true");
    }
  }

  @Test
  void withoutWaitABusyResourceReturnsFalse() {
    // ExAcquireResourceExclusiveLite: "returns FALSE if the input Wait is FALSE and exclusive
    // access cannot be granted immediately".
    try (LockTestSupport s = new LockTestSupport()) {
      EResource r = resource(s);
      s.thread("a", () -> {
        critical(s);
        r.acquireSharedLite(true);
        s.sleep(3);
      });
      s.thread("b", () -> {
        critical(s);
        s.log.add("b " + r.acquireExclusiveLite(false));
      });
      s.runMs(2);
      assertThat(s.log).containsExactly("b false");
      assertThat(r.exclusiveWaiterCount()).isZero();
    }
  }

  @Test
  void aNewSharedRequestWaitsBehindAnExclusiveWaiter() {
    // ExAcquireResourceSharedLite: owned shared with an exclusive waiter, a caller that does not
    // own the resource waits; ExGetSharedWaiterCount counts it.
    try (LockTestSupport s = new LockTestSupport()) {
      EResource r = resource(s);
      s.thread("a", () -> {
        critical(s);
        r.acquireSharedLite(true);
        s.sleep(3);
        r.releaseLite();
      });
      s.thread("b", () -> {
        critical(s);
        r.acquireExclusiveLite(true);
        s.log.add("b exclusive");
        r.releaseLite();
      });
      s.thread("c", () -> {
        critical(s);
        r.acquireSharedLite(true);
        s.log.add("c shared");
        r.releaseLite();
      });
      s.runMs(2);
      assertThat(r.sharedWaiterCount()).isEqualTo(1);
      s.runMs(40);
      assertThat(s.log).containsExactly("b exclusive", "c shared");
    }
  }

  @Test
  void starveExclusiveGetsSharedAccessAheadOfAnExclusiveWaiter() {
    // ExAcquireSharedStarveExclusive: "If the resource is currently owned as shared by another
    // thread, shared access is granted to the caller immediately, even if another thread is
    // waiting for exclusive access".
    try (LockTestSupport s = new LockTestSupport()) {
      EResource r = resource(s);
      s.thread("a", () -> {
        critical(s);
        r.acquireSharedLite(true);
        s.sleep(3);
        r.releaseLite();
      });
      s.thread("b", () -> {
        critical(s);
        r.acquireExclusiveLite(true);
        r.releaseLite();
      });
      s.thread("c", () -> {
        critical(s);
        s.log.add("c " + r.acquireSharedStarveExclusive(false));
        r.releaseLite();
      });
      s.runMs(2);
      assertThat(s.log).containsExactly("c true");
    }
  }

  @Test
  void theExclusiveOwnerGetsSharedAccessRecursively() {
    // ExAcquireResourceSharedLite: "If the caller already has exclusive access to the resource,
    // the current thread is granted the same type of access recursively".
    try (LockTestSupport s = new LockTestSupport()) {
      EResource r = resource(s);
      s.thread("a", () -> {
        critical(s);
        r.acquireExclusiveLite(true);
        s.log.add("shared " + r.acquireSharedLite(false));
        s.log.add("exclusive " + r.isAcquiredExclusiveLite() + " count "
            + r.isAcquiredSharedLite());
        r.releaseLite();
        r.releaseLite();
        s.log.add("count " + r.isAcquiredSharedLite());
      });
      s.runMs(2);
      assertThat(s.log).containsExactly("shared true", "exclusive true count 2", "count 0");
      assertThat(r.isHeld()).isFalse();
    }
  }

  @Test
  void waitForExclusiveMakesASharedOwnerWaitBehindAnExclusiveWaiter() {
    // ExAcquireSharedWaitForExclusive behaves like ExAcquireResourceSharedLite "unless the calling
    // thread already owns the resource shared and there are exclusive waiters"; then it waits.
    try (LockTestSupport s = new LockTestSupport()) {
      EResource r = resource(s);
      s.thread("a", () -> {
        critical(s);
        r.acquireSharedLite(true);
        s.sleep(3);
        s.log.add("a again " + r.acquireSharedWaitForExclusive(false));
        s.log.add("a lite " + r.acquireSharedLite(false));
      });
      s.thread("b", () -> {
        critical(s);
        r.acquireExclusiveLite(true);
      });
      s.runMs(40);
      assertThat(s.log).containsExactly("a again false", "a lite true");
    }
  }

  @Test
  void anExclusiveReleaseGrantsTheSharedWaitersFirst() {
    // The WRK's ExReleaseResourceLite: when the exclusive owner releases, waiting shared requests
    // are granted before a waiting exclusive one.
    try (LockTestSupport s = new LockTestSupport()) {
      EResource r = resource(s);
      s.thread("a", () -> {
        critical(s);
        r.acquireExclusiveLite(true);
        s.sleep(3);
        r.releaseLite();
      });
      s.thread("b", () -> {
        critical(s);
        r.acquireExclusiveLite(true);
        s.log.add("b exclusive");
        r.releaseLite();
      });
      s.thread("c", () -> {
        critical(s);
        r.acquireSharedLite(true);
        s.log.add("c shared");
        r.releaseLite();
      });
      s.runMs(40);
      assertThat(s.log).containsExactly("c shared", "b exclusive");
    }
  }

  @Test
  void convertingExclusiveToSharedAdmitsTheSharedWaiters() {
    // ExConvertExclusiveToSharedLite: "converts a given resource from acquired for exclusive
    // access to acquired for shared access"; waiting shared requests are granted with it.
    try (LockTestSupport s = new LockTestSupport()) {
      EResource r = resource(s);
      s.thread("a", () -> {
        critical(s);
        r.acquireExclusiveLite(true);
        s.sleep(3);
        r.convertExclusiveToSharedLite();
        s.sleep(20);
      });
      s.thread("c", () -> {
        critical(s);
        r.acquireSharedLite(true);
        s.log.add("c shared with " + r.ownerThreads().size());
      });
      s.runMs(30);
      assertThat(s.log).containsExactly("c shared with 2");
      assertThat(r.isOwnedExclusive()).isFalse();
    }
  }

  @Test
  void releasingAResourceNotOwnedIsResourceNotOwned() {
    // learn.microsoft.com, Bug Check 0xE3 RESOURCE_NOT_OWNED: "a thread tried to release a
    // resource it did not own"; parameter 1 is the resource, 2 the thread.
    try (LockTestSupport s = new LockTestSupport()) {
      EResource r = resource(s);
      EThread a = s.thread("a", () -> {
        critical(s);
        r.releaseLite();
      });
      s.runMs(2);
      assertThat(s.kernel.bugCheck().code()).isEqualTo(0xE3);
      assertThat(s.kernel.bugCheck().p1()).isEqualTo(r.address);
      assertThat(s.kernel.bugCheck().p2()).isEqualTo(a.address);
    }
  }

  @Test
  void deleteTakesItOffTheSystemList() {
    // ExDeleteResourceLite "deletes a given resource from the system's resource list".
    try (LockTestSupport s = new LockTestSupport()) {
      EResource r = resource(s);
      assertThat(s.sys.os.resources.systemResources()).contains(r);
      s.sys.os.resources.deleteResourceLite(r);
      assertThat(s.sys.os.resources.systemResources()).doesNotContain(r);
    }
  }

  @Test
  void acquiringAtDispatchLevelIsIrqlNotLessOrEqual() {
    // ExAcquireResourceExclusiveLite: "Callers ... must be running at IRQL <= APC_LEVEL"; the
    // wait such a caller would make at DISPATCH_LEVEL is bug check 0xA.
    try (LockTestSupport s = new LockTestSupport()) {
      EResource r = resource(s);
      s.thread("a", () -> {
        s.kernel.raiseIrql(org.ntsim.hal.Irql.DISPATCH_LEVEL);
        r.acquireExclusiveLite(true);
      });
      s.runMs(2);
      assertThat(s.kernel.bugCheck().code()).isEqualTo(0xA);
      assertThat(s.kernel.bugCheck().p1()).isEqualTo(r.address);
    }
  }

  @Test
  void aCallerOutsideACriticalRegionIsRefused() {
    // ExAcquireResourceSharedLite: "Normal kernel APC delivery must be disabled before calling
    // this routine. Disable normal kernel APC delivery by calling KeEnterCriticalRegion."
    try (LockTestSupport s = new LockTestSupport()) {
      EResource r = resource(s);
      s.thread("a", () -> {
        try {
          r.acquireSharedLite(true);
          s.log.add("granted");
        } catch (IllegalStateException e) {
          s.log.add("refused");
        }
        s.kernel.raiseIrql(org.ntsim.hal.Irql.APC_LEVEL);
        s.log.add("at APC_LEVEL " + r.acquireSharedLite(true));
      });
      s.runMs(2);
      assertThat(s.log).containsExactly("refused", "at APC_LEVEL true");
      assertThat(r.isHeld()).isTrue();
    }
  }
}
