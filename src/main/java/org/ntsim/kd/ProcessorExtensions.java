package org.ntsim.kd;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.ntsim.hal.Cpu;
import org.ntsim.hal.Irql;
import org.ntsim.hal.TimeCategory;
import org.ntsim.ke.KPrcb;
import org.ntsim.ke.KTimer;
import org.ntsim.ke.Kdpc;
import org.ntsim.ke.SystemTime;
import org.ntsim.ke.WaitBlock;
import org.ntsim.kd.layout.StructType;
import org.ntsim.kd.layout.VistaX86Types;

/**
 * Per-processor blocks and queues: {@code !pcr} (the KPCR read from simulated memory, laid out as
 * kdexts prints it, then the KPRCB's counters and tick-sampled times beside the exact ones),
 * {@code !prcb}, {@code !dpcs} (each processor's DPC
 * queue in the order it will drain, with the depth and rate that decide when the DISPATCH_LEVEL
 * interrupt is requested), {@code !irql} and {@code !timer} (the timer table's lists).
 *
 * <p>Left out: NT_TIB, IDT, GDT and TSS are not modelled (they read as zero), nor interrupt
 * controller registers other than the requests pending per IRQL (IRR); threaded DPCs (every
 * queue is the Normal one); calendar dates (timer due times print as uptime).
 */
final class ProcessorExtensions {
  private final KdTarget target;

  ProcessorExtensions(KdTarget target) {
    this.target = target;
  }

  /** Registers {@code !dpcs}, {@code !pcr}, {@code !prcb}, {@code !irql} and {@code !timer}. */
  static void register(KdCommands table) {
    ProcessorExtensions e = new ProcessorExtensions(table.target());
    table.register("!dpcs", "!dpcs [<processor>]",
        "DPC queues with queue depth and request rate", e::dpcs);
    table.register("!pcr", "!pcr [<processor>]",
        "KPCR/KPRCB: threads, IRQL, DPC queue, interrupt and DPC counts", e::pcr);
    table.register("!prcb", "!prcb [<processor>]",
        "the KPRCB: threads, number, interrupt count, times", e::prcb);
    table.register("!irql", "!irql [<processor>]", "the IRQL a processor was stopped at",
        e::irql);
    table.register("!timer", "!timer", "the timer table: due times and what each timer releases",
        (o, a) -> e.timer(o));
    table.example("!dpcs", "!dpcs 1");
    table.example("!pcr", "!pcr 0");
    table.example("!prcb", "!prcb 1");
    table.example("!irql", "!irql 1");
    table.example("!timer", "!timer");
  }

  /** Reads the optional processor argument; the current processor when there is none. */
  private int processorArgument(List<String> args) {
    if (args.isEmpty()) {
      return target.currentCpu();
    }
    long n = KdFormat.number(args.get(0));
    if (n < 0 || n >= target.cpuCount()) {
      throw new KdError("Cannot get PRCB address for processor " + args.get(0));
    }
    return (int) n;
  }

  /**
   * {@code !pcr [processor]}: the KPCR as kdexts prints it (learn.microsoft.com, "!pcr": the NT_TIB
   * block, SelfPcr to TSS, the three threads, the DPC queue), every value read from the KPCR in
   * simulated memory at the address the header names; then ntsim's own KPRCB counters.
   */
  void pcr(Listing out, List<String> args) {
    int n = processorArgument(args);
    KPrcb p = target.prcb(n);
    long pcr = KdTarget.pcrAddress(n);
    StructType t = VistaX86Types.KPCR;
    StructType tib = VistaX86Types.NT_TIB;
    out.format("KPCR for Processor %d at %s:", n, KdFormat.hex8(pcr));
    out.format("    Major %d Minor %d", read(pcr + t.offset("MajorVersion"), 2),
        read(pcr + t.offset("MinorVersion"), 2));
    field(out, "NtTib.ExceptionList", dword(pcr + tib.offset("ExceptionList")));
    field(out, "NtTib.StackBase", dword(pcr + tib.offset("StackBase")));
    field(out, "NtTib.StackLimit", dword(pcr + tib.offset("StackLimit")));
    field(out, "NtTib.SubSystemTib", dword(pcr + tib.offset("SubSystemTib")));
    field(out, "NtTib.Version", dword(pcr + tib.offset("Version")));
    field(out, "NtTib.UserPointer", dword(pcr + tib.offset("ArbitraryUserPointer")));
    field(out, "NtTib.SelfTib", dword(pcr + tib.offset("Self")));
    out.blank();
    for (String name : new String[] {"SelfPcr", "Prcb"}) {
      field(out, name, dword(pcr + t.offset(name)));
    }
    field(out, "Irql", KdFormat.hex8(read(pcr + t.offset("Irql"), 1)));
    for (String name : new String[] {"IRR", "IDR", "InterruptMode", "IDT", "GDT", "TSS"}) {
      field(out, name, dword(pcr + t.offset(name)));
    }
    out.blank();
    long prcb = pcr + KdTarget.PRCB_OFFSET;
    StructType pt = VistaX86Types.KPRCB;
    field(out, "CurrentThread", dword(prcb + pt.offset("CurrentThread")));
    field(out, "NextThread", dword(prcb + pt.offset("NextThread")));
    field(out, "IdleThread", dword(prcb + pt.offset("IdleThread")));
    out.blank();
    List<Kdpc> queue = p.queuedDpcs();
    out.format("\t%19s: %s", "DpcQueue", queue.isEmpty() ? "" : " " + dpcText(queue.get(0)));
    for (Kdpc d : queue.subList(Math.min(1, queue.size()), queue.size())) {
      out.line("\t" + " ".repeat(22) + dpcText(d));
    }
    out.blank();
    prcbCounters(out, p);
  }

