package org.ntsim.fuzz;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.ntsim.hal.Prng;

/**
 * Arguments for the guest facades' parameters, chosen from a parameter's Java type and, where
 * the compiler kept it (the build passes {@code -parameters}), its name (hProcess, lpAddress,
 * dwSize, ...). Hostile ones: valid, closed and forged handles, pseudo handles, addresses at
 * the edges of user space and far outside 32 bits, sizes that overflow any sum, null and short
 * arrays, bad names, flags made of every constant the facades define and of random bits.
 * Well-formed ones ({@link #sane}): what a careful program passes, so that calls get deep.
 *
 * <p>Everything is drawn from the calling fuzz thread's {@link Prng}, so one seed always yields
 * the same calls in the same order.
 */
final class FuzzArguments {
  /** Addresses at the edges of the x86 user and system ranges, and outside 32 bits. */
  private static final long[] EDGE_ADDRESSES = {
      0, 1, 0xFFF, 0x1000, 0x10000, 0xFFFF, 0x7FFE0000L, 0x7FFEF000L, 0x7FFEFFFFL, 0x7FFEFFFCL,
      0x7FFF0000L, 0x7FFFFFFFL, 0x80000000L, 0xC0000000L, 0xC0300000L, 0xFFFFF000L, 0xFFFFFFFFL,
      0x100000000L, 0x17FFF0000L, -1L, -4096L, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 62,
      Long.MAX_VALUE - 0xFFF};
  /** Sizes at the edges of pages, regions and the address space, and sums that overflow. */
  private static final long[] EDGE_SIZES = {
      0, 1, 2, 4, 8, 0xFFF, 0x1000, 0x1001, 0x2000, 0x10000, 0x10001, 0x100000, 0x7FFEFFFFL,
      0x7FFF0000L, 0x7FFFFFFFL, 0x80000000L, 0xFFFFF000L, 0xFFFFFFFFL, 0x100000000L, -1L, -4096L,
      Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE - 0xFFE, 1L << 62, 1L << 63 >>> 1};
  private static final long[] EDGE_TIMES = {
      0, -1, 1, -10_000, -10_000, -20_000, -50_000, -100_000, 0, -1, -1_000_000, 10_000,
      Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1};
  private static final int[] EDGE_INTS = {
      0, 1, -1, 2, 3, 4, 15, 16, 31, 32, 63, 64, 65, 0x7FFFFFFF, 0x80000000, 0xFFFF, 0x10000};
  /** Mostly short: a call that blocks for good costs its thread (the supervisor ends it). */
  private static final int[] TIMEOUTS_MS = {0, 0, 0, 0, 1, 1, 2, 5, 10, 0, 1, -1, 0x7FFFFFFF};
  private static final String[] NAMES = {
      "fuzz0", "fuzz1", "fuzz2", "Global\\fuzz0", "Local\\fuzz1", "Session\\1\\fuzz2",
      "\\BaseNamedObjects\\fuzz0", "\\BaseNamedObjects", "\\", "\\ObjectTypes",
      "\\ObjectTypes\\Event", "\\BaseNamedObjects\\Global", "\\BaseNamedObjects\\Local\\fuzz1",
      "\\??\\fuzz", "fuzz\\", "\\\\", "a\\b\\c", "..", ".", " ", "FUZZ0", "x\u0000y",
      "\\BaseNamedObjects\\\u00e9v\u00e9nement", "x".repeat(260), "y".repeat(40_000)};

  /**
   * Which constants a flag parameter takes, by a word of its name: a parameter whose name
   * contains the key draws half its values from the constants whose names start with one of
   * the prefixes (alone, or two of them or'ed), so that a call gets past its first check often
   * enough to reach the code behind it.
   */
  private static final String[][] FAMILIES = {
      {"protect", "PAGE_"},
      {"allocationtype", "MEM_"},
      {"freetype", "MEM_"},
      {"flags", "MEM_", "WRITE_WATCH", "CREATE_", "QUOTA_"},
      {"access", "PROCESS_", "THREAD_", "EVENT_", "MUTEX_", "SEMAPHORE_", "TIMER_", "GENERIC_",
          "MAXIMUM_ALLOWED", "SYNCHRONIZE"},
      {"attributes", "OBJ_"},
      {"options", "DUPLICATE_"},
      {"maptype", "MAP_"},
      {"class", "IDLE_PRIORITY", "BELOW_NORMAL_PRIORITY", "NORMAL_PRIORITY",
          "ABOVE_NORMAL_PRIORITY", "HIGH_PRIORITY", "REALTIME_PRIORITY", "MemoryBasic"},
      {"priority", "THREAD_PRIORITY_"},
      {"waittype", "Wait"},
      {"eventtype", "NotificationEvent", "SynchronizationEvent"},
      {"timertype", "NotificationTimer", "SynchronizationTimer"},
  };

