package org.ntsim.trace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** describeRecent is what a bug report prints: the last events, oldest first, recorded or not. */
class TracerDescribeRecentTest {

  private static Tracer marks(int count) {
    Tracer tracer = new Tracer(false);
    for (int i = 0; i < count; i++) {
      tracer.emit(100L * i, 0, TraceKind.MARK, i, 0, 0);
    }
    return tracer;
  }

  @Test
  void returnsTheLastNEventsInOrder() {
    assertThat(marks(10).describeRecent(3).lines())
        .containsExactly(
            "#7 t=700ns cpu=0 MARK a=7 b=0 c=0",
            "#8 t=800ns cpu=0 MARK a=8 b=0 c=0",
            "#9 t=900ns cpu=0 MARK a=9 b=0 c=0");
  }

  @Test
  void keepsTheLast256WhenMoreWereEmitted() {
    var lines = marks(1000).describeRecent(1000).lines().toList();

    assertThat(lines).hasSize(RecentEvents.CAPACITY);
    assertThat(lines.getFirst()).startsWith("#744 ");
    assertThat(lines.getLast()).startsWith("#999 ");
  }

  @Test
  void returnsOnlyWhatWasEmittedWhenNExceedsIt() {
    assertThat(marks(2).describeRecent(50).lines()).hasSize(2);
  }

  @Test
  void returnsNothingForZeroEvents() {
    assertThat(marks(5).describeRecent(0)).isEmpty();
  }

  @Test
  void namesArgumentsByKindAndOmitsUnusedOnes() {
    Tracer tracer = new Tracer(false);
    tracer.emit(42, 1, TraceKind.DPC_END, 0x8000_1230L, 0, 0);
    tracer.emit(43, 1, TraceKind.THREAD_EXIT, 12, 4, 0xC0000005);

    assertThat(tracer.describeRecent(2).lines()).containsExactly(
        "#0 t=42ns cpu=1 DPC_END dpc=0x80001230",
        "#1 t=43ns cpu=1 THREAD_EXIT tid=12 pid=4 exitCode=0xc0000005");
  }
}
