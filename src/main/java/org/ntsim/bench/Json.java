package org.ntsim.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A JSON object whose fields keep the order they were put in, written on one line. Values are
 * strings, numbers, booleans, nested {@code Json} objects, or lists of those.
 */
final class Json {
  private final Map<String, Object> fields = new LinkedHashMap<>();

  Json put(String key, Object value) {
    fields.put(key, value);
    return this;
  }

  Object get(String key) {
    return fields.get(key);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(256);
    write(out, this);
    return out.toString();
  }

  private static void write(StringBuilder out, Object value) {
    switch (value) {
      case null -> out.append("null");
      case Json j -> {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : j.fields.entrySet()) {
          if (!first) {
            out.append(',');
          }
          first = false;
          writeString(out, e.getKey());
          out.append(':');
          write(out, e.getValue());
        }
        out.append('}');
      }
      case List<?> list -> {
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          write(out, list.get(i));
        }
        out.append(']');
      }
      case Double d -> out.append(formatDouble(d));
      case Float f -> out.append(formatDouble(f));
      case Number n -> out.append(n);
      case Boolean b -> out.append(b);
      default -> writeString(out, value.toString());
    }
  }

  /** Three significant decimals are plenty for host timings; JSON has no NaN or infinity. */
  private static String formatDouble(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return "null";
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return String.format(Locale.ROOT, "%.3f", d);
  }

  private static void writeString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