  private final FuzzWorld world;
  private final int[] knownInts;
  private final TreeMap<String, Integer> namedInts;
  private final Map<String, int[]> familyByHint = new TreeMap<>();

  FuzzArguments(FuzzWorld world, TreeMap<String, Integer> namedInts) {
    this.world = world;
    this.namedInts = namedInts;
    this.knownInts = namedInts.values().stream().mapToInt(Integer::intValue).sorted().distinct()
        .toArray();
  }

  /** The constants of the family a parameter's name belongs to; empty when it has none. */
  private int[] family(String hint) {
    return familyByHint.computeIfAbsent(hint, h -> {
      for (String[] f : FAMILIES) {
        if (h.contains(f[0])) {
          List<Integer> values = new ArrayList<>();
          namedInts.forEach((name, value) -> {
            for (int i = 1; i < f.length; i++) {
              if (name.startsWith(f[i])) {
                values.add(value);
              }
            }
          });
          return values.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
        }
      }
      return new int[0];
    });
  }

  /**
   * One value for each parameter of {@code call}, for {@code thread} to pass. A call is hostile
   * in some of its arguments only: the rest are what a well-behaved program passes, so that
   * calls get past their first check, make regions and objects, and hand them to later calls.
   * Each argument is hostile with a probability drawn per call: none, a tenth, a third, or all.
   */
  Object[] arguments(FuzzCatalog.Call call, FuzzThread thread) {
    Class<?>[] types = call.types();
    String[] hints = call.hints();
    Object[] args = new Object[types.length];
    int hostileTenths = HOSTILITY[thread.prng.nextInt(HOSTILITY.length)];
    for (int i = 0; i < types.length; i++) {
      boolean hostile = thread.prng.nextInt(10) < hostileTenths;
      args[i] = hostile ? value(types[i], hints[i], thread, 0) : sane(types[i], hints[i], thread);
    }
    return args;
  }

  private static final int[] HOSTILITY = {0, 0, 1, 3, 10};
  /** What well-behaved programs pass as an allocation type. */
  private static final int[] ALLOCATION_TYPES = {0x3000, 0x3000, 0x2000, 0x1000, 0x203000,
      0x202000, 0x80000, 0x103000};
  private static final int[] PROTECTIONS = {0x04, 0x04, 0x02, 0x01, 0x40, 0x104, 0x20};

