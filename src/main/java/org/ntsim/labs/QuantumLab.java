package org.ntsim.labs;

import java.io.PrintStream;
import org.ntsim.hal.Device;
import org.ntsim.hal.Machine;
import org.ntsim.hal.Prng;
import org.ntsim.hal.TimeCategory;
import org.ntsim.ke.DispatcherObject;
import org.ntsim.ke.KInterrupt;
import org.ntsim.ke.Kdpc;
import org.ntsim.ke.Kernel;
import org.ntsim.ke.WaitBlock;
import org.ntsim.ke.WaitReason;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.EThread;
import org.ntsim.ps.PsConstants;
import org.ntsim.win32.Ntos;

/**
 * Quantum accounting, XP's against Vista's, and the foreground stretch (Windows Internals 5th
 * ed., ch. 5, "Quantum Accounting" and "Controlling the Quantum").
 *
 * <p>Two CPU-bound threads at priority 8 take turns on processor 0 while a device interrupts it
 * every {@value #DEVICE_PERIOD_NS} ns on average (the seed picks each gap, within a fifth of it;
 * an ISR of {@value #ISR_WORK_NS} ns queueing a DPC of {@value #DPC_WORK_NS} ns): first with XP's tick accounting, where every clock tick takes a third
 * of a quantum from the thread it finds, then with Vista's cycle accounting, where the thread is
 * charged only the cycles it ran. Then, without the device, a thread of the foreground process
 * takes turns with one of a background process. The lab switches the accounting itself for each
 * part ({@code Kernel.setQuantumAccounting}), whatever {@code --quantum-accounting} says.
 *
 * <p>Each thread measures itself between its {@value #FIRST_MEASURED}th and {@value #QUANTA}th
 * quantum end (the kernel's per-thread count): its exact CPU time, the clock ticks and the
 * quantum ends of both threads, and processor 0's interrupt and DPC time over that stretch.
 */
final class QuantumLab implements Lab {
  static final int LINE = 18;
  static final int VECTOR = 0x72;
  static final int DIRQL = 12;
  static final long DEVICE_PERIOD_NS = 250_000;
  static final long ISR_WORK_NS = 25_000;
  static final long DPC_WORK_NS = 75_000;
  static final int QUANTA = 10; // a cruncher stops at its tenth quantum end
  static final int FIRST_MEASURED = 2; // and measures from its second
  private static final long CHUNK_NS = 50_000;

  /** A device that interrupts about every {@link #DEVICE_PERIOD_NS} while it is on. */
  static final class BusyDevice extends Device {
    private final Prng gaps;
    boolean on;
    long interrupts;

    BusyDevice(Machine machine) {
      super(machine, "busy", LINE);
      this.gaps = machine.prng.split("quantum");
    }

    private long gapNs() {
      return gaps.nextLong(DEVICE_PERIOD_NS * 4 / 5, DEVICE_PERIOD_NS * 6 / 5);
    }

    void start(long atNs) {
      on = true;
      machine.events.schedule(atNs + gapNs(), this::fire);
    }

    private void fire(long t) {
      if (!on) {
        return;
      }
      interrupts++;
      machine.ioApic.raise(line, t);
      machine.events.schedule(t + gapNs(), this::fire);
    }
  }

  /** One cruncher's measurement, between two of its own quantum ends. */
  static final class Cruncher {
    final String role;
    EThread thread;
    long quantumTargetCycles;
    int quantumReset;
    long cpuNs; // its exact CPU time over the measured stretch
    long measuredQuanta; // its quantum ends over it
    long allQuanta; // both crunchers' quantum ends over it
    long ticks;
    long elapsedNs;
    long interruptAndDpcNs; // processor 0's, over the same stretch
    boolean measured;

    Cruncher(String role) {
      this.role = role;
    }

    double cpuPerQuantumMs() {
      return measuredQuanta == 0 ? 0 : cpuNs / 1e6 / measuredQuanta;
    }

    double ticksPerQuantum() {
      return allQuanta == 0 ? 0 : (double) ticks / allQuanta;
    }

    double interruptShare() {
      return elapsedNs == 0 ? 0 : (double) interruptAndDpcNs / elapsedNs;
    }
  }

  final Cruncher[] ticks = {new Cruncher("ticks A"), new Cruncher("ticks B")};
  final Cruncher[] cycles = {new Cruncher("cycles A"), new Cruncher("cycles B")};
  final Cruncher[] foreground = {new Cruncher("foreground"), new Cruncher("background")};
  private BusyDevice device;
  private boolean configuredCycles;
  private boolean done;

  @Override
  public String name() {
    return "quantum";
  }

  @Override
  public String description() {
    return "XP's tick-charged quantum against Vista's cycle-charged one under an interrupt-heavy"
        + " device, and the foreground quantum stretch";
  }

  @Override
  public long timeLimitNs() {
    return 20_000_000_000L;
  }

