package org.ntsim.trace;

/**
 * How one event reads as a line of text, for bug reports and the debugger:
 *
 * <pre>
 *   #1041 t=1250000ns cpu=1 CONTEXT_SWITCH oldTid=8 newTid=12 oldState=0x105
 * </pre>
 *
 * <p>The number after {@code #} is the event's position in emission order, counting from 0.
 * Arguments that the kind does not use are omitted; those it marks as hex
 * ({@link TraceKind#argIsHex}) print in hex, with negative 32-bit values (exit codes, NTSTATUS
 * passed as {@code int}) shown as the 32-bit pattern a debugger would show.
 */
final class EventText {
  private EventText() {}

  static void appendLine(StringBuilder out, long sequence, long timeNs, int cpu, TraceKind kind,
      long a, long b, long c) {
    out.append('#').append(sequence)
        .append(" t=").append(timeNs).append("ns cpu=").append(cpu)
        .append(' ').append(kind.name());
    appendArg(out, kind, 0, a);
    appendArg(out, kind, 1, b);
    appendArg(out, kind, 2, c);
  }

  private static void appendArg(StringBuilder out, TraceKind kind, int index, long value) {
    String name = kind.argName(index);
    if (name == null) {
      return;
    }
    out.append(' ').append(name).append('=');
    appendValue(out, kind.argIsHex(index), value);
  }

  static void appendValue(StringBuilder out, boolean hex, long value) {
    if (!hex) {
      out.append(value);
    } else if (value < 0 && value >= Integer.MIN_VALUE) {
      out.append("0x").append(Integer.toHexString((int) value));
    } else {
      out.append("0x").append(Long.toHexString(value));
    }
  }
}