  /** A value a well-behaved program might pass for this parameter. */
  Object sane(Class<?> type, String hint, FuzzThread thread) {
    Prng r = thread.prng;
    if (type == long.class) {
      if (isHandle(hint)) {
        if (hint.contains("process") && r.nextBoolean()) {
          return -1L; // NtCurrentProcess
        }
        if (hint.contains("thread") && r.nextBoolean()) {
          return -2L; // NtCurrentThread
        }
        List<Long> own = thread.process.handles;
        return own.isEmpty() || r.nextInt(5) == 0 ? (r.nextBoolean() ? -1L : -2L)
            : own.get(r.nextInt(own.size()));
      }
      if (hint.contains("address") || hint.contains("buffer") || hint.endsWith("base")) {
        List<Long> regions = thread.process.addresses;
        if (regions.isEmpty() || r.nextInt(6) == 0) {
          return 0L;
        }
        return regions.get(r.nextInt(regions.size())) + 0x1000L * r.nextInt(4)
            + (r.nextInt(4) == 0 ? r.nextInt(0x1000) : 0);
      }
      if (hint.contains("size") || hint.contains("length") || hint.contains("count")) {
        if (r.nextInt(5) == 0) {
          return 0L; // MEM_RELEASE's size, "the whole region"
        }
        return 0x1000L * (1 + r.nextInt(16)) - (r.nextInt(4) == 0 ? r.nextInt(0x1000) : 0);
      }
      if (hint.contains("time") || hint.contains("interval") || hint.contains("due")) {
        return -10_000L * r.nextInt(5);
      }
      return (long) r.nextInt(64);
    }
    if (type == int.class) {
      if (hint.contains("allocationtype")) {
        return ALLOCATION_TYPES[r.nextInt(ALLOCATION_TYPES.length)];
      }
      if (hint.contains("protect")) {
        return PROTECTIONS[r.nextInt(PROTECTIONS.length)];
      }
      if (hint.contains("millisecond") || hint.contains("timeout")) {
        return r.nextInt(3);
      }
      if (hint.endsWith("id")) {
        return world.anyId(r);
      }
      if (hint.contains("priority") && !hint.contains("class")) {
        return r.nextInt(5) - 2;
      }
      int[] family = family(hint);
      if (family.length > 0 && r.nextInt(4) != 0) {
        return family[r.nextInt(family.length)];
      }
      return r.nextInt(5);
    }
    if (type == long[].class) {
      int n = hint.contains("handles") ? 1 + r.nextInt(4) : 1;
      long[] a = new long[n];
      for (int i = 0; i < n; i++) {
        a[i] = (long) sane(long.class, hint.contains("handles") ? "handle" : hint, thread);
      }
      return a;
    }
    if (type == int[].class) {
      return new int[1];
    }
    if (type == boolean[].class) {
      return new boolean[1];
    }
    if (type == byte[].class) {
      return new byte[r.nextBoolean() ? 64 : 0x1000];
    }
    if (type == String.class) {
      return r.nextInt(3) == 0 ? null : NAMES[r.nextInt(3)];
    }
    if (type == org.ntsim.ob.ObjectAttributes.class) {
      String name = r.nextInt(3) == 0 ? null : "\\BaseNamedObjects\\" + NAMES[r.nextInt(3)];
      int[] attributes = {0, 0, 0x80, 0x40, 0x2};
      return new org.ntsim.ob.ObjectAttributes(0, name, attributes[r.nextInt(attributes.length)]);
    }
    if (type == Object.class) {
      return null;
    }
    return value(type, hint, thread, 0);
  }

  Object value(Class<?> type, String hint, FuzzThread thread, int depth) {
    Prng r = thread.prng;
    if (type == long.class) {
      return longValue(hint, thread);
    }
    if (type == int.class) {
      return intValue(hint, thread);
    }
    if (type == boolean.class) {
      return r.nextBoolean();
    }
    if (type == byte.class) {
      return (byte) r.nextLong();
    }
    if (type == short.class) {
      return (short) r.nextLong();
    }
    if (type == char.class) {
      return (char) r.nextLong();
    }
    if (type == double.class || type == float.class) {
      double d = switch (r.nextInt(4)) {
        case 0 -> Double.NaN;
        case 1 -> r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        default -> (double) r.nextLong();
      };
      return type == float.class ? (Object) (float) d : (Object) d;
    }
    if (type == long[].class) {
      return longArray(hint, thread);
    }
    if (type == int[].class) {
      return switch (r.nextInt(6)) {
        case 0 -> null;
        case 1 -> new int[0];
        case 2 -> new int[] {intValue(hint, thread), intValue(hint, thread)};
        default -> new int[] {intValue(hint, thread)};
      };
    }
    if (type == byte[].class) {
      return switch (r.nextInt(6)) {
        case 0 -> null;
        case 1 -> new byte[0];
        case 2 -> new byte[0x1000];
        case 3 -> new byte[0x11000];
        default -> new byte[1 + r.nextInt(64)];
      };
    }
    if (type == boolean[].class) {
      return switch (r.nextInt(4)) {
        case 0 -> null;
        case 1 -> new boolean[0];
        default -> new boolean[] {r.nextBoolean()};
      };
    }
    if (type == String.class) {
      return r.nextInt(8) == 0 ? null : NAMES[r.nextInt(NAMES.length)];
    }
    if (r.nextInt(6) == 0 || depth > 2) {
      return null;
    }
    if (type.isInterface()) {
      return callback(type, thread);
    }
    if (type.isRecord()) {
      return record(type, thread, depth);
    }
    return bean(type, thread);
  }

  // ------------------------------------------------------------------ numbers

