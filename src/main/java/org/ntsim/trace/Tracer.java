package org.ntsim.trace;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's event trace (DESIGN.md sections 6 and 7): every layer reports what happens
 * through {@link #emit}, and the tracer keeps three things from it.
 *
 * <ul>
 *   <li>The <b>digest</b>, always: a 64-bit hash of every field of every event in emission order.
 *       Two runs with the same configuration and seed must give the same digest; that is how
 *       determinism is tested.
 *   <li>The <b>last 256 events</b>, always, for bug reports
 *       ({@link #describeRecent}).
 *   <li><b>Every event</b>, only when constructed with {@code recordEvents}, for the exporters
 *       ({@link #writeChromeJson}, {@link #writeCsv}) and {@link #replay}.
 * </ul>
 *
 * <h2>Implementation notes</h2>
 *
 * <p><b>Digest.</b> The state starts at a fixed seed; each field (time, cpu, kind ordinal, a, b,
 * c) is folded in by {@code h = (h ^ field) * K; h ^= h >>> 32}. That step is a bijection of the
 * state for a fixed field and of the field for a fixed state, so two sequences of the same length
 * that differ in exactly one field always give different digests; other differences collide with
 * probability about 2<sup>-64</sup>. {@link #digest} adds the event count and a final avalanche
 * (the MurmurHash3 finaliser). Names given to processes and threads are not hashed, and neither
 * are annotations ({@link #annotate}).
 *
 * <p>The six folds of an event are one chain of dependent multiplications, on the path of every
 * context switch; {@link #emit} computes the same values with one operation fewer on the chain
 * per field: it keeps the product {@code p} of the last fold, before its shift, and folds the
 * next field as {@code ((p ^ field) ^ (p >>> 32)) * K}, whose two exclusive ors do not wait for
 * each other.
 *
 * <p><b>Hot path.</b> {@link #emit} does not allocate, except that a recording tracer allocates a
 * new storage chunk once every 65,536 events.
 *
 * <p><b>Invariants.</b> {@code eventCount()} is the number of {@code emit} calls; when recording,
 * the store holds exactly those events in the same order, with the annotations among them.
 *
 * <p><b>Left out.</b> Thread safety: the machine runs on one host thread (DESIGN.md section 2),
 * and so does its tracer. Filtering by kind: every event is hashed and kept, so a digest never
 * depends on which exporter is attached.
 */
public final class Tracer implements TraceSink {
  private static final long SEED = 0x6A09E667F3BCC909L;
  private static final long FIELD_MULTIPLIER = 0x9E3779B97F4A7C15L; // odd, so multiplying is a bijection

  private final EventStore store; // null when not recording
  private final RecentEvents recent = new RecentEvents();
  private final TraceNames names = new TraceNames();
  private long product = SEED ^ (SEED >>> 32); // the state is product ^ (product >>> 32), SEED at first
  private TraceSink listener; // null unless a lab counts events as they happen

  /** A tracer that always computes the digest, and stores every event only if {@code recordEvents}. */
  public Tracer(boolean recordEvents) {
    this.store = recordEvents ? new EventStore() : null;
  }

  /**
   * Records one event: simulated time, the CPU it happened on (or -1 if none), its kind and the
   * three arguments that {@link TraceKind} documents for that kind. Does not allocate.
   */
  @Override
  public void emit(long timeNs, int cpu, TraceKind kind, long a, long b, long c) {
    int kindOrdinal = kind.ordinal();
    long p = product;
    p = fold(p, timeNs);
    p = fold(p, cpu);
    p = fold(p, kindOrdinal);
    p = fold(p, a);
    p = fold(p, b);
    p = fold(p, c);
    product = p;
    recent.add(timeNs, cpu, kindOrdinal, a, b, c);
    if (store != null) {
      store.append(timeNs, cpu, kindOrdinal, a, b, c);
    }
    if (listener != null) {
      listener.emit(timeNs, cpu, kind, a, b, c);
    }
  }

  /**
   * Hands every event emitted from now on to {@code sink} as well (null: nobody), recording or
   * not: how a lab counts what happened, by cause, from the events themselves. One listener at
   * a time; it must not emit events or allocate per event on the hot path.
   */
  public void listen(TraceSink sink) {
    this.listener = sink;
  }

  /**
   * Records an annotation for the exporters: a label on what the events already show, such as
   * the system service a thread is in ({@link TraceKind#SERVICE}). Like a name, it is metadata:
   * it is stored only when recording, enters neither the digest nor {@link #eventCount}, and is
   * not kept among the recent events. Does not allocate.
   */
  public void annotate(long timeNs, int cpu, TraceKind kind, long a, long b, long c) {
    if (store != null) {
      store.append(timeNs, cpu, kind.ordinal(), a, b, c);
    }
  }

  /** Names the system services by number, for the exporters; not part of the digest. */
  public void nameServices(String[] names) {
    this.names.nameServices(names);
  }

  /** One fold step from the last product {@code p}: {@code h = p ^ (p >>> 32); return (h ^ field) * K}. */
  private static long fold(long p, long field) {
    return ((p ^ field) ^ (p >>> 32)) * FIELD_MULTIPLIER;
  }

  /** The digest state h: the last product with its shift folded in. */
  private long state() {
    return product ^ (product >>> 32);
  }

  /** Whether every event is stored (the exporters and {@link #replay} need it). */
  public boolean isRecording() {
    return store != null;
  }

  /** The number of events emitted so far, recorded or not. */
  public long eventCount() {
    return recent.count();
  }

  /** The hash of every event emitted so far: same events in the same order, same digest. */
  public long digest() {
    long x = state() ^ (recent.count() * FIELD_MULTIPLIER);
    x ^= x >>> 33;
    x *= 0xFF51AFD7ED558CCDL;
    x ^= x >>> 33;
    x *= 0xC4CEB9FE1A85EC53L;
    x ^= x >>> 33;
    return x;
  }

  /** {@link #digest} as 16 lower-case hex digits, with leading zeros. */
  public String digestHex() {
    String hex = Long.toHexString(digest());
    return "0".repeat(16 - hex.length()) + hex;
  }

  /** Names a process for the exporters; not part of the digest. */
  public void nameProcess(long pid, String name) {
    names.nameProcess(pid, name);
  }

  /**
   * Names a thread and says which process it belongs to, for the exporters; not part of the
   * digest. Naming a tid again replaces its name and process. Tid 0 is the idle thread of every
   * CPU; it is called "Idle" unless named.
   */
  public void nameThread(long tid, long pid, String name) {
    names.nameThread(tid, pid, name);
  }

  /** How many CPU tracks the Chrome export shows at least (CPUs that emit events are shown too). */
  public void nameCpuCount(int cpus) {
    names.nameCpuCount(cpus);
  }

  /**
   * The last {@code n} events, oldest first, one line each (see {@code EventText} for the
   * layout). At most 256 are kept, recording or not.
   */
  public String describeRecent(int n) {
    return recent.describe(n);
  }

  /** Feeds every recorded event, in emission order, to {@code sink}. Needs {@code recordEvents}. */
  public void replay(TraceSink sink) {
    requireRecording("replay");
    store.replay(sink);
  }

  /**
   * Writes the recorded events as Chrome Trace Event Format JSON that ui.perfetto.dev opens: a
   * track per CPU and a track per thread (see {@code ChromeTraceWriter}). Needs
   * {@code recordEvents}.
   */
  public void writeChromeJson(Path file) throws IOException {
    requireRecording("writeChromeJson");
    new ChromeTraceWriter(store, names).write(file);
  }

  /**
   * Writes the recorded events as CSV: the header {@code time_ns,cpu,event,a,b,c}, then one line
   * per event in emission order, the event as its {@link TraceKind} name. Needs
   * {@code recordEvents}.
   */
  public void writeCsv(Path file) throws IOException {
    requireRecording("writeCsv");
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write("time_ns,cpu,event,a,b,c\n");
      StringBuilder line = new StringBuilder(96);
      for (long i = 0; i < store.size(); i++) {
        line.setLength(0);
        line.append(store.timeNs(i)).append(',').append(store.cpu(i)).append(',')
            .append(store.kind(i).name()).append(',').append(store.a(i)).append(',')
            .append(store.b(i)).append(',').append(store.c(i)).append('\n');
        out.append(line);
      }
    }
  }

  private void requireRecording(String operation) {
    if (store == null) {
      throw new IllegalStateException(operation + " needs a Tracer constructed with recordEvents = true");
    }
  }
}
