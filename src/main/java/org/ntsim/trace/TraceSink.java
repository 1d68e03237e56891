package org.ntsim.trace;

/**
 * Something that accepts trace events one at a time, in emission order: the {@link Tracer}
 * itself, or a visitor that {@link Tracer#replay} feeds with the recorded events (a lab counting
 * context switches, a test rebuilding a digest).
 *
 * <p>The arguments are those of {@link Tracer#emit}; {@link TraceKind} documents a, b and c per
 * kind. Implementations on the simulation's hot path must not allocate.
 */
@FunctionalInterface
public interface TraceSink {
  /** Accepts one event: simulated time, CPU index (or -1 when no CPU applies), kind and arguments. */
  void emit(long timeNs, int cpu, TraceKind kind, long a, long b, long c);
}
