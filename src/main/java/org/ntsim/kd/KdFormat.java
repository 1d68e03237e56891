package org.ntsim.kd;

import java.util.Locale;

/**
 * How the console writes and reads numbers, the way WinDbg does on an x86 target: addresses as
 * eight lower-case hex digits, client IDs as four, times in WinDbg's clock formats; input numbers
 * in the default radix 16, with {@code 0x} and {@code 0n} (decimal) prefixes and the backtick
 * separator of 64-bit addresses.
 *
 * <p>Invariants: every formatter is a pure function of its arguments (integer arithmetic, the
 * root locale), so that a transcript is the same on every host.
 */
final class KdFormat {
  /** The name WinDbg prints after a local time; the machine's time zone is UTC. */
  static final String TIME_ZONE_NAME = "Coordinated Universal Time";

  private static final long NS_PER_MS = 1_000_000L;
  private static final long MS_PER_SECOND = 1_000L;

  private KdFormat() {}

  /** An x86 address or 32-bit value: {@code 84000290}. */
  static String hex8(long value) {
    return String.format(Locale.ROOT, "%08x", value & 0xFFFFFFFFL);
  }

  /** A client ID part, {@code 0004}; wider IDs print in full. */
  static String cid(long id) {
    return String.format(Locale.ROOT, "%04x", id);
  }

  /** A thread's client ID, {@code 0014.0018}. */
  static String cid(long pid, long tid) {
    return cid(pid) + "." + cid(tid);
  }

  /** WinDbg's CPU-time format, {@code 00:00:14.930}: hours, minutes, seconds, milliseconds. */
  static String hhmmss(long ns) {
    long ms = Math.max(0, ns) / NS_PER_MS;
    long s = ms / MS_PER_SECOND;
    return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", s / 3600, s / 60 % 60, s % 60,
        ms % MS_PER_SECOND);
  }

  /** WinDbg's wait-ticks format, {@code 0:00:00:12.930}: days, hours, minutes, seconds. */
  static String dhhmmss(long ns) {
    long ms = Math.max(0, ns) / NS_PER_MS;
    long s = ms / MS_PER_SECOND;
    return String.format(Locale.ROOT, "%d:%02d:%02d:%02d.%03d", s / 86_400, s / 3600 % 24,
        s / 60 % 60, s % 60, ms % MS_PER_SECOND);
  }

  /** Simulated time as {@code 0:00:01.250}: hours, minutes, seconds, milliseconds. */
  static String hmmss(long ns) {
    long ms = Math.max(0, ns) / NS_PER_MS;
    long s = ms / MS_PER_SECOND;
    return String.format(Locale.ROOT, "%d:%02d:%02d.%03d", s / 3600, s / 60 % 60, s % 60,
        ms % MS_PER_SECOND);
  }

  /** WinDbg's uptime format, {@code 0 days 0:05:12.345}. */
  static String uptime(long ns) {
    long days = Math.max(0, ns) / (86_400L * 1_000_000_000L);
    return days + " days " + hmmss(ns - days * 86_400L * 1_000_000_000L);
  }

  /**
   * The time of day {@code ns} after boot, given the system time at boot ({@code bootTime}, a UTC
   * FILETIME: KeBootTime), as {@code !timer} prints dates: {@code 2/27/2008 00:00:01.250} (month
   * and day padded to two columns).
   */
  static String date(long bootTime, long ns) {
    long filetime = bootTime + Math.max(0, ns) / 100;
    long unixMs = filetime / 10_000 - 11_644_473_600_000L;
    java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(
        Math.floorDiv(unixMs, 1000), 0, java.time.ZoneOffset.UTC);
    return String.format(Locale.ROOT, "%2d/%2d/%d %02d:%02d:%02d.%03d", t.getMonthValue(),
        t.getDayOfMonth(), t.getYear(), t.getHour(), t.getMinute(), t.getSecond(),
        Math.floorMod(unixMs, 1000));
  }

  /**
   * The time of day {@code ns} after boot, given KeBootTime, as {@code .time} and
   * {@code vertarget} print the debug session time: {@code Wed Feb 27 00:00:00.050 2008 (UTC + 0:00)}.
   */
  static String sessionTime(long bootTime, long ns) {
    long filetime = bootTime + Math.max(0, ns) / 100;
    long unixMs = filetime / 10_000 - 11_644_473_600_000L;
    java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(
        Math.floorDiv(unixMs, 1000), 0, java.time.ZoneOffset.UTC);
    return String.format(Locale.ROOT, "%s %s %2d %02d:%02d:%02d.%03d %d (UTC + 0:00)",
        threeLetters(t.getDayOfWeek().name()), threeLetters(t.getMonth().name()),
        t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond(),
        Math.floorMod(unixMs, 1000), t.getYear());
  }

  private static String threeLetters(String name) {
    return name.charAt(0) + name.substring(1, 3).toLowerCase(Locale.ROOT);
  }

  /** An exact duration in milliseconds with nanosecond digits: {@code 12.345678 ms}. */
  static String exactMs(long ns) {
    long abs = Math.abs(ns);
    return String.format(Locale.ROOT, "%s%d.%06d ms", ns < 0 ? "-" : "", abs / NS_PER_MS,
        abs % NS_PER_MS);
  }

  /**
   * A number typed at the prompt, in WinDbg's default radix 16: {@code 84000290},
   * {@code 0x84000290}, {@code 0n12} (decimal), {@code ffffffff`84000290}, {@code -1}.
   *
   * @throws KdError "Couldn't resolve error at ..." when the text is not a number
   */
  static long number(String text) {
    String t = text.replace("`", "").toLowerCase(Locale.ROOT);
    boolean negative = t.startsWith("-");
    if (negative) {
      t = t.substring(1);
    }
    int radix = 16;
    if (t.startsWith("0x")) {
      t = t.substring(2);
    } else if (t.startsWith("0n")) {
      radix = 10;
      t = t.substring(2);
    }
    if (t.isEmpty() || t.length() > 16) {
      throw KdError.unresolved(text);
    }
    try {
      long v = Long.parseUnsignedLong(t, radix);
      return negative ? -v : v;
    } catch (NumberFormatException e) {
      throw KdError.unresolved(text);
    }
  }

  /**
   * An x86 address typed at the prompt: as {@link #number}, with a sign-extended 64-bit form
   * ({@code ffffffff`84000290}) taken as the 32-bit address it extends.
   */
  static long address(String text) {
    long v = number(text);
    if ((v >>> 32) == 0xFFFFFFFFL) {
      v &= 0xFFFFFFFFL;
    }
    return v;
  }

  /**
   * An extension's flags typed at the prompt, as WinDbg takes them: any 32-bit value (so
   * {@code ffffffff} and {@code -1} ask for everything); each command reads the bits it models and
   * ignores the rest.
   */
  static int flags(String text) {
    return (int) number(text);
  }
}
