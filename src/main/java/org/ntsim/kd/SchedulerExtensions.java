package org.ntsim.kd;

import java.util.List;
import java.util.Locale;
import org.ntsim.hal.Irql;
import org.ntsim.ke.KPrcb;
import org.ntsim.ke.KThread;
import org.ntsim.ps.EThread;

/**
 * The dispatcher's view per processor: {@code !running} (CurrentThread and NextThread of each
 * KPRCB, the idle and active processor masks) and {@code !ready} (each processor's ready queues,
 * highest priority first, FIFO within a priority as the dispatcher will take them).
 *
 * <p>Left out: queued spin locks (the model has none, so the sixteen LockQueue columns are always
 * dots) and stacks ({@code -t} says where the thread started and what it is doing instead).
 */
final class SchedulerExtensions {
  private static final String NO_QUEUED_LOCKS = "................";

  private final KdTarget target;
  private final ThreadExtension threads;

  SchedulerExtensions(KdTarget target, ThreadExtension threads) {
    this.target = target;
    this.threads = threads;
  }

  /** Registers {@code !running} and {@code !ready}. */
  static void register(KdCommands table) {
    SchedulerExtensions e =
        new SchedulerExtensions(table.target(), new ThreadExtension(table.target()));
    table.register("!running", "!running [-i] [-t]",
        "CurrentThread and NextThread of each busy (-i: every) processor", e::running);
    table.register("!ready", "!ready [<flags>]",
        "ready threads per processor, highest priority first", e::ready);
    table.example("!running", "!running -t");
    table.example("!ready", "!ready 6");
  }

  /** {@code !running [-i] [-t]}: -i lists idle processors too, -t adds what each thread runs. */
  void running(Listing out, List<String> args) {
    boolean idleToo = false;
    boolean stacks = false;
    for (String a : args) {
      if (!a.startsWith("-") || a.length() < 2) {
        throw KdError.unresolved(a);
      }
      for (char c : a.substring(1).toLowerCase(Locale.ROOT).toCharArray()) {
        switch (c) {
          case 'i' -> idleToo = true;
          case 't' -> stacks = true;
          default -> throw new KdError("Unknown option '" + c + "'");
        }
      }
    }
    long idleMask = target.idleProcessorsMask();
    out.blank();
    out.format("System Processors:  (%s)", KdFormat.hex8(target.allProcessorsMask()));
    out.format("  Idle Processors:  (%s)", KdFormat.hex8(idleMask));
    out.blank();
    if (!idleToo && idleMask == target.allProcessorsMask()) {
      out.line("All processors idle.");
      return;
    }
    out.format("%7s%-10s%-8s%-6s%-8s%-6s%s", "", "Prcbs", "Current", "(pri)", "Next", "(pri)",
        "Idle");
    for (int cpu = 0; cpu < target.cpuCount(); cpu++) {
      if (idleToo || !target.isIdle(cpu)) {
        processorRow(out, cpu);
        if (stacks) {
          whatRuns(out, cpu);
        }
      }
    }
    if (!stacks) {
      out.blank();
    }
  }

  private void processorRow(Listing out, int cpu) {
    KPrcb p = target.prcb(cpu);
    KThread current = p.currentThread();
    KThread next = p.nextThread();
    String nextText = next == null ? " ".repeat(13)
        : String.format(Locale.ROOT, "%s (%2d)", KdFormat.hex8(next.address), next.priority());
    out.format("%3d    %s  %s (%2d) %s %s  %s", cpu, KdFormat.hex8(KdTarget.prcbAddress(cpu)),
        KdFormat.hex8(current.address), current.priority(), nextText,
        KdFormat.hex8(p.idleThread().address), NO_QUEUED_LOCKS);
  }

  /** Stands in for the stack WinDbg prints: the thread's start routine, mode and IRQL. */
  private void whatRuns(Listing out, int cpu) {
    KThread t = target.prcb(cpu).currentThread();
    String start = t instanceof EThread e ? KdSymbols.name(e.startSymbol()) : "?";
    int irql = target.prcb(cpu).cpu.irql();
    out.blank();
    out.format("ntsim: no stacks are modelled; %s started at %s, %s mode, %s", nameOf(t), start,
        t.isIdleThread() || t.inKernel() ? "kernel" : "user", Irql.name(irql));
    out.blank();
  }

  private static String nameOf(KThread t) {
    return t.name() != null ? t.name() : KdFormat.hex8(t.address);
  }

  /** {@code !ready [flags]}: each processor's ready threads, highest priority first. */
  void ready(Listing out, List<String> args) {
    int flags = args.isEmpty() ? 0 : KdFormat.flags(args.get(0));
    for (int cpu = 0; cpu < target.cpuCount(); cpu++) {
      KPrcb p = target.prcb(cpu);
      if (p.readySummary() == 0) {
        out.format("Processor %d: No threads in READY state", cpu);
        continue;
      }
      for (int priority = 31; priority >= 0; priority--) {
        if ((p.readySummary() & (1 << priority)) == 0) {
          continue;
        }
        out.format("Processor %d: Ready Threads at priority %d", cpu, priority);
        for (KThread t : p.readyAt(priority)) {
          threads.print(out, t, "    ", flags);
        }
      }
    }
  }
}