  private long longValue(String hint, FuzzThread thread) {
    if (isHandle(hint)) {
      return handle(thread);
    }
    if (hint.contains("address") || hint.contains("buffer") || hint.endsWith("base")
        || hint.equals("address")) {
      return address(thread);
    }
    if (hint.contains("size") || hint.contains("length") || hint.contains("count")) {
      return size(thread.prng);
    }
    if (hint.contains("instruction")) {
      return thread.prng.nextInt(10) == 0 ? thread.prng.nextLong() : thread.prng.nextInt(100_000);
    }
    if (hint.contains("time") || hint.contains("interval") || hint.contains("due")) {
      return EDGE_TIMES[thread.prng.nextInt(EDGE_TIMES.length)];
    }
    if (hint.contains("bits")) {
      return thread.prng.nextInt(4) == 0 ? EDGE_SIZES[thread.prng.nextInt(EDGE_SIZES.length)]
          : thread.prng.nextInt(34) - 1;
    }
    return switch (thread.prng.nextInt(5)) {
      case 0 -> handle(thread);
      case 1 -> address(thread);
      case 2 -> size(thread.prng);
      case 3 -> intValue(hint, thread);
      default -> thread.prng.nextLong();
    };
  }

  private static boolean isHandle(String hint) {
    return hint.contains("handle") || (hint.length() > 1 && hint.charAt(0) == 'h'
        && !hint.startsWith("hard"));
  }

  /** A handle: one this process holds or held, another process's, a pseudo handle, a forgery. */
  long handle(FuzzThread thread) {
    Prng r = thread.prng;
    List<Long> own = thread.process.handles;
    switch (r.nextInt(10)) {
      case 0, 1, 2, 3:
        if (!own.isEmpty()) {
          return own.get(r.nextInt(own.size()));
        }
        return 0;
      case 4:
        return r.nextBoolean() ? -1 : -2; // NtCurrentProcess, NtCurrentThread
      case 5:
        return r.nextInt(3) == 0 ? 0 : 4L * r.nextInt(64);
      case 6:
        if (!own.isEmpty()) {
          return own.get(r.nextInt(own.size())) | (1 + r.nextInt(3)); // tag bits
        }
        return 3;
      case 7:
        FuzzProcess other = world.anyProcess(r);
        if (other != null && !other.handles.isEmpty()) {
          return other.handles.get(r.nextInt(other.handles.size()));
        }
        return 8;
      case 8:
        return EDGE_ADDRESSES[r.nextInt(EDGE_ADDRESSES.length)];
      default:
        return r.nextLong();
    }
  }

  /** An address: in or near a region the process allocated, or at an edge of the ranges. */
  long address(FuzzThread thread) {
    Prng r = thread.prng;
    List<Long> regions = thread.process.addresses;
    switch (r.nextInt(8)) {
      case 0, 1, 2:
        if (!regions.isEmpty()) {
          long base = regions.get(r.nextInt(regions.size()));
          return switch (r.nextInt(4)) {
            case 0 -> base;
            case 1 -> base + 0x1000L * r.nextInt(32);
            case 2 -> base + r.nextInt(0x20000);
            default -> base - 0x1000L * r.nextInt(4);
          };
        }
        return 0x10000L * (1 + r.nextInt(0x7FFE));
      case 3:
        return 0x10000L * (1 + r.nextInt(0x7FFE)) + (r.nextBoolean() ? 0 : r.nextInt(0x10000));
      case 4, 5:
        return EDGE_ADDRESSES[r.nextInt(EDGE_ADDRESSES.length)];
      case 6:
        return r.nextLong() & 0xFFFFFFFFL;
      default:
        return r.nextLong();
    }
  }

  static long size(Prng r) {
    return switch (r.nextInt(5)) {
      case 0, 1 -> EDGE_SIZES[r.nextInt(EDGE_SIZES.length)];
      case 4 -> Long.MAX_VALUE - r.nextInt(0x20000); // wraps any sum with a user address
      case 2 -> r.nextInt(0x40000);
      default -> r.nextBoolean() ? r.nextLong() : r.nextLong() & 0xFFFFFFFFL;
    };
  }

