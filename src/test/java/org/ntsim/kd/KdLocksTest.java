package org.ntsim.kd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ntsim.ex.lock.EResource;
import org.ntsim.ex.lock.ExResources;
import org.ntsim.ke.Kernel;
import org.ntsim.ps.EThread;

/**
 * {@code !locks} on executive resources, in the layout of Microsoft's !locks reference page
 * (DOCS/-locks---kdext--locks-): "Resource @ 0x<address>    Shared <n> owning threads", the
 * owner table as "Threads: <thread>-<count><*>", and "<n> total locks, <m> locks currently held".
 */
class KdLocksTest {
  private static final long MS = KdSession.MS;

  private EThread holder(KdSession s, String name, Runnable body) {
    return s.os.ps.createSystemThread(name, "test!" + name, 8, () -> {
      s.os.kernel.objects.enterCriticalRegion();
      body.run();
      s.os.kernel.delayExecution(Kernel.KERNEL_MODE, false, 10_000 * MS);
      return 0;
    });
  }

  private EResource resource(KdSession s) {
    return s.os.resources.initializeResourceLite(s.os.kernel.staticAddress(ExResources.SIZE));
  }

  @Test
  void aSharedResourceListsItsOwnersAndTheTotals() {
    try (KdSession s = new KdSession(1, 1_000 * MS)) {
      EResource held = resource(s);
      resource(s); // free: counted in the total, not listed
      EThread a = holder(s, "a", () -> held.acquireSharedLite(true));
      EThread b = holder(s, "b", () -> held.acquireSharedLite(true));
      s.run("g 5ms");
      String out = s.run("!locks");
      assertThat(out).contains("**** DUMP OF ALL RESOURCE OBJECTS ****");
      assertThat(out).contains("Resource @ 0x" + KdFormat.hex8(held.address)
          + "    Shared 2 owning threads");
      assertThat(out).contains("     Threads: " + KdFormat.hex8(a.address) + "-01<*> "
          + KdFormat.hex8(b.address) + "-01<*>");
      assertThat(out).contains("2 total locks, 1 locks currently held");
    }
  }

  @Test
  void anExclusiveOwnerAndItsWaitersShowWithTheirCounts() {
    try (KdSession s = new KdSession(1, 1_000 * MS)) {
      EResource held = resource(s);
      EThread a = holder(s, "a", () -> held.acquireExclusiveLite(true));
      EThread b = holder(s, "b", () -> held.acquireExclusiveLite(true));
      s.run("g 5ms");
      String out = s.run("!locks " + KdFormat.hex8(held.address));
      assertThat(out).contains("Resource @ 0x" + KdFormat.hex8(held.address)
          + "    Exclusively owned");
      assertThat(out).contains("    Contention Count = 1");
      assertThat(out).contains("    NumberOfExclusiveWaiters = 1");
      assertThat(out).contains("     Threads: " + KdFormat.hex8(a.address) + "-01<*>");
      assertThat(out).contains("     Threads Waiting On Exclusive Access:");
      assertThat(out).contains(KdFormat.hex8(b.address));
    }
  }

  @Test
  void dListsFreeResourcesAndABadAddressIsOneLine() {
    try (KdSession s = new KdSession(1, 1_000 * MS)) {
      EResource free = resource(s);
      assertThat(s.run("!locks -d")).contains("Resource @ 0x" + KdFormat.hex8(free.address)
          + "    Available").contains("1 total locks");
      assertThat(s.run("!locks 1234")).contains("Unable to read ERESOURCE at 00001234")
          .doesNotContain("Exception");
    }
  }
}
