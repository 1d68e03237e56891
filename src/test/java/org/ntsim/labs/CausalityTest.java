package org.ntsim.labs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ntsim.hal.Irql;
import org.ntsim.hal.MachineConfig;
import org.ntsim.trace.TraceKind;
import org.ntsim.trace.TraceSink;
import org.ntsim.win32.Ntos;

/**
 * No event is recorded before its cause, on many seeds of the random workloads and on every lab:
 * each processor's events and each thread's events are in time order (a thread is unwaited after
 * it began to wait, runs after it was readied, receives an APC after it was queued), and an IPI
 * is taken on its target no earlier than it was sent.
 */
class CausalityTest {

  static Stream<Arguments> randomRuns() {
    return IntStream.rangeClosed(1, 12).boxed().flatMap(seed -> Stream.of(
        Arguments.of("stress", seed, 2 + seed % 3),
        Arguments.of("sync-stress", seed, 2 + seed % 3)));
  }

  static Stream<Arguments> labs() {
    return Labs.names().stream().map(name -> Arguments.of(name, 7, 2));
  }

  @ParameterizedTest(name = "{0} seed {1} on {2} CPUs")
  @MethodSource("randomRuns")
  void randomWorkloadsRecordNoEffectBeforeItsCause(String lab, int seed, int cpus) {
    assertThat(violations(lab, seed, cpus)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("labs")
  void labsRecordNoEffectBeforeItsCause(String lab, int seed, int cpus) {
    assertThat(violations(lab, seed, cpus)).isEmpty();
  }

  private static List<String> violations(String name, int seed, int cpus) {
    MachineConfig c = new MachineConfig();
    c.seed = seed;
    c.cpus = cpus;
    c.recordTrace = true;
    Ntos os = new Ntos(c);
    try {
      Lab lab = Labs.create(name);
      lab.start(os);
      Labs.runToEnd(lab, os, lab.timeLimitNs());
      Checker checker = new Checker(cpus);
      os.machine.tracer.replay(checker);
      return checker.found;
    } finally {
      os.shutdown();
    }
  }

  /**
   * Follows the trace in emission order and notes every event that comes before its cause: each
   * processor's clock never goes back; a thread's own events (those on the processor it runs on)
   * never go back; it is unwaited no earlier than it began to wait, switched in no earlier than it
   * was readied or last switched out, and receives an APC no earlier than it was queued; an IPI is
   * taken no earlier than the earliest one pending was sent.
   */
  private static final class Checker implements TraceSink {
    final List<String> found = new ArrayList<>();
    private final long[] cpuNs;
    private final long[] current;
    private final long[] ipiPendingNs;
    private final Map<Long, Long> ownNs = new HashMap<>();
    private final Map<Long, Long> waitNs = new HashMap<>();
    private final Map<Long, Long> readyNs = new HashMap<>();
    private final Map<Long, Long> apcQueuedNs = new HashMap<>();

    Checker(int cpus) {
      cpuNs = new long[cpus];
      current = new long[cpus];
      ipiPendingNs = new long[cpus];
      java.util.Arrays.fill(ipiPendingNs, -1);
    }

    @Override
    public void emit(long timeNs, int cpu, TraceKind kind, long a, long b, long c) {
      if (found.size() >= 10) {
        return;
      }
      if (timeNs < cpuNs[cpu]) {
        note(timeNs, kind, "CPU " + cpu + " was already at " + cpuNs[cpu]);
      }
      cpuNs[cpu] = Math.max(cpuNs[cpu], timeNs);
      switch (kind) {
        case CONTEXT_SWITCH -> {
          own(a, timeNs, kind);
          after(readyNs.remove(b), timeNs, kind, "thread " + b + " readied at ");
          own(b, timeNs, kind);
          current[cpu] = b;
        }
        case WAIT -> {
          own(a, timeNs, kind);
          waitNs.put(a, timeNs);
        }
        case UNWAIT -> after(waitNs.get(a), timeNs, kind, "thread " + a + " began to wait at ");
        case READY -> readyNs.merge(a, timeNs, Math::max);
        case APC_QUEUED -> apcQueuedNs.put(b, timeNs);
        case APC_DELIVERED -> {
          after(apcQueuedNs.remove(b), timeNs, kind, "APC " + Long.toHexString(b) + " queued at ");
          own(a, timeNs, kind);
        }
        case SERVICE, THREAD_EXIT, QUANTUM_END -> {
          if (a == current[cpu]) {
            own(a, timeNs, kind);
          }
        }
        case IPI -> {
          int target = (int) b;
          if (ipiPendingNs[target] < 0) {
            ipiPendingNs[target] = timeNs;
          }
        }
        case ISR_BEGIN -> {
          if (a == Irql.IPI_LEVEL) {
            after(ipiPendingNs[cpu] < 0 ? null : ipiPendingNs[cpu], timeNs, kind,
                "IPI to CPU " + cpu + " sent at ");
            ipiPendingNs[cpu] = -1;
          }
        }
        default -> { }
      }
    }

    private void own(long tid, long timeNs, TraceKind kind) {
      if (tid == 0) {
        return; // the idle threads, one per processor
      }
      Long last = ownNs.get(tid);
      if (last != null && timeNs < last) {
        note(timeNs, kind, "thread " + tid + " was already at " + last);
      } else {
        ownNs.put(tid, timeNs);
      }
    }

    private void after(Long causeNs, long timeNs, TraceKind kind, String cause) {
      if (causeNs != null && timeNs < causeNs) {
        note(timeNs, kind, cause + causeNs);
      }
    }

    private void note(long timeNs, TraceKind kind, String why) {
      found.add(kind + " at " + timeNs + ": " + why);
    }
  }
}