  private int intValue(String hint, FuzzThread thread) {
    Prng r = thread.prng;
    if (hint.contains("millisecond") || hint.contains("timeout")) {
      return TIMEOUTS_MS[r.nextInt(TIMEOUTS_MS.length)];
    }
    if (hint.endsWith("id")) {
      return world.anyId(r);
    }
    if (hint.contains("priority") && r.nextBoolean()) {
      return r.nextInt(40) - 16;
    }
    int[] family = family(hint);
    if (family.length > 0 && r.nextBoolean()) {
      int v = family[r.nextInt(family.length)];
      return r.nextInt(4) == 0 ? v | family[r.nextInt(family.length)] : v;
    }
    return switch (r.nextInt(6)) {
      case 0, 1 -> knownInts[r.nextInt(knownInts.length)];
      case 2 -> knownInts[r.nextInt(knownInts.length)] | knownInts[r.nextInt(knownInts.length)];
      case 3 -> EDGE_INTS[r.nextInt(EDGE_INTS.length)];
      case 4 -> r.nextInt(128) - 16;
      default -> (int) r.nextLong();
    };
  }

  private long[] longArray(String hint, FuzzThread thread) {
    Prng r = thread.prng;
    int kind = r.nextInt(10);
    if (kind == 0) {
      return null;
    }
    if (kind == 1) {
      return new long[0];
    }
    if (kind <= 6) {
      return new long[] {longValue(hint, thread)};
    }
    int n = kind == 7 ? 2 + r.nextInt(4) : r.nextInt(70);
    long[] a = new long[n];
    boolean handles = hint.contains("handle");
    for (int i = 0; i < n; i++) {
      a[i] = handles ? handle(thread) : longValue(hint, thread);
    }
    return a;
  }

  // ------------------------------------------------------------------ objects

  /** A callback (thread procedure, APC routine) that makes calls of its own, or throws. */
  private Object callback(Class<?> type, FuzzThread thread) {
    if (!type.getPackageName().startsWith("org.ntsim")) {
      return null;
    }
    long token = thread.prng.nextLong();
    return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
        (proxy, method, args) -> {
          if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
              case "hashCode" -> (int) token;
              case "equals" -> proxy == args[0];
              default -> type.getSimpleName() + "@fuzz";
            };
          }
          return world.runCallback(type, method.getReturnType(), token);
        });
  }

  private Object record(Class<?> type, FuzzThread thread, int depth) {
    RecordComponent[] parts = type.getRecordComponents();
    Class<?>[] types = new Class<?>[parts.length];
    Object[] values = new Object[parts.length];
    for (int i = 0; i < parts.length; i++) {
      types[i] = parts[i].getType();
      values[i] = value(types[i], parts[i].getName().toLowerCase(Locale.ROOT), thread, depth + 1);
    }
    try {
      Constructor<?> c = type.getDeclaredConstructor(types);
      return c.newInstance(values);
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }

  /** A plain structure (MEMORY_BASIC_INFORMATION, MEMORYSTATUSEX) with random public fields. */
  private Object bean(Class<?> type, FuzzThread thread) {
    Object o;
    try {
      o = type.getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      return null;
    }
    if (thread.prng.nextBoolean()) {
      return o;
    }
    for (Field f : type.getFields()) {
      int m = f.getModifiers();
      if (Modifier.isStatic(m) || Modifier.isFinal(m)) {
        continue;
      }
      try {
        if (f.getType() == int.class) {
          f.setInt(o, intValue(f.getName().toLowerCase(Locale.ROOT), thread));
        } else if (f.getType() == long.class) {
          f.setLong(o, longValue(f.getName().toLowerCase(Locale.ROOT), thread));
        }
      } catch (IllegalAccessException e) {
        // a field the fuzzer cannot set keeps its value
      }
    }
    return o;
  }

  /** Every {@code static final int} the given classes define, by name. */
  static TreeMap<String, Integer> constantsOf(Class<?>... classes) {
    TreeMap<String, Integer> values = new TreeMap<>();
    for (Class<?> c : classes) {
      for (Field f : c.getFields()) {
        int m = f.getModifiers();
        if (Modifier.isStatic(m) && Modifier.isFinal(m) && f.getType() == int.class) {
          try {
            values.put(f.getName(), f.getInt(null));
          } catch (IllegalAccessException e) {
            // not readable: not a constant a guest could name either
          }
        }
      }
    }
    return values;
  }
}
