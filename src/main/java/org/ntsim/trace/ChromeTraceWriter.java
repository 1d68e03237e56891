package org.ntsim.trace;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes a recorded trace in the Chrome Trace Event Format (JSON object form), which
 * ui.perfetto.dev and chrome://tracing open:
 * {@code {"traceEvents":[...],"displayTimeUnit":"ns"}}, times in microseconds with three
 * decimals, so nanoseconds survive exactly.
 *
 * <h2>Tracks</h2>
 *
 * <ul>
 *   <li><b>One per CPU</b>: pseudo-process {@value #CPU_PID} "CPUs", tid = CPU index, named
 *       "CPU n". Complete events ("X") for each interval a thread ran there, named
 *       "<i>thread name</i> (<i>tid</i>)"; ISR and DPC slices nested inside them (see
 *       {@link CpuTimeline}); instants for CLOCK_TICK, IPI, BUGCHECK, MARK, PROCESS_CREATE and
 *       PROCESS_EXIT. Such instants with no valid CPU go to a "Machine" track in the same
 *       pseudo-process.
 *   <li><b>One per thread</b> other than tid 0: pid = its process, tid = its id. The same running
 *       intervals, named "Running on CPU n", and instants ("i", thread scope) for READY, WAIT,
 *       UNWAIT, PRIORITY, QUANTUM_END, THREAD_CREATE, THREAD_EXIT, APC_QUEUED and
 *       APC_DELIVERED, their arguments named as {@link TraceKind#argName} says; the SERVICE
 *       annotations as instants named after the service ("NtWaitForSingleObject" on entry,
 *       "NtWaitForSingleObject returns" on the way out).
 * </ul>
 *
 * <p>A thread's process is the one {@code nameThread} gave it, else the one its last
 * THREAD_CREATE gave it, else pseudo-process {@value #UNKNOWN_PID} "Unknown process".
 *
 * <h2>Two passes</h2>
 *
 * <p>A viewer reads events that share a timestamp in file order, so a parent slice must come
 * before its children. The first pass runs the {@link CpuTimeline} to learn every slice's end;
 * the second runs it again, writing each slice when it opens, with its duration known. Every
 * CPU runs Idle from the earliest event; slices still open close at the latest event.
 *
 * <h2>Left out</h2>
 *
 * <p>CONTEXT_SWITCH, ISR and DPC events with no valid CPU (they cannot be placed), instants
 * about tid 0, and thread slices of zero length. Flow arrows from READY to the switch that ran
 * the thread.
 */
final class ChromeTraceWriter {
  static final long CPU_PID = 1_000_000;
  static final long UNKNOWN_PID = 1_000_001;
  /** CPUs with an index at or above this are not drawn; their instants go to the Machine track. */
  static final int MAX_CPU_TRACKS = 4096;
  private static final long MACHINE_TID = MAX_CPU_TRACKS;
  private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();
  private static final int FLUSH_CHARS = 1 << 16;
  private static final String[] TICK_CATEGORIES = {"user", "kernel", "dpc", "interrupt", "idle"};

  private final EventStore events;
  private final TraceNames names;

  // Learned by the scan before the passes.
  private long firstNs = Long.MAX_VALUE;
  private long lastNs = Long.MIN_VALUE;
  private int cpuTracks;
  private boolean machineTrackUsed;
  private final TreeMap<Long, Long> createdPid = new TreeMap<>(); // tid -> pid of its last THREAD_CREATE
  private final TreeSet<Long> threadTids = new TreeSet<>(); // tids that get a thread track
  private final TreeMap<Long, Long> trackPid = new TreeMap<>(); // tid -> pid of its thread track

  // The second pass.
  private long[] sliceEndNs = new long[1024];
  private BufferedWriter out;
  private final StringBuilder line = new StringBuilder(256); // the event being written
  private final StringBuilder buffer = new StringBuilder(FLUSH_CHARS + 4096); // events not yet written out
  private boolean firstEvent = true;

  ChromeTraceWriter(EventStore events, TraceNames names) {
    this.events = events;
    this.names = names;
  }

  void write(Path file) throws IOException {
    scan();
    learnSliceEnds();
    try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out = writer;
      out.write("{\"traceEvents\":[\n");
      writeMetadata();
      writeEvents();
      flush();
      out.write("\n],\n\"displayTimeUnit\":\"ns\"}\n");
    } finally {
      out = null;
    }
  }

  // ---- Scan: time range, CPUs, threads and their processes ----

  private void scan() {
    int highestCpu = names.cpuCount() - 1;
    for (long i = 0; i < events.size(); i++) {
      long timeNs = events.timeNs(i);
      int cpu = events.cpu(i);
      TraceKind kind = events.kind(i);
      firstNs = Math.min(firstNs, timeNs);
      lastNs = Math.max(lastNs, timeNs);
      if (isCpuValid(cpu)) {
        highestCpu = Math.max(highestCpu, cpu);
      } else if (isCpuInstant(kind)) {
        machineTrackUsed = true;
      }
      if (kind == TraceKind.THREAD_CREATE) {
        createdPid.put(events.a(i), events.b(i));
      }
      if (kind == TraceKind.CONTEXT_SWITCH && isCpuValid(cpu)) {
        addThread(events.a(i));
        addThread(events.b(i));
      } else if (isThreadInstant(kind)) {
        addThread(events.a(i));
      }
    }
    cpuTracks = Math.min(highestCpu + 1, MAX_CPU_TRACKS);
    for (long tid : threadTids) {
      TraceNames.ThreadName named = names.thread(tid);
      long pid = named != null ? named.pid() : createdPid.getOrDefault(tid, UNKNOWN_PID);
      trackPid.put(tid, pid);
    }
  }

  private void addThread(long tid) {
    if (tid != 0) {
      threadTids.add(tid);
    }
  }

  private static boolean isCpuValid(int cpu) {
    return cpu >= 0 && cpu < MAX_CPU_TRACKS;
  }

  private static boolean isCpuInstant(TraceKind kind) {
    return switch (kind) {
      case CLOCK_TICK, IPI, BUGCHECK, MARK, PROCESS_CREATE, PROCESS_EXIT, TIMER_EXPIRED,
          PAGE_FAULT, TLB_SHOOTDOWN, WS_TRIM -> true; // PAGE_LIST stays in CSV: too many
      default -> false;
    };
  }

  private static boolean isThreadInstant(TraceKind kind) {
    return switch (kind) {
      case READY, WAIT, UNWAIT, PRIORITY, QUANTUM_END, THREAD_CREATE, THREAD_EXIT, APC_QUEUED,
          APC_DELIVERED, SERVICE -> true;
      default -> false;
    };
  }

  // ---- First pass: when does every slice end ----

  private void learnSliceEnds() {
    if (events.size() == 0) {
      return;
    }
    CpuTimeline timeline = new CpuTimeline(cpuTracks, firstNs, new CpuTimeline.SliceListener() {
      @Override
      public void sliceOpened(int slice, int cpu, int type, long startNs, long id, long b, long c) {
        if (slice == sliceEndNs.length) {
          sliceEndNs = Arrays.copyOf(sliceEndNs, slice * 2);
        }
      }

      @Override
      public void sliceClosed(int slice, long endNs) {
        sliceEndNs[slice] = endNs;
      }
    });
    events.replay(timeline::accept);
    timeline.finish(lastNs);
  }

  // ---- Metadata: names and order of the tracks ----

  private void writeMetadata() {
    writeProcessName(CPU_PID, "CPUs");
    writeSortIndex("process_sort_index", CPU_PID, 0, -1);
    for (int cpu = 0; cpu < cpuTracks; cpu++) {
      writeThreadName(CPU_PID, cpu, "CPU " + cpu);
      writeSortIndex("thread_sort_index", CPU_PID, cpu, cpu);
    }
    if (machineTrackUsed) {
      writeThreadName(CPU_PID, MACHINE_TID, "Machine");
      writeSortIndex("thread_sort_index", CPU_PID, MACHINE_TID, MAX_CPU_TRACKS);
    }
    for (Map.Entry<Long, String> process : names.processes().entrySet()) {
      writeProcessName(process.getKey(), process.getValue());
    }
    if (trackPid.containsValue(UNKNOWN_PID) && names.processName(UNKNOWN_PID) == null) {
      writeProcessName(UNKNOWN_PID, "Unknown process");
    }
    for (Map.Entry<Long, Long> thread : trackPid.entrySet()) {
      TraceNames.ThreadName named = names.thread(thread.getKey());
      if (named != null) {
        writeThreadName(thread.getValue(), thread.getKey(), named.name());
      }
    }
  }

  private void writeProcessName(long pid, String name) {
    begin("process_name", "M", pid, 0);
    line.append(",\"args\":{\"name\":");
    appendString(line, name);
    line.append("}}");
    end();
  }

  private void writeThreadName(long pid, long tid, String name) {
    begin("thread_name", "M", pid, tid);
    line.append(",\"args\":{\"name\":");
    appendString(line, name);
    line.append("}}");
    end();
  }

  private void writeSortIndex(String what, long pid, long tid, long index) {
    begin(what, "M", pid, tid);
    line.append(",\"args\":{\"sort_index\":").append(index).append("}}");
    end();
  }

  // ---- Second pass: slices and instants, in emission order ----

  private void writeEvents() throws IOException {
    if (events.size() == 0) {
      return;
    }
    CpuTimeline timeline = new CpuTimeline(cpuTracks, firstNs, new CpuTimeline.SliceListener() {
      @Override
      public void sliceOpened(int slice, int cpu, int type, long startNs, long id, long b, long c) {
        long durationNs = Math.max(0, sliceEndNs[slice] - startNs);
        switch (type) {
          case CpuTimeline.THREAD -> writeRunning(cpu, startNs, durationNs, id);
          case CpuTimeline.ISR -> writeIsr(cpu, startNs, durationNs, id, b, c);
          default -> writeDpc(cpu, startNs, durationNs, id, b, c);
        }
      }

      @Override
      public void sliceClosed(int slice, long endNs) {}
    });
    for (long i = 0; i < events.size(); i++) {
      long timeNs = events.timeNs(i);
      int cpu = events.cpu(i);
      TraceKind kind = events.kind(i);
      long a = events.a(i);
      long b = events.b(i);
      long c = events.c(i);
      timeline.accept(timeNs, cpu, kind, a, b, c);
      if (isThreadInstant(kind) && a != 0) {
        writeInstant(timeNs, kind, trackPid.get(a), a, a, b, c);
      } else if (isCpuInstant(kind)) {
        writeInstant(timeNs, kind, CPU_PID, isCpuValid(cpu) ? cpu : MACHINE_TID, a, b, c);
      }
      flushIfFull();
    }
  }

  private void writeRunning(int cpu, long startNs, long durationNs, long tid) {
    if (durationNs == 0) {
      return;
    }
    TraceNames.ThreadName named = names.thread(tid);
    String name = named != null ? named.name() : tid == 0 ? "Idle" : "Thread";
    beginSlice(name + " (" + tid + ")", "thread", startNs, durationNs, CPU_PID, cpu);
    line.append(",\"args\":{\"tid\":").append(tid);
    if (tid != 0) {
      line.append(",\"pid\":").append(trackPid.get(tid));
    }
    line.append("}}");
    end();
    if (tid != 0) {
      beginSlice("Running on CPU " + cpu, "thread", startNs, durationNs, trackPid.get(tid), tid);
      line.append(",\"args\":{\"cpu\":").append(cpu).append("}}");
      end();
    }
  }

  private void writeIsr(int cpu, long startNs, long durationNs, long irql, long vector,
      long interruptedIrql) {
    beginSlice("ISR IRQL " + irql, "interrupt", startNs, durationNs, CPU_PID, cpu);
    appendArgs(TraceKind.ISR_BEGIN, irql, vector, interruptedIrql);
    line.append("}}");
    end();
  }

  private void writeDpc(int cpu, long startNs, long durationNs, long dpc, long importance,
      long queueDepth) {
    StringBuilder name = new StringBuilder("DPC ");
    EventText.appendValue(name, true, dpc);
    beginSlice(name.toString(), "dpc", startNs, durationNs, CPU_PID, cpu);
    appendArgs(TraceKind.DPC_BEGIN, dpc, importance, queueDepth);
    line.append("}}");
    end();
  }

  private void writeInstant(long timeNs, TraceKind kind, long pid, long tid, long a, long b, long c) {
    String name = kind != TraceKind.SERVICE ? kind.name()
        : c == 0 ? names.service(b) + " returns" : names.service(b);
    begin(name, "i", pid, tid);
    line.append(",\"s\":\"t\",\"ts\":");
    appendMicros(line, timeNs);
    appendArgs(kind, a, b, c);
    if (kind == TraceKind.CLOCK_TICK && b >= 0 && b < TICK_CATEGORIES.length) {
      line.append(",\"charged\":\"").append(TICK_CATEGORIES[(int) b]).append('"');
    }
    line.append("}}");
    end();
  }

  // ---- JSON text ----

  private void begin(String name, String phase, long pid, long tid) {
    line.setLength(0);
    line.append("{\"name\":");
    appendString(line, name);
    line.append(",\"ph\":\"").append(phase).append("\",\"pid\":").append(pid)
        .append(",\"tid\":").append(tid);
  }

  private void beginSlice(String name, String category, long startNs, long durationNs, long pid,
      long tid) {
    begin(name, "X", pid, tid);
    line.append(",\"cat\":\"").append(category).append("\",\"ts\":");
    appendMicros(line, startNs);
    line.append(",\"dur\":");
    appendMicros(line, durationNs);
  }

  /** Appends {@code ,"args":{...} without the closing brace: the arguments the kind names, hex ones as strings. */
  private void appendArgs(TraceKind kind, long a, long b, long c) {
    line.append(",\"args\":{");
    int written = 0;
    long[] values = {a, b, c};
    for (int index = 0; index < 3; index++) {
      String argName = kind.argName(index);
      if (argName == null) {
        continue;
      }
      if (written++ > 0) {
        line.append(',');
      }
      appendString(line, argName);
      line.append(':');
      if (kind.argIsHex(index)) {
        line.append('"');
        EventText.appendValue(line, true, values[index]);
        line.append('"');
      } else {
        line.append(values[index]);
      }
    }
  }

  /** Moves the finished event in {@code line} to the output buffer. */
  private void end() {
    if (!firstEvent) {
      buffer.append(",\n");
    }
    firstEvent = false;
    buffer.append(line);
  }

  private void flushIfFull() throws IOException {
    if (buffer.length() >= FLUSH_CHARS) {
      flush();
    }
  }

  private void flush() throws IOException {
    out.append(buffer);
    buffer.setLength(0);
  }

  /** Nanoseconds as microseconds with exactly three decimals: 1234567 -> 1234.567. */
  static void appendMicros(StringBuilder text, long ns) {
    if (ns < 0) {
      text.append('-');
    }
    long magnitude = Math.absExact(ns);
    long fraction = magnitude % 1000;
    text.append(magnitude / 1000).append('.');
    if (fraction < 100) {
      text.append(fraction < 10 ? "00" : "0");
    }
    text.append(fraction);
  }

  /** A JSON string literal: quotes, backslashes and control characters escaped. */
  static void appendString(StringBuilder text, String value) {
    text.append('"');
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      switch (ch) {
        case '"' -> text.append("\\\"");
        case '\\' -> text.append("\\\\");
        case '\n' -> text.append("\\n");
        case '\r' -> text.append("\\r");
        case '\t' -> text.append("\\t");
        default -> {
          if (ch < 0x20) {
            text.append("\\u00").append(HEX_DIGITS[ch >> 4]).append(HEX_DIGITS[ch & 0xF]);
          } else {
            text.append(ch);
          }
        }
      }
    }
    text.append('"');
  }
}
