package org.ntsim.labs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.ntsim.win32.Ntos;

/** The catalogue of built-in labs, and the loop that runs one to its end. */
public final class Labs {
  private static final Map<String, Supplier<Lab>> BUILT_IN = new TreeMap<>();

  static {
    BUILT_IN.put("quickstart", QuickstartLab::new);
    BUILT_IN.put("cpu-accounting", CpuAccountingLab::new);
    BUILT_IN.put("stress", StressLab::new);
    BUILT_IN.put("sync-stress", SyncStressLab::new);
    BUILT_IN.put("dpc-wait", DpcWaitLab::new);
    BUILT_IN.put("kqueue", KQueueLab::new);
    BUILT_IN.put("waits", WaitsLab::new);
    BUILT_IN.put("apc", ApcLab::new);
    BUILT_IN.put("abandoned-mutex", AbandonedMutexLab::new);
    BUILT_IN.put("page-tables", PageTablesLab::new);
    BUILT_IN.put("vm-stress", VmStressLab::new);
    BUILT_IN.put("testlimit", TestLimitLab::new);
    BUILT_IN.put("working-set", WorkingSetLab::new);
    BUILT_IN.put("interrupts", InterruptsLab::new);
    BUILT_IN.put("quantum", QuantumLab::new);
  }

  private Labs() {}

  /**
   * Runs a started lab until it finishes, the machine stops, or {@code limitNs} of simulated time
   * passes, one clock interval at a time.
   */
  public static void runToEnd(Lab lab, Ntos os, long limitNs) {
    runToEnd(lab, os, limitNs, () -> {});
  }

  /**
   * As {@link #runToEnd(Lab, Ntos, long)}, calling {@code afterStep} after each clock interval of
   * simulated time (a progress display; it must not touch the machine).
   */
  public static void runToEnd(Lab lab, Ntos os, long limitNs, Runnable afterStep) {
    long end = os.machine.nowNs() + limitNs;
    long step = os.machine.config.clockIntervalNs;
    while (!lab.finished(os) && !os.machine.stopped() && os.machine.nowNs() < end) {
      os.machine.runUntil(Math.min(end, os.machine.nowNs() + step));
      afterStep.run();
    }
  }

  /**
   * Runs a started lab to its break-in point ({@link Lab#breakInNs}), where {@code ntsim kd}
   * takes its first command; does nothing for a lab that breaks in at its start.
   */
  public static void runToBreakIn(Lab lab, Ntos os) {
    if (lab.breakInNs() > 0) {
      os.machine.runUntil(os.machine.nowNs() + lab.breakInNs());
    }
  }

  /** Built-in lab names, sorted. */
  public static List<String> names() {
    return new ArrayList<>(BUILT_IN.keySet());
  }

  /**
   * A fresh instance of the built-in lab called {@code name}; IllegalArgumentException, naming
   * the built-in labs, for another name. A user's own lab or guest class is loaded by the
   * command line's guest loader.
   */
  public static Lab create(String name) {
    Supplier<Lab> s = BUILT_IN.get(name);
    if (s == null) {
      throw new IllegalArgumentException("no built-in lab called '" + name + "' (built-in labs: "
          + String.join(", ", names()) + ")");
    }
    return s.get();
  }

}
