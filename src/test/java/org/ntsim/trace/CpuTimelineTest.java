package org.ntsim.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-CPU slice stack behind the Chrome export: slices always nest, whatever the emitter did. */
class CpuTimelineTest {
  private final List<String> log = new ArrayList<>();

  private CpuTimeline timeline(int cpus) {
    return new CpuTimeline(cpus, 0, new CpuTimeline.SliceListener() {
      @Override
      public void sliceOpened(int slice, int cpu, int type, long startNs, long id, long b, long c) {
        log.add("open " + slice + " cpu" + cpu + " " + List.of("thread", "isr", "dpc").get(type) + " " + id + " @" + startNs);
      }

      @Override
      public void sliceClosed(int slice, long endNs) {
        log.add("close " + slice + " @" + endNs);
      }
    });
  }

  @Test
  void everyCpuStartsInTheIdleThread() {
    timeline(2);

    assertThat(log).containsExactly("open 0 cpu0 thread 0 @0", "open 1 cpu1 thread 0 @0");
  }

  @Test
  void aSwitchDuringAnIsrSplitsTheIsrAcrossBothThreads() {
    CpuTimeline timeline = timeline(1);
    timeline.accept(10, 0, TraceKind.ISR_BEGIN, 2, 0, 0);
    timeline.accept(20, 0, TraceKind.CONTEXT_SWITCH, 0, 8, 0);
    timeline.accept(30, 0, TraceKind.ISR_END, 2, 0, 0);

    assertThat(log).containsExactly(
        "open 0 cpu0 thread 0 @0",
        "open 1 cpu0 isr 2 @10",
        "close 1 @20",
        "close 0 @20",
        "open 2 cpu0 thread 8 @20",
        "open 3 cpu0 isr 2 @20",
        "close 3 @30");
  }

  @Test
  void anEndClosesTheMatchingSliceAndAnythingLeftOpenAboveIt() {
    CpuTimeline timeline = timeline(1);
    timeline.accept(10, 0, TraceKind.DPC_BEGIN, 0x100, 1, 0);
    timeline.accept(20, 0, TraceKind.ISR_BEGIN, 5, 0, 2);
    timeline.accept(30, 0, TraceKind.DPC_END, 0x100, 0, 0);

    assertThat(log).endsWith("close 2 @30", "close 1 @30");
  }

  @Test
  void anEndWithoutABeginIsIgnored() {
    CpuTimeline timeline = timeline(1);
    timeline.accept(10, 0, TraceKind.ISR_END, 5, 0, 0);
    timeline.accept(20, 0, TraceKind.DPC_END, 0x100, 0, 0);

    assertThat(log).containsExactly("open 0 cpu0 thread 0 @0");
  }

  @Test
  void eventsForCpusOutsideTheTimelineAreIgnored() {
    CpuTimeline timeline = timeline(1);
    timeline.accept(10, -1, TraceKind.CONTEXT_SWITCH, 0, 8, 0);
    timeline.accept(10, 1, TraceKind.CONTEXT_SWITCH, 0, 8, 0);

    assertThat(log).containsExactly("open 0 cpu0 thread 0 @0");
  }

  @Test
  void finishClosesEverythingInnermostFirst() {
    CpuTimeline timeline = timeline(1);
    timeline.accept(10, 0, TraceKind.ISR_BEGIN, 5, 0, 0);

    timeline.finish(99);

    assertThat(log).endsWith("close 1 @99", "close 0 @99");
  }

  @Test
  void nestingBeyondTheBoundIsDropped() {
    CpuTimeline timeline = timeline(1);
    for (int level = 0; level < CpuTimeline.MAX_NESTING + 5; level++) {
      timeline.accept(level, 0, TraceKind.ISR_BEGIN, level, 0, 0);
    }

    assertThat(log).hasSize(CpuTimeline.MAX_NESTING);
  }
}
