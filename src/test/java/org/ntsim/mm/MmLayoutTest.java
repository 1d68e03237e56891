package org.ntsim.mm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ntsim.ex.Pool;

/** The layout names the ranges the pool really uses. */
class MmLayoutTest {
  @Test
  void poolRangesAgreeWithThePool() {
    assertThat(MmLayout.DYNAMIC_NONPAGED_POOL_START).isEqualTo(Pool.NONPAGED_POOL_START);
    assertThat(MmLayout.DYNAMIC_PAGED_POOL_START).isEqualTo(Pool.NONPAGED_POOL_END)
        .isEqualTo(Pool.PAGED_POOL_START);
    assertThat(MmLayout.DYNAMIC_POOL_END).isEqualTo(Pool.PAGED_POOL_END);
  }

  @Test
  void regionNamesFollowTheLayout() {
    assertThat(MmLayout.regionName(0x00400000L)).isEqualTo("user space");
    assertThat(MmLayout.regionName(Pool.NONPAGED_POOL_START + 0x1000)).isEqualTo("non-paged pool");
    assertThat(MmLayout.regionName(Pool.PAGED_POOL_START)).isEqualTo("paged pool");
    assertThat(MmLayout.regionName(0xC0300000L)).isEqualTo("page directory (self-map)");
    assertThat(MmLayout.regionName(0xC0400000L)).isEqualTo("hyperspace");
  }
}
