package org.ntsim.fuzz;

import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;

/** Calls and exceptions as a failure report prints them. */
final class FuzzFormat {
  private FuzzFormat() {}

  /** {@code Kernel32.VirtualFree(lpAddress=0x7ffe0000, dwSize=0x7fffffffffffffff, ...)}. */
  static String call(FuzzCatalog.Call call, Object[] args) {
    StringBuilder s = new StringBuilder(call.signature().substring(0,
        call.signature().indexOf('.') + 1))
        .append(call.name()).append('(');
    for (int i = 0; i < args.length; i++) {
      if (i > 0) {
        s.append(", ");
      }
      s.append(call.names()[i]).append('=').append(value(args[i]));
    }
    return s.append(')').toString();
  }

  static String value(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Long l) {
      return "0x" + Long.toHexString(l);
    }
    if (v instanceof Boolean b) {
      return b.toString();
    }
    if (v instanceof Integer i) {
      return "0x" + Integer.toHexString(i);
    }
    if (v instanceof String str) {
      String shown = str.length() > 40 ? str.substring(0, 40) + "...(" + str.length() + " chars)"
          : str;
      return '"' + shown.replace("\u0000", "\\0") + '"';
    }
    if (v instanceof long[] a) {
      return a.length > 4 ? "long[" + a.length + "]" : hexes(a);
    }
    if (v instanceof byte[] a) {
      return "byte[" + a.length + "]";
    }
    if (v instanceof int[] a) {
      return "int[" + a.length + "]";
    }
    if (v instanceof boolean[] a) {
      return "boolean[" + a.length + "]";
    }
    if (Proxy.isProxyClass(v.getClass())) {
      return "<callback>";
    }
    if (v.getClass().isRecord()) {
      StringBuilder s = new StringBuilder(v.getClass().getSimpleName()).append('[');
      RecordComponent[] parts = v.getClass().getRecordComponents();
      for (int i = 0; i < parts.length; i++) {
        try {
          s.append(i > 0 ? ", " : "").append(parts[i].getName()).append('=')
              .append(value(parts[i].getAccessor().invoke(v)));
        } catch (ReflectiveOperationException e) {
          s.append('?');
        }
      }
      return s.append(']').toString();
    }
    return "<" + v.getClass().getSimpleName() + ">";
  }

  private static String hexes(long[] a) {
    StringBuilder s = new StringBuilder("{");
    for (int i = 0; i < a.length; i++) {
      s.append(i > 0 ? ", " : "").append("0x").append(Long.toHexString(a[i]));
    }
    return s.append('}').toString();
  }

  /** The exception and the frames of ntsim that it passed through, most recent first. */
  static String exception(Throwable e) {
    StringBuilder s = new StringBuilder(e.toString());
    int shown = 0;
    for (StackTraceElement f : e.getStackTrace()) {
      if (f.getClassName().startsWith("org.ntsim.fuzz")) {
        break;
      }
      if (shown++ < 12) {
        s.append("\n  at ").append(f);
      }
    }
    if (e.getCause() != null && e.getCause() != e) {
      s.append("\ncaused by ").append(exception(e.getCause()));
    }
    return s.toString();
  }
}
