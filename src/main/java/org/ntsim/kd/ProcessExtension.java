package org.ntsim.kd;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ntsim.ke.KThread;
import org.ntsim.mm.AddressSpace;
import org.ntsim.mm.Vad;
import org.ntsim.mm.WorkingSet;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.PsConstants;

/**
 * {@code !process}: EPROCESS blocks as kdexts prints them on an x86 Vista target, alone or for
 * every process on PsActiveProcessHead ({@code !process 0 <flags> [image]}), with their threads.
 *
 * <p>Models the documented flag bits: 0x1 time and priority statistics, 0x2 threads with their
 * wait states, 0x4 threads (one line each without 0x2; with 0x2 the full !thread block, where
 * WinDbg would add the stack). Defaults as WinDbg's: 0x3 for the current process and for
 * {@code 0}, 0xF for a process given by address or ID. Flags 0 give the three lines of
 * {@code !process 0 0}; bit 0x1 adds the VadRoot and DeviceMap lines and the statistics in
 * Vista's order (Windows Internals 5th ed., ch. 7, {@code !process 0 7 notmyfault.exe}).
 *
 * <p>Invariants: the System and Idle processes show SessionId none and the kernel's page
 * directory as DirBase; every other process shows {@link #INTERACTIVE_SESSION}.
 *
 * <p>Left out, printed as WinDbg prints a null pointer or zero: the PEB of System and Idle and
 * the handle table's address when the pool had no room for it, DeviceMap and Token (00000000),
 * QuotaPoolUsage (0: pool quota is not charged), PeakVirtualSize (0 Mb: not kept). MemoryPriority
 * is FOREGROUND for the process the kernel treats as the foreground one
 * ({@code Kernel.setForegroundProcess}), BACKGROUND for the others.
 */
final class ProcessExtension {
  /**
   * The session of every process but System and Idle: Vista runs services in session 0 and the
   * logged-on user's programs in session 1 (session 0 isolation); ntsim's programs are those of
   * one logged-on user.
   */
  static final int INTERACTIVE_SESSION = 1;

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
    if (selector != KdTarget.CURRENT && (p.address & 0xFFFFFFFFL) != (selector & 0xFFFFFFFFL)) {
      // given by client ID, as kdexts says before the process (a Windows 2000 session:
      // "kd> !process 8 0" / "Searching for Process with Cid == 8" / "PROCESS 8141e020 ...")
      out.line("Searching for Process with Cid == " + Long.toHexString(selector));
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
    out.format("PROCESS %s  SessionId: %s  Cid: %s    Peb: %s  ParentCid: %s",
        KdFormat.hex8(p.address), sessionText(p), KdFormat.cid(p.pid()),
        KdFormat.hex8(p.pebAddress()), KdFormat.cid(p.parentId()));
    out.format("    DirBase: %s  ObjectTable: %s  HandleCount: %4d.",
        KdFormat.hex8(directoryTableBase(p)), KdFormat.hex8(p.objectTableAddress()),
        p.handleTable().count());
    out.line("    Image: " + p.imageName());
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

  private boolean isSystemProcess(EProcess p) {
    return p == target.os.ps.systemProcess() || p == target.os.ps.idleProcess();
  }

  private String sessionText(EProcess p) {
    return isSystemProcess(p) ? "none" : Integer.toString(INTERACTIVE_SESSION);
  }

  /**
   * DirectoryTableBase: the process's page directory; System and Idle run on the kernel's own,
   * as do processes whose address space is gone.
   */
  private long directoryTableBase(EProcess p) {
    AddressSpace as = p.addressSpace();
    if (as == null || as.isDeleted() || isSystemProcess(p)) {
      return (long) target.os.mm.systemDirectoryFrame() << 12;
    }
    return as.directoryTableBase();
  }

  private void statistics(Listing out, EProcess p) {
    long interval = target.clockIntervalNs();
    long end = p.exitTimeNs() >= 0 ? p.exitTimeNs() : target.machine().nowNs();
    AddressSpace as = p.addressSpace();
    if (as != null) {
      Vad root = as.vads().root();
      out.format("    VadRoot %s Vads %d Clone 0 Private %d. Modified 0. Locked %d.",
          KdFormat.hex8(root == null ? 0 : root.address()), as.vads().count(),
          as.validPrivatePages(), as.lockedPages());
    }
    out.line("    DeviceMap 00000000");
    statistic(out, "Token", "00000000");
    statistic(out, "ElapsedTime", KdFormat.hhmmss(end - p.createTimeNs()));
    statistic(out, "UserTime", KdFormat.hhmmss(p.userTicks() * interval));
    statistic(out, "KernelTime", KdFormat.hhmmss(p.kernelTicks() * interval));
    statistic(out, "QuotaPoolUsage[PagedPool]", "0");
    statistic(out, "QuotaPoolUsage[NonPagedPool]", "0");
    if (as != null) {
      WorkingSet ws = as.workingSet();
      // kdexts prints this label one column short of the others
      out.format("    Working Set Sizes (now,min,max)  (%d, %d, %d) (%dKB, %dKB, %dKB)",
          as.workingSetPages(), ws.minimumPages(), ws.maximumPages(), as.workingSetPages() * 4,
          ws.minimumPages() * 4, ws.maximumPages() * 4);
      statistic(out, "PeakWorkingSetSize",
          Long.toString(as.peakValidPages() + as.pageTablePages() + 1));
      statistic(out, "VirtualSize", virtualSizeMb(as) + " Mb");
      statistic(out, "PeakVirtualSize", "0 Mb");
      statistic(out, "PageFaultCount", Long.toString(as.pageFaults()));
    }
    statistic(out, "MemoryPriority", p.isForeground() ? "FOREGROUND" : "BACKGROUND");
    statistic(out, "BasePriority", Integer.toString(p.basePriority()));
    statistic(out, "CommitCharge", Long.toString(as == null ? 0 : as.commitCharge()));
    if (as != null) {
      out.format("    ntsim: WsUnusedEstimate %d (pages the last aging pass found unused)",
          as.workingSet().unusedEstimate());
    }
    out.format("    ntsim: PriorityClass %s  ActiveThreads %d  QuantumReset %d  ExitStatus %s",
        PsConstants.className(p.priorityClass()), p.activeThreads(), p.quantumReset(),
        exitText(p));
  }

  private static void statistic(Listing out, String name, String value) {
    out.format("    %-34s%s", name, value);
  }

  /** VirtualSize: the bytes the process's VADs reserve, in whole megabytes. */
  private static long virtualSizeMb(AddressSpace as) {
    long bytes = 0;
    for (Vad v : as.vads().inOrder()) {
      bytes += v.endAddress() - v.startAddress();
    }
    return bytes >> 20;
  }

  private static String exitText(EProcess p) {
    if (p.exitTimeNs() >= 0) {
      return String.format(Locale.ROOT, "%s at %s", KdFormat.hex8(p.exitStatus()),
          KdFormat.hmmss(p.exitTimeNs()));
    }
    return p.isExiting() ? "exiting with " + KdFormat.hex8(p.exitStatus()) : "STILL_ACTIVE";
  }
}
