package org.ntsim.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a tracer keeps: every event when recording, only the count, ring and digest otherwise. */
class TracerRecordingTest {
  @TempDir Path dir;

  private record Event(long timeNs, int cpu, TraceKind kind, long a, long b, long c) {}

  private static List<Event> replayed(Tracer tracer) {
    List<Event> events = new ArrayList<>();
    tracer.replay((t, cpu, kind, a, b, c) -> events.add(new Event(t, cpu, kind, a, b, c)));
    return events;
  }

  @Test
  void replayReturnsEveryEventWithItsFields() {
    Tracer tracer = new Tracer(true);
    tracer.emit(5, 1, TraceKind.UNWAIT, 12, 0x102, 2);
    tracer.emit(9, -1, TraceKind.BUGCHECK, 0xD1, Long.MIN_VALUE, -1);

    assertThat(replayed(tracer)).containsExactly(
        new Event(5, 1, TraceKind.UNWAIT, 12, 0x102, 2),
        new Event(9, -1, TraceKind.BUGCHECK, 0xD1, Long.MIN_VALUE, -1));
  }

  @Test
  void eventsBeyondOneChunkKeepTheirOrder() {
    Tracer tracer = new Tracer(true);
    long total = 2L * EventStore.CHUNK_EVENTS + 3;
    for (long i = 0; i < total; i++) {
      tracer.emit(i, (int) (i % 3), TraceKind.ofOrdinal((int) (i % TraceKind.values().length)), i, -i, i * 7);
    }

    long[] next = {0};
    tracer.replay((t, cpu, kind, a, b, c) -> {
      long i = next[0]++;
      assertThat(new Event(t, cpu, kind, a, b, c)).isEqualTo(
          new Event(i, (int) (i % 3), TraceKind.ofOrdinal((int) (i % TraceKind.values().length)), i, -i, i * 7));
    });
    assertThat(next[0]).isEqualTo(total);
  }

  @Test
  void replayingIntoAFreshTracerReproducesTheDigest() {
    Tracer original = new Tracer(true);
    for (int i = 0; i < 1000; i++) {
      original.emit(i * 10L, i % 4, TraceKind.CLOCK_TICK, i, i % 5, i * 4L);
    }
    Tracer copy = new Tracer(false);

    original.replay(copy);

    assertThat(copy.digest()).isEqualTo(original.digest());
  }

  @Test
  void notRecordingStillCountsAndHashes() {
    Tracer tracer = new Tracer(false);
    long emptyDigest = tracer.digest();

    tracer.emit(1, 0, TraceKind.MARK, 1, 2, 3);

    assertThat(tracer.isRecording()).isFalse();
    assertThat(tracer.eventCount()).isEqualTo(1);
    assertThat(tracer.digest()).isNotEqualTo(emptyDigest);
  }

  @Test
  void notRecordingKeepsNoEventsToExport() {
    Tracer tracer = new Tracer(false);
    tracer.emit(1, 0, TraceKind.MARK, 1, 2, 3);

    assertThatThrownBy(() -> tracer.replay((t, cpu, kind, a, b, c) -> { }))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> tracer.writeChromeJson(dir.resolve("t.json")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("recordEvents");
    assertThatThrownBy(() -> tracer.writeCsv(dir.resolve("t.csv")))
        .isInstanceOf(IllegalStateException.class);
  }
}