  @Override
  public void start(Ntos os) {
    configuredCycles = os.kernel.quantumInCycles();
    device = new BusyDevice(os.machine);
    os.machine.ioApic.route(LINE, VECTOR, DIRQL, 1); // processor 0
    long controllerAffinity = os.machine.cpuCount() > 1 ? 0b10 : 0b01;
    EThread controller = os.ps.createThread(os.ps.systemProcess(), "QuantumLab",
        "quantum!Controller", 15, 0, true, () -> {
          control(os);
          return 0;
        }, true);
    os.kernel.setAffinityThread(controller, controllerAffinity);
    os.ps.startThread(controller);
  }

  private void control(Ntos os) {
    Kernel ke = os.kernel;
    Kdpc dpc = ke.initializeDpc("busy!DpcForIsr", (d, context, a1, a2) -> ke.spend(DPC_WORK_NS),
        null, os.pool.allocateNonPaged(0x20, "Kdpc"));
    KInterrupt interrupt = ke.initializeInterrupt("busy!InterruptService", (i, context) -> {
      ke.spend(ISR_WORK_NS);
      ke.insertQueueDpc(dpc, null, null);
      return true;
    }, null, null, VECTOR, DIRQL, DIRQL, KInterrupt.LATCHED, false, 0,
        os.pool.allocateNonPaged(0x270, "IntO"));
    ke.connectInterrupt(interrupt);
    device.start(os.machine.activeCpu().clockNs());

    ke.setQuantumAccounting(false);
    EProcess xp = os.ps.createProcess("ticks.exe", os.ps.systemProcess(),
        PsConstants.NORMAL_PRIORITY_CLASS, os.ps.allProcessorsMask());
    race(os, xp, xp, ticks);

    ke.setQuantumAccounting(true);
    EProcess vista = os.ps.createProcess("cycles.exe", os.ps.systemProcess(),
        PsConstants.NORMAL_PRIORITY_CLASS, os.ps.allProcessorsMask());
    race(os, vista, vista, cycles);
    device.on = false;
    ke.disconnectInterrupt(interrupt);

    EProcess fg = os.ps.createProcess("foreground.exe", os.ps.systemProcess(),
        PsConstants.NORMAL_PRIORITY_CLASS, os.ps.allProcessorsMask());
    EProcess bg = os.ps.createProcess("background.exe", os.ps.systemProcess(),
        PsConstants.NORMAL_PRIORITY_CLASS, os.ps.allProcessorsMask());
    ke.setForegroundProcess(fg);
    race(os, fg, bg, foreground);
    ke.setForegroundProcess(null);
    ke.setQuantumAccounting(configuredCycles);
    done = true;
  }

  /** Runs one cruncher in each of {@code first} and {@code second} on processor 0 to the end. */
  private void race(Ntos os, EProcess first, EProcess second, Cruncher[] pair) {
    EProcess[] owners = {first, second};
    DispatcherObject[] threads = new DispatcherObject[2];
    for (int i = 0; i < 2; i++) {
      Cruncher me = pair[i];
      Cruncher other = pair[1 - i];
      me.thread = os.ps.createThread(owners[i], me.role, "quantum!Cruncher", 8, 0, false,
          () -> {
            crunch(os, me, other);
            return 0;
          }, true);
      os.kernel.setAffinityThread(me.thread, 0b01);
      threads[i] = me.thread;
    }
    for (Cruncher c : pair) {
      c.quantumReset = c.thread.kprocess().quantumReset();
      c.quantumTargetCycles = c.quantumReset * os.kernel.cyclesPerQuantumUnit();
      os.ps.startThread(c.thread);
    }
    os.kernel.waitForMultipleObjects(threads, 2, WaitBlock.WAIT_ALL, WaitReason.EXECUTIVE,
        Kernel.KERNEL_MODE, false, -1);
  }

  /**
   * A CPU-bound loop that notices its own quantum ends (the kernel's count moves while it is
   * switched out) and measures itself between the {@link #FIRST_MEASURED}th and the
   * {@link #QUANTA}th: each reading is taken at the first chunk boundary after a quantum end.
   */
  private static void crunch(Ntos os, Cruncher me, Cruncher other) {
    Kernel ke = os.kernel;
    long startCpu = 0;
    long startOthers = 0;
    long startTicks = 0;
    long startNs = 0;
    long startInterruptNs = 0;
    long seen = me.thread.quantumEnds();
    while (seen < QUANTA) {
      ke.spend(CHUNK_NS);
      long ends = me.thread.quantumEnds();
      if (ends == seen) {
        continue;
      }
      seen = ends;
      long cpu = me.thread.exactUserNs() + me.thread.exactKernelNs();
      long others = other.thread.quantumEnds();
      long now = os.machine.activeCpu().clockNs();
      long interruptNs = interruptAndDpcNs(os);
      if (ends == FIRST_MEASURED) {
        startCpu = cpu;
        startOthers = others;
        startTicks = ke.tickCount();
        startNs = now;
        startInterruptNs = interruptNs;
      } else if (ends == QUANTA) {
        me.cpuNs = cpu - startCpu;
        me.measuredQuanta = QUANTA - FIRST_MEASURED;
        me.allQuanta = me.measuredQuanta + others - startOthers;
        me.ticks = ke.tickCount() - startTicks;
        me.elapsedNs = now - startNs;
        me.interruptAndDpcNs = interruptNs - startInterruptNs;
        me.measured = true;
      }
    }
  }

