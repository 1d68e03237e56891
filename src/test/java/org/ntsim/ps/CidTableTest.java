package org.ntsim.ps;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** PspCidTable: one table of client IDs for processes and threads alike. */
class CidTableTest {

  @Test
  void idsAreMultiplesOfFourStartingAtFour() {
    CidTable cids = new CidTable();
    assertThat(cids.allocate("a")).isEqualTo(4);
    assertThat(cids.allocate("b")).isEqualTo(8);
    assertThat(cids.allocate("c")).isEqualTo(12);
  }

  @Test
  void lastFreedIdIsReusedFirst() {
    CidTable cids = new CidTable();
    long a = cids.allocate("a");
    long b = cids.allocate("b");
    cids.allocate("c");
    cids.free(a);
    cids.free(b);

    assertThat(cids.allocate("d")).isEqualTo(b);
    assertThat(cids.allocate("e")).isEqualTo(a);
    assertThat(cids.allocate("f")).isEqualTo(16);
  }

  @Test
  void lookupFindsTheOwnerUntilTheIdIsFreed() {
    CidTable cids = new CidTable();
    long a = cids.allocate("a");
    assertThat(cids.lookup(a)).isEqualTo("a");
    cids.free(a);
    assertThat(cids.lookup(a)).isNull();
  }

  @Test
  void lookupOfIdsNeverHandedOutIsNull() {
    CidTable cids = new CidTable();
    cids.allocate("a");
    assertThat(cids.lookup(0)).isNull(); // the Idle process's ID, never in the table
    assertThat(cids.lookup(5)).isNull();
    assertThat(cids.lookup(400)).isNull();
    assertThat(cids.lookup(-4)).isNull();
  }

  @Test
  void tableGrowsPastItsFirstBlock() {
    CidTable cids = new CidTable();
    long last = 0;
    for (int i = 0; i < 1000; i++) {
      last = cids.allocate(i);
    }
    assertThat(last).isEqualTo(4000);
    assertThat(cids.lookup(4000)).isEqualTo(999);
  }
}