  /**
   * {@code !prcb [processor]} (processor 0 when none is given, as kdexts does;
   * learn.microsoft.com, "!prcb"): the threads, the processor's number and set member, its
   * interrupt count and its times in clock ticks, read from the KPRCB in simulated memory.
   */
  void prcb(Listing out, List<String> args) {
    int n = args.isEmpty() ? 0 : processorArgument(args);
    long prcb = KdTarget.prcbAddress(n);
    StructType t = VistaX86Types.KPRCB;
    out.format("PRCB for Processor %d at %s:", n, KdFormat.hex8(prcb));
    out.format("Threads--  Current %s Next %s Idle %s", dword(prcb + t.offset("CurrentThread")),
        dword(prcb + t.offset("NextThread")), dword(prcb + t.offset("IdleThread")));
    out.format("Number %d SetMember %s", read(prcb + t.offset("Number"), 1),
        dword(prcb + t.offset("SetMember")));
    out.format("Interrupt Count -- %s", dword(prcb + t.offset("InterruptCount")));
    out.format("Times -- Dpc    %s Interrupt %s ", dword(prcb + t.offset("DpcTime")),
        dword(prcb + t.offset("InterruptTime")));
    out.format("         Kernel %s User      %s", dword(prcb + t.offset("KernelTime")),
        dword(prcb + t.offset("UserTime")));
  }

  private long read(long va, int bytes) {
    return target.readVirtual(va, bytes);
  }

  /** A dword of the image as kdexts prints it, or {@code ????????} where it cannot be read. */
  private String dword(long va) {
    long v = read(va, 4);
    return v < 0 ? "????????" : KdFormat.hex8(v);
  }

  private static void field(Listing out, String name, String value) {
    out.format("\t%19s: %s", name, value);
  }

  /** Bit L set for each IRQL L with an interrupt requested and not yet taken. */
  private static long pendingRequests(Cpu cpu) {
    long mask = 0;
    for (int level = 0; level < Irql.LEVELS; level++) {
      if (cpu.isPending(level)) {
        mask |= 1L << level;
      }
    }
    return mask;
  }

  private void prcbCounters(Listing out, KPrcb p) {
    Cpu cpu = p.cpu;
    out.format("ntsim: KPRCB of processor %d (times sampled at clock ticks, then exact)", p.number);
    field(out, "ContextSwitches", Long.toString(p.contextSwitches()));
    field(out, "DpcCount", Long.toString(p.dpcCount()));
    field(out, "DpcQueueDepth", p.dpcQueueDepth() + " (MaximumDpcQueueDepth "
        + p.maximumDpcQueueDepth() + ")");
    field(out, "DpcRequestRate", p.dpcRequestRate() + " (MinimumDpcRate " + p.minimumDpcRate()
        + ")");
    field(out, "ReadySummary", KdFormat.hex8(p.readySummary()) + " (" + p.readyCount()
        + " ready)");
    field(out, "InterruptCount", cpu.interruptCount() + " (" + cpu.ipisReceived() + " IPIs)");
    time(out, "InterruptTime", p.interruptTicks(), cpu.exactNs(TimeCategory.INTERRUPT));
    time(out, "DpcTime", p.dpcTicks(), cpu.exactNs(TimeCategory.DPC));
    time(out, "KernelTime", p.kernelTicks(), cpu.exactNs(TimeCategory.KERNEL));
    time(out, "UserTime", p.userTicks(), cpu.exactNs(TimeCategory.USER));
    time(out, "IdleTime", p.idleTicks(), cpu.exactNs(TimeCategory.IDLE));
  }

