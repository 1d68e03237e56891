package org.ntsim.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.ntsim.hal.Machine;
import org.ntsim.hal.MachineConfig;

/** The PFN database's page lists: moves, counts, the sweep, and list operations that do not allocate. */
class PfnDatabaseTest {
  private static PfnDatabase database(long bytes) {
    MachineConfig c = new MachineConfig();
    c.memoryBytes = bytes;
    return new PfnDatabase(new Machine(c));
  }

  @Test
  void everyFrameStartsOnTheZeroedList() {
    PfnDatabase db = database(1 << 20);
    assertThat(db.count(PfnDatabase.ZEROED)).isEqualTo(256);
    assertThat(db.availablePages()).isEqualTo(256);
    db.verifyLists();
  }

  @Test
  void framesMoveBetweenListsAndTheCountsFollow() {
    PfnDatabase db = database(1 << 20);
    int a = db.removeHead(PfnDatabase.ZEROED, PfnDatabase.ACTIVE);
    int b = db.removeHead(PfnDatabase.ZEROED, PfnDatabase.ACTIVE);
    db.insertTail(PfnDatabase.MODIFIED, a);
    db.insertTail(PfnDatabase.STANDBY, b);
    assertThat(db.availablePages()).isEqualTo(255);
    db.remove(a, PfnDatabase.ACTIVE);
    db.insertTail(PfnDatabase.FREE, a);
    assertThat(db.count(PfnDatabase.FREE)).isEqualTo(1);
    assertThat(db.count(PfnDatabase.MODIFIED)).isZero();
    assertThat(db.state(b)).isEqualTo(PfnDatabase.STANDBY);
    db.verifyLists();
  }

  @Test
  void theSweepFindsABrokenList() {
    PfnDatabase db = database(1 << 20);
    db.state[5] = PfnDatabase.FREE;
    assertThatThrownBy(db::verifyLists).hasMessageContaining("frame 5");
  }

  @Test
  void listOperationsDoNotAllocate() {
    PfnDatabase db = database(4 << 20);
    Runnable churn = () -> {
      for (int i = 0; i < 20_000; i++) {
        int f = db.removeHead(PfnDatabase.ZEROED, PfnDatabase.ACTIVE);
        db.insertTail(PfnDatabase.STANDBY, f);
        db.remove(f, PfnDatabase.ACTIVE);
        db.insertTail(PfnDatabase.ZEROED, f);
      }
    };
    churn.run();
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().threadId();
    threads.getThreadAllocatedBytes(tid);
    long before = threads.getThreadAllocatedBytes(tid);
    churn.run();
    assertThat(threads.getThreadAllocatedBytes(tid) - before).isLessThan(1024);
    db.verifyLists();
  }
}
