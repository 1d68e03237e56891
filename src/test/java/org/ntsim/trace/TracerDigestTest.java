package org.ntsim.trace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The trace digest is how DESIGN.md section 6 tests determinism: it must see every field. */
class TracerDigestTest {

  /** A short, varied sequence; {@code changedField} (0..5 = time, cpu, kind, a, b, c) of event 3 is altered, -1 for none. */
  private static Tracer sample(boolean record, int changedField) {
    Tracer tracer = new Tracer(record);
    for (int i = 0; i < 6; i++) {
      long timeNs = 1_000L * i;
      int cpu = i % 2;
      TraceKind kind = i % 2 == 0 ? TraceKind.CONTEXT_SWITCH : TraceKind.READY;
      long a = 4 * i;
      long b = 8 + i;
      long c = -1;
      if (i == 3) {
        switch (changedField) {
          case 0 -> timeNs++;
          case 1 -> cpu = 7;
          case 2 -> kind = TraceKind.WAIT;
          case 3 -> a ^= Long.MIN_VALUE;
          case 4 -> b = 0;
          case 5 -> c = -2;
          default -> { }
        }
      }
      tracer.emit(timeNs, cpu, kind, a, b, c);
    }
    return tracer;
  }

  @Test
  void sameSequenceGivesSameDigest() {
    assertThat(sample(true, -1).digest()).isEqualTo(sample(true, -1).digest());
  }

  @ParameterizedTest(name = "field {0}")
  @ValueSource(ints = {0, 1, 2, 3, 4, 5})
  void changingAnyOneFieldChangesTheDigest(int field) {
    assertThat(sample(true, field).digest()).isNotEqualTo(sample(true, -1).digest());
  }

  @Test
  void digestDoesNotDependOnRecording() {
    assertThat(sample(false, -1).digest()).isEqualTo(sample(true, -1).digest());
  }

  @Test
  void swappingTwoEventsChangesTheDigest() {
    Tracer inOrder = new Tracer(false);
    inOrder.emit(10, 0, TraceKind.MARK, 1, 2, 3);
    inOrder.emit(10, 0, TraceKind.MARK, 4, 5, 6);
    Tracer swapped = new Tracer(false);
    swapped.emit(10, 0, TraceKind.MARK, 4, 5, 6);
    swapped.emit(10, 0, TraceKind.MARK, 1, 2, 3);

    assertThat(swapped.digest()).isNotEqualTo(inOrder.digest());
  }

  @Test
  void anExtraZeroEventChangesTheDigest() {
    Tracer shorter = sample(false, -1);
    Tracer longer = sample(false, -1);
    longer.emit(0, 0, TraceKind.CONTEXT_SWITCH, 0, 0, 0);

    assertThat(longer.digest()).isNotEqualTo(shorter.digest());
  }

  @Test
  void namesAreNotPartOfTheDigest() {
    Tracer named = sample(false, -1);
    named.nameProcess(4, "System");
    named.nameThread(8, 4, "worker");
    named.nameCpuCount(2);

    assertThat(named.digest()).isEqualTo(sample(false, -1).digest());
  }

  @Test
  void digestHexIsSixteenLowerCaseDigitsOfTheDigest() {
    Tracer tracer = sample(false, -1);

    assertThat(tracer.digestHex()).matches("[0-9a-f]{16}");
    assertThat(Long.parseUnsignedLong(tracer.digestHex(), 16)).isEqualTo(tracer.digest());
  }

  @Test
  void digestHexKeepsLeadingZeros() {
    // Find a prefix of MARK events whose digest has a zero top nibble (1 in 16 do).
    Tracer tracer = new Tracer(false);
    while (tracer.digest() >>> 60 != 0) {
      tracer.emit(tracer.eventCount(), 0, TraceKind.MARK, 0, 0, 0);
    }

    assertThat(tracer.digestHex()).hasSize(16).startsWith("0");
  }

  @Test
  void emptyTracesHaveEqualDigests() {
    assertThat(new Tracer(true).digest()).isEqualTo(new Tracer(false).digest());
  }
}
