package org.ntsim.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.ntsim.ke.GuestException;
import org.ntsim.ke.NtStatus;

/** UserRange's tests against exact arithmetic, and ProbeForRead/ProbeForWrite's raises. */
class UserRangeTest {
  @Provide
  Arbitrary<Long> edges() {
    return Arbitraries.oneOf(Arbitraries.longs(),
        Arbitraries.of(0L, 1L, 0xFFFL, 0x1000L, 0x7FFEFFFFL, 0x7FFF0000L, 0x80000000L,
            0xFFFFFFFFL, 0x100000000L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE - 0xFFF),
        Arbitraries.longs().between(0, 0x100000000L));
  }

  @Property(tries = 2000)
  void endsAtOrBelowAgreesWithExactArithmetic(@ForAll("edges") long base,
      @ForAll("edges") long size, @ForAll("edges") long limit) {
    boolean exact = base >= 0 && size >= 0
        && BigInteger.valueOf(base).add(BigInteger.valueOf(size))
            .compareTo(BigInteger.valueOf(limit)) <= 0;
    assertThat(UserRange.endsAtOrBelow(base, size, limit)).isEqualTo(exact);
  }

  @Test
  void theFreeAndProtectTestAllowsAnEndAtTheHighestUserAddressAndNoFurther() {
    assertThat(UserRange.passesUserSpace(0x7FFE0000L, 0xFFFF)).isFalse();
    assertThat(UserRange.passesUserSpace(0x7FFE0000L, 0x10000)).isTrue();
    assertThat(UserRange.passesUserSpace(0x10000, Long.MAX_VALUE)).isTrue();
    assertThat(UserRange.passesUserSpace(0x10000, -1)).isTrue();
  }

  @Test
  void theWriteWatchTestEndsAtTheHighestVadAddress() {
    assertThat(UserRange.MM_HIGHEST_VAD_ADDRESS).isEqualTo(0x7FFDFFFFL);
    assertThat(UserRange.passesVadSpace(0x7FFD0000L, 0x10000)).isFalse();
    assertThat(UserRange.passesVadSpace(0x7FFD0000L, 0x10001)).isTrue();
  }

  @Test
  void aProbeOfZeroBytesLooksAtNothing() {
    Probe.forRead(0xFFFFFFFFL, 0, 8);
    Probe.forWrite(-1, 0, 4);
  }

  @Test
  void aMisalignedBufferIsDatatypeMisalignmentBeforeItsRangeIsLookedAt() {
    assertThatThrownBy(() -> Probe.forWrite(0x80000002L, 8, 4))
        .isInstanceOfSatisfying(GuestException.class, e ->
            assertThat(e.status()).isEqualTo(NtStatus.STATUS_DATATYPE_MISALIGNMENT));
  }

  @Test
  void aBufferThatEndsAboveTheProbeAddressOrWrapsIsAnAccessViolation() {
    Probe.forRead(0x7FFEF000L, 0x1000, 1); // ends at MmUserProbeAddress: allowed
    for (long[] bad : new long[][] {{0x7FFEF000L, 0x1001}, {0xFFFFF000L, 0x10},
        {0x10000, Long.MAX_VALUE}, {0x10000, -1}}) {
      assertThatThrownBy(() -> Probe.forRead(bad[0], bad[1], 1))
          .isInstanceOfSatisfying(GuestException.class, e ->
              assertThat(e.status()).isEqualTo(NtStatus.STATUS_ACCESS_VIOLATION));
    }
  }
}
