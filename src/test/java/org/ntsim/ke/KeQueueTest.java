package org.ntsim.ke;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.ntsim.win32.TestOs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** KQUEUE (seed 001, "I/O completion ports"): FIFO entries, LIFO waiters, active-thread count. */
class KeQueueTest {
  private TestOs sys;

  @AfterEach
  void close() {
    if (sys != null) {
      sys.close();
    }
  }

  private Object remove(KQueue q, long timeoutNs, int[] status) {
    return sys.os.kernel.objects.removeQueue(q, Kernel.KERNEL_MODE, false, timeoutNs, status);
  }

  @Test
  void entriesComeOutFirstInFirstOut() {
    sys = TestOs.boot(1);
    KeObjects ke = sys.os.kernel.objects;
    KQueue q = ke.initializeQueue(1, 0x1000);
    List<Object> got = new ArrayList<>();
    sys.systemThread("consumer", 8, () -> {
      ke.insertQueue(q, "a", false);
      ke.insertQueue(q, "b", false);
      ke.insertQueue(q, "c", false);
      int[] st = new int[1];
      for (int i = 0; i < 3; i++) {
        got.add(remove(q, -1, st));
        assertThat(st[0]).isEqualTo(NtStatus.STATUS_SUCCESS);
      }
      sys.os.kernel.delayExecution(Kernel.KERNEL_MODE, false, Long.MAX_VALUE / 4);
      return 0;
    });
    sys.runFor(20 * TestOs.MS);
    assertThat(got).containsExactly("a", "b", "c");
  }

  @Test
  void theLastWaiterIsWokenFirst() {
    sys = TestOs.boot(1);
    KeObjects ke = sys.os.kernel.objects;
    KQueue q = ke.initializeQueue(2, 0x1000);
    List<String> order = new ArrayList<>();
    for (String name : new String[] {"first", "second"}) {
      sys.systemThread(name, 8, () -> {
        int[] st = new int[1];
        Object e = remove(q, -1, st);
        order.add(name + ":" + e);
        sys.os.kernel.delayExecution(Kernel.KERNEL_MODE, false, Long.MAX_VALUE / 4);
        return 0;
      });
      sys.runFor(2 * TestOs.MS);
    }
    sys.systemThread("producer", 8, () -> {
      ke.insertQueue(q, 1, false);
      ke.insertQueue(q, 2, false);
      sys.os.kernel.delayExecution(Kernel.KERNEL_MODE, false, Long.MAX_VALUE / 4);
      return 0;
    });
    sys.runFor(20 * TestOs.MS);
    assertThat(order).containsExactly("second:1", "first:2");
  }

  @Test
  void aTimedRemoveOnAnEmptyQueueTimesOut() {
    sys = TestOs.boot(1);
    KQueue q = sys.os.kernel.objects.initializeQueue(1, 0x1000);
    int[] st = new int[1];
    Object[] got = {"unset"};
    int[] activeAfter = {-1};
    sys.systemThread("waiter", 8, () -> {
      got[0] = remove(q, 20 * TestOs.MS, st);
      activeAfter[0] = q.currentCount();
      sys.os.kernel.delayExecution(Kernel.KERNEL_MODE, false, Long.MAX_VALUE / 4);
      return 0;
    });
    sys.runFor(100 * TestOs.MS);
    assertThat(st[0]).isEqualTo(NtStatus.STATUS_TIMEOUT);
    assertThat(got[0]).isNull();
    assertThat(activeAfter[0]).as("the thread is active again").isEqualTo(1);
    assertThat(q.currentCount()).as("and not while it sleeps afterwards").isZero();
  }

  /**
   * Seed 001's example: concurrency 1; the active thread blocks on something else, so a waiter is
   * released with the next entry; when the first wakes, both are active at once (count 2).
   */
  @Test
  void anActiveThreadThatBlocksReleasesAWaiterAndTheCountCanPassTheLimit() {
    sys = TestOs.boot(2);
    KeObjects ke = sys.os.kernel.objects;
    KQueue q = ke.initializeQueue(1, 0x1000);
    KEvent gate = sys.notificationEvent();
    List<String> log = new ArrayList<>();
    for (String name : new String[] {"worker-1", "worker-2"}) {
      sys.systemThread(name, 8, () -> {
        int[] st = new int[1];
        Object e = remove(q, -1, st);
        log.add(name + " got " + e);
        if ("A".equals(e)) {
          sys.os.kernel.waitForSingleObject(gate, WaitReason.EXECUTIVE, Kernel.KERNEL_MODE,
              false, -1);
          log.add(name + " woke, active " + q.currentCount());
        } else {
          sys.os.kernel.spend(20 * TestOs.MS);
        }
        sys.os.kernel.delayExecution(Kernel.KERNEL_MODE, false, Long.MAX_VALUE / 4);
        return 0;
      });
      sys.runFor(2 * TestOs.MS);
    }
    sys.systemThread("producer", 9, () -> {
      ke.insertQueue(q, "A", false);
      ke.insertQueue(q, "B", false);
      sys.os.kernel.delayExecution(Kernel.KERNEL_MODE, false, 5 * TestOs.MS);
      sys.os.kernel.setEvent(gate, 0);
      sys.os.kernel.delayExecution(Kernel.KERNEL_MODE, false, Long.MAX_VALUE / 4);
      return 0;
    });
    sys.runFor(40 * TestOs.MS);
    assertThat(log).containsExactly("worker-2 got A", "worker-1 got B",
        "worker-2 woke, active 2");
  }
}
