package org.ntsim.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Chrome/Perfetto export (DESIGN.md section 7): well-formed JSON, a track per CPU and per thread. */
class TracerChromeJsonTest {
  private static final long CPUS = ChromeTraceWriter.CPU_PID;

  @TempDir Path dir;

  @SuppressWarnings("unchecked")
  private Map<String, Object> export(Tracer tracer) throws IOException {
    Path file = dir.resolve("trace.json");
    tracer.writeChromeJson(file);
    return (Map<String, Object>) MiniJson.parse(Files.readString(file));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> events(Map<String, Object> json) {
    return (List<Map<String, Object>>) json.get("traceEvents");
  }

  private static List<Map<String, Object>> matching(Map<String, Object> json, String phase, long pid, long tid) {
    return events(json).stream()
        .filter(e -> e.get("ph").equals(phase))
        .filter(e -> ((BigDecimal) e.get("pid")).longValueExact() == pid)
        .filter(e -> ((BigDecimal) e.get("tid")).longValueExact() == tid)
        .toList();
  }

  private static Map<String, Object> named(List<Map<String, Object>> events, String name) {
    List<Map<String, Object>> found = events.stream().filter(e -> name.equals(e.get("name"))).toList();
    assertThat(found).as("events named %s", name).hasSize(1);
    return found.getFirst();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> args(Map<String, Object> event) {
    return (Map<String, Object>) event.get("args");
  }

  private static BigDecimal micros(String text) {
    return new BigDecimal(text);
  }

  /** CPU 0 runs thread 8 ("worker" of process 4) from 1000 ns to 3500 ns; the trace ends at 5000 ns. */
  private static Tracer workerTrace() {
    Tracer tracer = new Tracer(true);
    tracer.nameCpuCount(2);
    tracer.nameProcess(4, "demo.exe");
    tracer.nameThread(8, 4, "worker");
    tracer.emit(900, 0, TraceKind.READY, 8, 9, 0);
    tracer.emit(1000, 0, TraceKind.CONTEXT_SWITCH, 0, 8, 0);
    tracer.emit(3500, 0, TraceKind.CONTEXT_SWITCH, 8, 0, 0x105);
    tracer.emit(5000, 1, TraceKind.CLOCK_TICK, 5, 1, 0);
    return tracer;
  }

  @Test
  void isAWellFormedTraceEventObject() throws IOException {
    Map<String, Object> json = export(workerTrace());

    assertThat(json.keySet()).containsExactlyInAnyOrder("traceEvents", "displayTimeUnit");
    assertThat(json.get("displayTimeUnit")).isEqualTo("ns");
    assertThat(events(json)).allSatisfy(e -> assertThat(e).containsKeys("name", "ph", "pid", "tid"));
  }

  @Test
  void cpuTrackHasASliceForTheThreadFromSwitchInToSwitchOut() throws IOException {
    Map<String, Object> slice = named(matching(export(workerTrace()), "X", CPUS, 0), "worker (8)");

    assertThat((BigDecimal) slice.get("ts")).isEqualByComparingTo(micros("1.000"));
    assertThat((BigDecimal) slice.get("dur")).isEqualByComparingTo(micros("2.500"));
  }

  @Test
  void threadTrackHasTheSameRunningInterval() throws IOException {
    Map<String, Object> slice = named(matching(export(workerTrace()), "X", 4, 8), "Running on CPU 0");

    assertThat((BigDecimal) slice.get("ts")).isEqualByComparingTo(micros("1.000"));
    assertThat((BigDecimal) slice.get("dur")).isEqualByComparingTo(micros("2.500"));
  }

  @Test
  void timesAreMicrosecondsWithThreeDecimals() throws IOException {
    Path file = dir.resolve("trace.json");
    workerTrace().writeChromeJson(file);

    assertThat(Files.readString(file)).contains("\"ts\":1.000,\"dur\":2.500");
  }

  @Test
  void everyCpuRunsIdleUntilItsFirstSwitch() throws IOException {
    Tracer tracer = new Tracer(true);
    tracer.emit(0, 1, TraceKind.MARK, 0, 0, 0);
    tracer.emit(2000, 0, TraceKind.CONTEXT_SWITCH, 0, 8, 0);
    tracer.emit(3000, 0, TraceKind.CONTEXT_SWITCH, 8, 0, 0);

    Map<String, Object> idle = matching(export(tracer), "X", CPUS, 0).getFirst();

    assertThat(idle.get("name")).isEqualTo("Idle (0)");
    assertThat((BigDecimal) idle.get("ts")).isEqualByComparingTo(micros("0"));
    assertThat((BigDecimal) idle.get("dur")).isEqualByComparingTo(micros("2.000"));
  }

  @Test
  void openIntervalsCloseAtTheLastEventTime() throws IOException {
    Tracer tracer = new Tracer(true);
    tracer.emit(1000, 0, TraceKind.CONTEXT_SWITCH, 0, 8, 0);
    tracer.emit(4000, 1, TraceKind.MARK, 0, 0, 0);

    Map<String, Object> slice = named(matching(export(tracer), "X", CPUS, 0), "Thread (8)");

    assertThat((BigDecimal) slice.get("dur")).isEqualByComparingTo(micros("3.000"));
  }

  @Test
  void isrAndDpcSlicesNestInsideTheRunningThreadAfterIt() throws IOException {
    Tracer tracer = new Tracer(true);
    tracer.emit(1000, 0, TraceKind.CONTEXT_SWITCH, 0, 8, 0);
    tracer.emit(1200, 0, TraceKind.ISR_BEGIN, 5, 0x31, 0);
    tracer.emit(1300, 0, TraceKind.ISR_END, 5, 0, 0);
    tracer.emit(1400, 0, TraceKind.DPC_BEGIN, 0x8000_1000L, 1, 2);
    tracer.emit(1600, 0, TraceKind.DPC_END, 0x8000_1000L, 0, 0);
    tracer.emit(2000, 0, TraceKind.CONTEXT_SWITCH, 8, 0, 0);

    List<Map<String, Object>> cpu0 = matching(export(tracer), "X", CPUS, 0);
    Map<String, Object> isr = named(cpu0, "ISR IRQL 5");
    Map<String, Object> dpc = named(cpu0, "DPC 0x80001000");

    assertThat(cpu0).extracting(e -> e.get("name"))
        .containsExactly("Thread (8)", "ISR IRQL 5", "DPC 0x80001000"); // Idle after 2000 ns has no length
    assertThat((BigDecimal) isr.get("ts")).isEqualByComparingTo(micros("1.200"));
    assertThat((BigDecimal) isr.get("dur")).isEqualByComparingTo(micros("0.100"));
    assertThat(args(isr)).containsEntry("vector", "0x31").containsEntry("interruptedIrql", BigDecimal.ZERO);
    assertThat((BigDecimal) dpc.get("dur")).isEqualByComparingTo(micros("0.200"));
    assertThat(args(dpc)).containsEntry("queueDepth", new BigDecimal(2));
  }

  @Test
  void threadEventsAreInstantsOnTheThreadTrackWithNamedArguments() throws IOException {
    Map<String, Object> ready = named(matching(export(workerTrace()), "i", 4, 8), "READY");

    assertThat(ready.get("s")).isEqualTo("t");
    assertThat((BigDecimal) ready.get("ts")).isEqualByComparingTo(micros("0.900"));
    assertThat(args(ready))
        .containsEntry("tid", new BigDecimal(8))
        .containsEntry("priority", new BigDecimal(9))
        .containsEntry("cpu", BigDecimal.ZERO);
  }

  @Test
  void clockTicksAreInstantsOnTheCpuTrack() throws IOException {
    Map<String, Object> tick = named(matching(export(workerTrace()), "i", CPUS, 1), "CLOCK_TICK");

    assertThat(args(tick)).containsEntry("charged", "kernel");
  }

  @Test
  void tracksAreNamedByMetadata() throws IOException {
    List<Map<String, Object>> metadata = events(export(workerTrace())).stream()
        .filter(e -> e.get("ph").equals("M"))
        .toList();

    assertThat(metadata).extracting(e -> e.get("name") + " " + e.get("pid") + "/" + e.get("tid") + " "
            + (args(e)).get("name"))
        .contains(
            "process_name 1000000/0 CPUs",
            "thread_name 1000000/0 CPU 0",
            "thread_name 1000000/1 CPU 1",
            "process_name 4/0 demo.exe",
            "thread_name 4/8 worker");
  }

  @Test
  void idleThreadHasNoThreadTrack() throws IOException {
    List<Map<String, Object>> idleThreadTrack = events(export(workerTrace())).stream()
        .filter(e -> ((BigDecimal) e.get("pid")).longValueExact() != CPUS)
        .filter(e -> ((BigDecimal) e.get("tid")).signum() == 0)
        .filter(e -> !e.get("ph").equals("M"))
        .toList();

    assertThat(idleThreadTrack).isEmpty();
  }

  @Test
  void threadOfUnknownProcessGoesToThePseudoProcess() throws IOException {
    Tracer tracer = new Tracer(true);
    tracer.emit(0, 0, TraceKind.WAIT, 12, 6, 1);

    assertThat(matching(export(tracer), "i", ChromeTraceWriter.UNKNOWN_PID, 12)).hasSize(1);
  }

  @Test
  void threadCreateGivesAnUnnamedThreadItsProcess() throws IOException {
    Tracer tracer = new Tracer(true);
    tracer.emit(0, 0, TraceKind.THREAD_CREATE, 12, 44, 8);
    tracer.emit(10, 0, TraceKind.WAIT, 12, 6, 1);

    assertThat(matching(export(tracer), "i", 44, 12)).extracting(e -> e.get("name"))
        .containsExactly("THREAD_CREATE", "WAIT");
  }

  @Test
  void namesAreEscaped() throws IOException {
    Tracer tracer = new Tracer(true);
    String awkward = "a \"quoted\" \\ name\n\u0007";
    tracer.nameThread(8, 4, awkward);
    tracer.emit(0, 0, TraceKind.CONTEXT_SWITCH, 0, 8, 0);
    tracer.emit(10, 0, TraceKind.CONTEXT_SWITCH, 8, 0, 0);

    assertThat(matching(export(tracer), "X", CPUS, 0)).extracting(e -> e.get("name"))
        .contains(awkward + " (8)");
  }

  @Test
  void sameEventsGiveTheSameFile() throws IOException {
    Path first = dir.resolve("first.json");
    Path second = dir.resolve("second.json");

    workerTrace().writeChromeJson(first);
    workerTrace().writeChromeJson(second);

    assertThat(Files.readAllBytes(first)).isEqualTo(Files.readAllBytes(second));
  }

  @Test
  void anEmptyTraceIsStillWellFormed() throws IOException {
    assertThat(events(export(new Tracer(true)))).allMatch(e -> e.get("ph").equals("M"));
  }

  @Test
  void microsecondsKeepEveryNanosecond() {
    StringBuilder text = new StringBuilder();
    for (long ns : new long[] {0, 5, 45, 1234, 1_234_567_891L, -1500}) {
      ChromeTraceWriter.appendMicros(text, ns);
      text.append(' ');
    }

    assertThat(text.toString()).isEqualTo("0.000 0.005 0.045 1.234 1234567.891 -1.500 ");
  }
}