  private void time(Listing out, String name, long ticks, long exactNs) {
    field(out, name, ticks + " ticks (" + KdFormat.hhmmss(ticks * target.clockIntervalNs())
        + ")  exact " + KdFormat.exactMs(exactNs));
  }

  private static String dpcText(Kdpc d) {
    return "0x" + KdFormat.hex8(d.address) + " " + d.name();
  }

  /** {@code !dpcs [processor]}. */
  void dpcs(Listing out, List<String> args) {
    int first = args.isEmpty() ? 0 : processorArgument(args);
    int last = args.isEmpty() ? target.cpuCount() - 1 : first;
    out.line("CPU Type      KDPC       Function");
    for (int n = first; n <= last; n++) {
      for (Kdpc d : target.prcb(n).queuedDpcs()) {
        out.format("%2d: Normal  : %s  (%s importance)", n, dpcText(d),
            Kdpc.importanceName(d.importance()));
      }
    }
    out.blank();
    out.line("ntsim: queue depth and rate per processor (KPRCB)");
    out.line("CPU  DpcQueueDepth  MaximumDpcQueueDepth  DpcRequestRate  MinimumDpcRate  DpcCount");
    for (int n = first; n <= last; n++) {
      KPrcb p = target.prcb(n);
      out.format("%3d  %13d  %20d  %14d  %14d  %8d", n, p.dpcQueueDepth(),
          p.maximumDpcQueueDepth(), p.dpcRequestRate(), p.minimumDpcRate(), p.dpcCount());
    }
  }

  /**
   * The name x86 kdexts gives an IRQL: level 0 is LOW_LEVEL there (Microsoft's !irql page, a
   * dual-processor x86 example: {@code -- 0 (LOW_LEVEL)}, {@code -- 28 (CLOCK2_LEVEL)}).
   */
  static String x86IrqlName(int irql) {
    return irql == Irql.PASSIVE_LEVEL ? "LOW_LEVEL" : Irql.name(irql);
  }

  /** {@code !irql [processor]}: the IRQL the processor was at when the machine stopped. */
  void irql(Listing out, List<String> args) {
    int n = processorArgument(args);
    int irql = target.prcb(n).cpu.irql();
    out.format("Debugger saved IRQL for processor 0x%x -- %d (%s)", n, irql, x86IrqlName(irql));
  }

  /**
   * {@code !timer}: every inserted timer, list by list, as kdexts lays it out (Microsoft's !timer
   * reference page): the list number on a list's first timer only, P for a periodic timer, the
   * due interrupt time as two hex words and as a date, then the DPC routine or the first waiting
   * thread. Dates are KeBootTime (the kernel's {@link SystemTime}) plus the
   * interrupt time.
   */
  void timer(Listing out) {
    long now = target.machine().nowNs();
    long bootTime = SystemTime.of(target.kernel()).bootTime();
    out.line("Dump system timers");
    out.blank();
    long now100ns = now / 100;
    out.format("Interrupt time: %s %s [%s (%s)]", KdFormat.hex8(now100ns),
        KdFormat.hex8(now100ns >>> 32), KdFormat.date(bootTime, now), KdFormat.TIME_ZONE_NAME);
    out.blank();
    out.line("List Timer    Interrupt Low/High     Fire Time              DPC/thread");
    List<KTimer> timers = new ArrayList<>(target.kernel().timers());
    timers.sort(Comparator.comparingInt(KTimer::tableIndex));
    int list = -1;
    int length = 0;
    int longest = 0;
    for (KTimer t : timers) {
      long due100ns = t.dueTimeNs() / 100;
      length = t.tableIndex() == list ? length + 1 : 1;
      longest = Math.max(longest, length);
      out.format("%3s %s %s %s %s [%s]  %s", t.tableIndex() == list ? ""
          : Integer.toString(t.tableIndex()), KdFormat.hex8(t.address),
          t.periodNs() > 0 ? "P" : " ", KdFormat.hex8(due100ns), KdFormat.hex8(due100ns >>> 32),
          KdFormat.date(bootTime, t.dueTimeNs()), releases(t));
      list = t.tableIndex();
    }
    out.blank();
    out.format("Total Timers: %d, Maximum List: %d", timers.size(), longest);
  }

  /** The DPC routine, else {@code thread <address>} of the first thread waiting on the timer. */
  private static String releases(KTimer t) {
    if (t.dpc() != null) {
      return KdSymbols.name(t.dpc().name());
    }
    List<WaitBlock> waiters = t.waitBlocks();
    return waiters.isEmpty() ? "" : "thread " + KdFormat.hex8(waiters.get(0).thread().address);
  }
}
