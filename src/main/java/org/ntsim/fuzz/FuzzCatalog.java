package org.ntsim.fuzz;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.ntsim.hal.Prng;

/**
 * The calls a guest can make: every public instance method of the guest facades (Kernel32,
 * Ntdll, GuestContext, and the MemoryAccess that GuestContext.memory() hands out), found by
 * reflection, so that a call added to one of them is fuzzed as soon as it exists. The list
 * is sorted by signature (reflection's own order is unspecified), so a seed picks the same calls
 * on every JVM.
 *
 * <p>Calls that end a thread or a process, or stop one, are picked a twentieth as often as the rest:
 * they are fuzzed, but a thread should live long enough to build up handles and regions.
 */
final class FuzzCatalog {
  /**
   * One facade method; {@code facade} is its class's place in the catalog: 0 Kernel32, 1 Ntdll,
   * 2 GuestContext, 3 MemoryAccess (a guest's, from GuestContext.memory()).
   */
  record Call(int facade, Method method, String signature, Class<?>[] types, String[] names,
      String[] hints) {
    Call(int facade, Method method, String signature) {
      this(facade, method, signature, method.getParameterTypes(), names(method), hints(method));
    }

    String name() {
      return method.getName();
    }

    private static String[] names(Method m) {
      Parameter[] ps = m.getParameters();
      String[] out = new String[ps.length];
      for (int i = 0; i < ps.length; i++) {
        out[i] = ps[i].getName();
      }
      return out;
    }

    /** Each parameter's name in lower case, or "" when the class file does not have it. */
    private static String[] hints(Method m) {
      Parameter[] ps = m.getParameters();
      String[] out = new String[ps.length];
      for (int i = 0; i < ps.length; i++) {
        out[i] = ps[i].isNamePresent() ? ps[i].getName().toLowerCase(Locale.ROOT) : "";
      }
      return out;
    }
  }

  private static final Set<String> DISRUPTIVE = Set.of("ExitProcess", "ExitThread",
      "TerminateProcess", "NtTerminateProcess", "TerminateThread", "NtTerminateThread",
      "SuspendThread", "NtSuspendThread");
  private static final int WEIGHT = 20;

  private final List<Call> calls = new ArrayList<>();
  private final int[] cumulativeWeight;

  FuzzCatalog(Class<?>... facades) {
    for (int f = 0; f < facades.length; f++) {
      List<Method> methods = new ArrayList<>();
      for (Method m : facades[f].getMethods()) {
        if (m.getDeclaringClass() == facades[f] && !Modifier.isStatic(m.getModifiers())) {
          methods.add(m);
        }
      }
      methods.sort(Comparator.comparing(FuzzCatalog::signature));
      for (Method m : methods) {
        calls.add(new Call(f, m, facades[f].getSimpleName() + "." + signature(m)));
      }
    }
    cumulativeWeight = new int[calls.size()];
    int total = 0;
    for (int i = 0; i < calls.size(); i++) {
      total += DISRUPTIVE.contains(calls.get(i).name()) ? 1 : WEIGHT;
      cumulativeWeight[i] = total;
    }
  }

  private static String signature(Method m) {
    StringBuilder s = new StringBuilder(m.getName()).append('(');
    for (Class<?> p : m.getParameterTypes()) {
      s.append(p.getSimpleName()).append(',');
    }
    return s.append(')').toString();
  }

  List<Call> calls() {
    return calls;
  }

  Call pick(Prng r) {
    int x = r.nextInt(cumulativeWeight[cumulativeWeight.length - 1]);
    int lo = 0;
    int hi = cumulativeWeight.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulativeWeight[mid] > x) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return calls.get(lo);
  }
}
