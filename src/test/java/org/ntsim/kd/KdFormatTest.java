package org.ntsim.kd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Numbers as WinDbg reads them and times as it writes them. */
class KdFormatTest {
  @Test
  void numbersAreHexadecimalUnlessMarkedDecimal() {
    assertThat(KdFormat.number("84000290")).isEqualTo(0x84000290L);
    assertThat(KdFormat.number("0x1F")).isEqualTo(0x1F);
    assertThat(KdFormat.number("0n10")).isEqualTo(10);
    assertThat(KdFormat.number("-1")).isEqualTo(-1);
    assertThat(KdFormat.address("ffffffff`84000290")).isEqualTo(0x84000290L);
    assertThat(KdFormat.address("-1")).isEqualTo(KdTarget.CURRENT);
  }

  @Test
  void textThatIsNotANumberIsUnresolved() {
    for (String bad : new String[] {"", "0x", "0n", "xyz", "0n1f", "12345678123456781"}) {
      assertThatThrownBy(() -> KdFormat.number(bad)).isInstanceOf(KdError.class)
          .hasMessage("Couldn't resolve error at '" + bad + "'");
    }
  }

  @Test
  void flagsTakeAnyThirtyTwoBitValueAsWinDbgDoes() {
    assertThat(KdFormat.flags("1f")).isEqualTo(0x1f);
    assertThat(KdFormat.flags("ffffffff")).isEqualTo(-1);
    assertThat(KdFormat.flags("-1")).isEqualTo(-1);
  }

  @Test
  void timesUseWinDbgsFormats() {
    assertThat(KdFormat.hhmmss(14_930_000_000L)).isEqualTo("00:00:14.930");
    assertThat(KdFormat.hhmmss(15_625_000L)).isEqualTo("00:00:00.015");
    assertThat(KdFormat.hhmmss(3_723_004_000_000L)).isEqualTo("01:02:03.004");
    assertThat(KdFormat.dhhmmss(12_937_500_000L)).isEqualTo("0:00:00:12.937");
    assertThat(KdFormat.dhhmmss(90_061_001_000_000L)).isEqualTo("1:01:01:01.001");
    assertThat(KdFormat.uptime(312_345_000_000L)).isEqualTo("0 days 0:05:12.345");
    assertThat(KdFormat.exactMs(62_489_750L)).isEqualTo("62.489750 ms");
    assertThat(KdFormat.hex8(0xABCL)).isEqualTo("00000abc");
    assertThat(KdFormat.cid(0x10, 0x1c)).isEqualTo("0010.001c");
  }
}