  private static long interruptAndDpcNs(Ntos os) {
    return os.machine.cpu(0).exactNs(TimeCategory.INTERRUPT)
        + os.machine.cpu(0).exactNs(TimeCategory.DPC);
  }

  @Override
  public boolean finished(Ntos os) {
    return done || os.machine.stopped();
  }

  @Override
  public void report(Ntos os, PrintStream out) {
    double intervalMs = os.machine.config.clockIntervalNs / 1e6;
    long unit = os.kernel.cyclesPerQuantumUnit();
    out.printf("quantum: two threads at priority 8 take turns on processor 0; a device interrupts"
        + " it about every %d us (ISR %d us, DPC %d us), %d times in all.%n",
        DEVICE_PERIOD_NS / 1000,
        ISR_WORK_NS / 1000, DPC_WORK_NS / 1000, device.interrupts);
    out.printf("Clock interval %.3f ms; KiCyclesPerClockQuantum %d cycles (a third of an"
        + " interval at %d cycles a microsecond). The lab sets each part's accounting itself"
        + " (configured: %s).%n%n", intervalMs, unit, os.machine.cost.cyclesPerMicrosecond,
        configuredCycles ? "cycles" : "ticks");
    out.printf("%-26s %12s %14s %16s %16s%n", "thread (accounting)", "QuantumReset",
        "ticks/quantum", "CPU/quantum (ms)", "interrupt+DPC");
    row(out, ticks[0], "XP ticks");
    row(out, cycles[0], "Vista cycles");
    Cruncher xp = ticks[0];
    out.println();
    out.printf("Windows Internals expects (XP, tick accounting): a quantum of %d units ends at"
        + " the %s clock tick whatever ran in the interval, so %d ticks a quantum, and the"
        + " thread gets %.3f ms less the interrupt and DPC share (%.1f%% measured): %.2f ms.%n",
        xp.quantumReset, ordinal(xp.quantumReset / 3), xp.quantumReset / 3,
        xp.quantumReset / 3.0 * intervalMs, 100 * xp.interruptShare(),
        xp.quantumReset / 3.0 * intervalMs * (1 - xp.interruptShare()));
    Cruncher vista = cycles[0];
    out.printf("Windows Internals expects (Vista, cycle accounting): only the thread's own cycles"
        + " count, so it gets at least its quantum target, %d cycles (%.3f ms), whatever the"
        + " device took; quantum end is found at a clock tick, so less than one interval more"
        + " (under %.3f ms).%n%n", vista.quantumTargetCycles, vista.quantumReset / 3.0
        * intervalMs, (vista.quantumReset / 3.0 + 1) * intervalMs);

    out.println("Foreground stretch (cycle accounting, no device; Win32PrioritySeparation "
        + os.machine.config.win32PrioritySeparation + ", PsPrioritySeparation "
        + os.kernel.prioritySeparation() + "):");
    out.printf("%-26s %12s %14s %16s %16s%n", "thread (process)", "QuantumReset",
        "target cycles", "CPU/quantum (ms)", "quantum ends");
    for (Cruncher c : foreground) {
      String who = c.role + " (" + c.thread.process().imageName() + ")";
      String cpu = c.measured ? String.format("%.2f", c.cpuPerQuantumMs()) : "n/a";
      out.printf("%-26s %12d %14d %16s %16d%n", who, c.quantumReset, c.quantumTargetCycles, cpu,
          c.thread.quantumEnds());
    }
    Cruncher f = foreground[0];
    Cruncher b = foreground[1];
    out.printf("Windows Internals expects: on a client with short variable quanta the foreground"
        + " process's quantum is three times a background one's (18 units against 6); measured:"
        + " QuantumReset %d against %d (%.1fx), CPU per quantum %s.%n", f.quantumReset,
        b.quantumReset, b.quantumReset == 0 ? 0 : (double) f.quantumReset / b.quantumReset,
        f.measured && b.measured && b.cpuNs > 0
            ? String.format("%.2fx (each quantum also runs on to the next tick)",
                f.cpuPerQuantumMs() / b.cpuPerQuantumMs()) : "n/a");
    out.println("Look at it: ntsim run quantum --trace quantum.json, the QUANTUM_END events on"
        + " CPU 0.");
  }

  private static void row(PrintStream out, Cruncher c, String accounting) {
    if (!c.measured) {
      out.printf("%-26s %12d %14s %16s %16s%n", c.role + " (" + accounting + ")", c.quantumReset,
          "n/a", "n/a", "n/a");
      return;
    }
    out.printf("%-26s %12d %14.2f %16.2f %15.1f%%%n", c.role + " (" + accounting + ")",
        c.quantumReset, c.ticksPerQuantum(), c.cpuPerQuantumMs(), 100 * c.interruptShare());
  }

  private static String ordinal(int n) {
    return switch (n) {
      case 1 -> "first";
      case 2 -> "second";
      case 3 -> "third";
      default -> n + "th";
    };
  }
}
