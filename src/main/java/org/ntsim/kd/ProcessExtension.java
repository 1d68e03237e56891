package org.ntsim.kd;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ntsim.ke.KThread;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.PsConstants;

/**
 * {@code !process}: EPROCESS blocks as kdexts prints them on an x86 Vista target, alone or for
 * every process on PsActiveProcessHead ({@code !process 0 <flags> [image]}), with their threads.
 *
 * <p>Models the documented flag bits: 0x1 time and priority statistics, 0x2 threads with their
 * wait states, 0x4 threads (one line each without 0x2; with 0x2 the full !thread block, where
 * WinDbg would add the stack). Defaults as WinDbg's: 0x3 for the current process and for
 * {@code 0}, 0xF for a process given by address or ID.
 *
 * <p>Left out: sessions ("SessionId: none"), PEB and the handle table's address (00000000:
 * not modelled yet), quotas, tokens and device maps.
 */
final class ProcessExtension {
  private final KdTarget target;
  private final ThreadExtension threads;

  ProcessExtension(KdTarget target, ThreadExtension threads) {
    this.target = target;
    this.threads = threads;
  }

  /** Registers {@code !process}. */
  static void register(KdCommands table) {
    ProcessExtension e = new ProcessExtension(table.target(), new ThreadExtension(table.target()));
    table.register("!process", "!process [0|-1|<address>|<cid> [<flags> [<image>]]]",
        "processes; 0: all; flags 1 times, 2 threads and waits, 4 details", e::run);
    table.example("!process", "!process 0 1f demo.exe");
  }

  /** {@code !process [address|cid|0|-1] [flags] [image]}. */
  void run(Listing out, List<String> args) {
    if (args.isEmpty()) {
      print(out, currentProcess(), 0x3);
      return;
    }
    long selector = KdFormat.address(args.get(0));
    if (selector == 0) {
      int flags = args.size() > 1 ? KdFormat.flags(args.get(1)) : 0x3;
      String image = args.size() > 2 ? args.get(2) : null;
      all(out, flags, image);
      return;
    }
    EProcess p = selector == KdTarget.CURRENT ? currentProcess() : target.process(selector);
    if (p == null) {
      throw new KdError("Searching for Process with Cid == " + Long.toHexString(selector)
          + "\nUnable to read _EPROCESS at " + KdFormat.hex8(selector));
    }
    int defaultFlags = selector == KdTarget.CURRENT ? 0x3 : 0xF;
    int flags = args.size() > 1 ? KdFormat.flags(args.get(1)) : defaultFlags;
    print(out, p, flags);
  }

  private EProcess currentProcess() {
    KThread t = target.currentThread();
    EProcess p = KdTarget.processOf(t);
    return p != null ? p : target.os.ps.idleProcess();
  }

  private void all(Listing out, int flags, String image) {
    out.line("**** NT ACTIVE PROCESS DUMP ****");
    for (EProcess p : new ArrayList<>(target.activeProcesses())) {
      if (image == null || p.imageName().equalsIgnoreCase(image)) {
        print(out, p, flags);
      }
    }
  }

  /** One EPROCESS with the detail {@code flags} ask for, followed by an empty line. */
  void print(Listing out, EProcess p, int flags) {
    out.format("PROCESS %s  SessionId: none  Cid: %s    Peb: 00000000  ParentCid: %s",
        KdFormat.hex8(p.address), KdFormat.cid(p.pid()), KdFormat.cid(p.parentId()));
    org.ntsim.mm.AddressSpace as = p.addressSpace();
    out.format("    DirBase: %s  ObjectTable: 00000000  HandleCount: %4d.",
        KdFormat.hex8(as == null || as.isDeleted() ? 0 : as.directoryTableBase()),
        p.handleTable().count());
    out.line("    Image: " + p.imageName());
    if (as != null) {
      org.ntsim.mm.Vad root = as.vads().root();
      out.format("    VadRoot %s Vads %d Clone 0 Private %d. Modified 0. Locked %d.",
          KdFormat.hex8(root == null ? 0 : root.address()), as.vads().count(),
          as.validPrivatePages(), as.lockedPages());
    }
    if ((flags & 0x1) != 0) {
      statistics(out, p);
    }
    out.blank();
    if ((flags & 0x6) != 0) {
      for (KThread t : new ArrayList<KThread>(p.threads())) {
        threads.print(out, t, "        ", (flags & 0x2) != 0 ? 0x2 | (flags & 0x4) : 0);
        if ((flags & 0x6) == 0x2) {
          out.blank();
        }
      }
      if ((flags & 0x6) == 0x4 && !p.threads().isEmpty()) {
        out.blank();
      }
    }
  }

  private void statistics(Listing out, EProcess p) {
    long interval = target.clockIntervalNs();
    long end = p.exitTimeNs() >= 0 ? p.exitTimeNs() : target.machine().nowNs();
    out.format("    %-34s%s", "ElapsedTime", KdFormat.hhmmss(end - p.createTimeNs()));
    out.format("    %-34s%s", "UserTime", KdFormat.hhmmss(p.userTicks() * interval));
    out.format("    %-34s%s", "KernelTime", KdFormat.hhmmss(p.kernelTicks() * interval));
    out.format("    %-34s%d", "BasePriority", p.basePriority());
    org.ntsim.mm.AddressSpace as = p.addressSpace();
    if (as != null) {
      out.format("    %-34s%d", "CommitCharge", as.commitCharge());
      org.ntsim.mm.WorkingSet ws = as.workingSet();
      out.format("    %-34s(%d, %d, %d) (%dKB, %dKB, %dKB)", "Working Set Sizes (now,min,max)",
          as.workingSetPages(), ws.minimumPages(), ws.maximumPages(), as.workingSetPages() * 4,
          ws.minimumPages() * 4, ws.maximumPages() * 4);
      out.format("    %-34s%d", "PeakWorkingSetSize", as.peakValidPages() + as.pageTablePages() + 1);
      out.format("    %-34s%d (pages the last aging pass found unused)", "ntsim: WsUnusedEstimate",
          ws.unusedEstimate());
      out.format("    %-34s%d", "PageFaultCount", as.pageFaults());
    }
    out.format("    ntsim: PriorityClass %s  ActiveThreads %d  QuantumReset %d  ExitStatus %s",
        PsConstants.className(p.priorityClass()), p.activeThreads(), p.quantumReset(),
        exitText(p));
  }

  private static String exitText(EProcess p) {
    if (p.exitTimeNs() >= 0) {
      return String.format(Locale.ROOT, "%s at %s", KdFormat.hex8(p.exitStatus()),
          KdFormat.hmmss(p.exitTimeNs()));
    }
    return p.isExiting() ? "exiting with " + KdFormat.hex8(p.exitStatus()) : "STILL_ACTIVE";
  }
}
