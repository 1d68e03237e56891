package org.ntsim.kd;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.ntsim.ex.Pool;
import org.ntsim.hal.PhysicalMemory;
import org.ntsim.hal.X86Pte;
import org.ntsim.ke.KThread;
import org.ntsim.mm.AddressSpace;
import org.ntsim.mm.MemoryManager;
import org.ntsim.mm.MmLayout;
import org.ntsim.mm.MmPte;
import org.ntsim.mm.PageFaults;
import org.ntsim.mm.PfnDatabase;
import org.ntsim.mm.SystemPoolPages;
import org.ntsim.mm.Vad;
import org.ntsim.mm.WorkingSet;
import org.ntsim.ps.EProcess;

/**
 * The memory manager's debugger extensions, laid out as kdexts prints them on an x86 non-PAE
 * target: {@code !pte}, {@code !pfn}, {@code !vad}, {@code !memusage}, {@code !vm}, and the
 * memory dumps {@code dd}, {@code db}, {@code dq} of the current process's virtual addresses.
 *
 * <p>Models: the debugger reads page tables the way kd does, from physical memory with the
 * current process's DirBase, so nothing it does fills a TLB or costs simulated time; a PTE
 * address is given through the self-map (C0000000 + (va >> 10)), the PDE at C0300000 +
 * (va >> 20), as seed 004 slides 28-30 compute them. Invalid PTEs are decoded by format:
 * demand zero, transition, page file, prototype, decommitted, or zero (the VADs decide).
 *
 * A system address whose PDE the process lacks is read through the boot directory's master PDE,
 * so pool pages decode and dump from any process. {@code !vm} prints kdexts' labels for the
 * counters the model keeps and puts the page lists, faults and the system working set on
 * {@code ntsim:} lines.
 *
 * <p>Invariants: reads only; unreadable memory prints as {@code ?}.
 *
 * <p>Left out: the per-image breakdown of {@code !memusage}; the page file lines of {@code !vm}
 * (no paging file exists, and WinDbg prints none then), its counters the model does not keep
 * (ResAvail Pages, Free System PTEs, pool maxima, Shared Commit, Driver Commit, ...), session and
 * system-cache lines; the {@code !pte} range form.
 */
final class MemoryExtensions {
  private final KdTarget target;

  MemoryExtensions(KdTarget target) {
    this.target = target;
  }

  /** Registers .process, the memory manager's extensions and dd, db and dq. */
  static void register(KdCommands table) {
    MemoryExtensions e = new MemoryExtensions(table.target());
    table.register(".process", ".process [<address>|<cid>]",
        "the process whose memory !pte, !vad and dd read (0: the default)", e::process);
    table.register("!pte", "!pte <address>",
        "the PDE and PTE of an address (or of a PTE's address) through the self-map, decoded",
        e::pte);
    table.register("!pfn", "!pfn <n>", "one entry of the PFN database", e::pfn);
    table.register("!vad", "!vad", "the current process's VAD tree", e::vad);
    table.register("!memusage", "!memusage", "the page lists and the frames in use",
        (o, a) -> e.memusage(o));
    table.register("!vm", "!vm", "physical memory, commit, faults, each process's commit",
        (o, a) -> e.vm(o));
    for (String unit : new String[] {"dwords", "bytes", "qwords"}) {
      String verb = "d" + unit.charAt(0);
      table.register(verb, verb + " <address> [L<count>]",
          "the current process's memory as " + unit, (o, a) -> e.dump(o, verb, a));
    }
    table.example(".process", ".process 84001020");
    table.example("!pte", "!pte c0300c00");
    table.example("!pfn", "!pfn 1a");
    table.example("!vad", "!vad");
    table.example("!memusage", "!memusage");
    table.example("!vm", "!vm");
    table.example("dd", "dd 400000 L8");
    table.example("db", "db 400000 L10");
    table.example("dq", "dq 400000 L2");
  }

  private MemoryManager mm() {
    return target.os.mm;
  }

  private PhysicalMemory memory() {
    return mm().physicalMemory();
  }

  /** The address space of the process the current processor runs (the debugger's context). */
  private AddressSpace space() {
    EProcess chosen = target.implicitProcess();
    if (chosen != null && chosen.addressSpace() != null && !chosen.addressSpace().isDeleted()) {
      return chosen.addressSpace();
    }
    KThread t = target.currentThread();
    EProcess p = KdTarget.processOf(t);
    if (p == null) {
      p = target.os.ps.idleProcess();
    }
    if (t.addressSpaceProcess() instanceof EProcess attached) {
      p = attached;
    }
    return p.addressSpace() != null ? p.addressSpace() : mm().systemAddressSpace();
  }

  private long directoryBase() {
    AddressSpace as = space();
    return as.isDeleted() ? mm().systemAddressSpace().directoryTableBase()
        : as.directoryTableBase();
  }

  /**
   * The PDE of {@code va} in the current process; for a system address it lacks (it would copy
   * it on its next fault there), the master copy in the boot directory.
   */
  private int readPde(long va) {
    long offset = ((va & 0xFFFFFFFFL) >>> 22) * 4;
    int pde = memory().readInt(directoryBase() + offset);
    if (!MmPte.isValid(pde) && !MmLayout.isUserAddress(va) && !MmLayout.isPteAddress(va)
        && !(va >= MmLayout.HYPER_SPACE && va <= MmLayout.HYPER_SPACE_END)) {
      pde = memory().readInt(((long) mm().systemDirectoryFrame() << 12) + offset);
    }
    return pde;
  }

  /** The PTE of {@code va} read physically, or null when its page table is absent. */
  private Integer readPte(long va) {
    int pde = readPde(va);
    if (!MmPte.isValid(pde)) {
      return null;
    }
    return memory().readInt(((long) X86Pte.frame(pde) << 12) + ((va >>> 12) & 0x3FF) * 4);
  }

  /** The physical address of {@code va} in the current process, or -1. */
  private long physical(long va) {
    Integer pte = readPte(va);
    if (pte == null || !MmPte.isValid(pte)) {
      return -1;
    }
    return ((long) X86Pte.frame(pte) << 12) | (va & 0xFFF);
  }

  /** The 32-bit value at {@code va} in the current process, as {@code poi} reads it, or -1. */
  long readDword(long va) {
    long v = 0;
    for (int k = 0; k < 4; k++) {
      long pa = physical((va + k) & 0xFFFFFFFFL);
      if (pa < 0) {
        return -1;
      }
      v |= (memory().readByte(pa) & 0xFFL) << (8 * k);
    }
    return v;
  }

  // ------------------------------------------------------------------ .process

  /** {@code .process [/p] [address|cid]}: the process memory commands read; none: the default. */
  void process(Listing out, List<String> args) {
    List<String> rest = args.stream().filter(a -> !a.startsWith("/")).toList();
    if (rest.isEmpty()) {
      out.format("Implicit process is now %s", KdFormat.hex8(procAddress()));
      return;
    }
    long selector = KdFormat.address(rest.get(0));
    if (selector == 0) {
      target.setImplicitProcess(null);
    } else {
      EProcess p = target.process(selector);
      if (p == null || p.addressSpace() == null || p.addressSpace().isDeleted()) {
        throw new KdError("Unable to read _EPROCESS at " + KdFormat.hex8(selector));
      }
      target.setImplicitProcess(p);
    }
    out.format("Implicit process is now %s", KdFormat.hex8(procAddress()));
  }

  private long procAddress() {
    return space().process().address;
  }

  // ------------------------------------------------------------------ !pte

  /** {@code !pte VA} (or the address of a PTE, in C0000000-C03FFFFF). */
  void pte(Listing out, List<String> args) {
    if (args.isEmpty()) {
      throw new KdError("Usage: !pte VirtualAddress | !pte PteAddress");
    }
    long arg = new KdExpression(target, this::readDword).evaluate(args.get(0));
    long va = MmLayout.isPteAddress(arg) ? MmLayout.virtualAddressOfPte(arg) : arg;
    long pdeVa = MmLayout.pdeAddress(va);
    long pteVa = MmLayout.pteAddress(va);
    int pde = readPde(va);
    Integer pte = readPte(va);
    out.format("%27s %08x", "VA", va);
    out.format("PDE at %08X            PTE at %08X", pdeVa, pteVa);
    out.format("contains %08X          contains %s", pde,
        pte == null ? "????????" : String.format(Locale.ROOT, "%08X", pte));
    String left = MmPte.isValid(pde) ? String.format(Locale.ROOT, "pfn %-9x %s",
        X86Pte.frame(pde), X86Pte.flagLetters(pde)) : "not valid";
    String right;
    if (pte == null) {
      right = "";
    } else if (MmPte.isValid(pte)) {
      right = String.format(Locale.ROOT, "pfn %-9x %s", X86Pte.frame(pte), X86Pte.flagLetters(pte));
    } else {
      right = "not valid";
    }
    out.line(String.format(Locale.ROOT, "%-27s%s", left, right).stripTrailing());
    if (pte == null) {
      out.line("ntsim: the page table does not exist yet; the VADs decide what the page is");
      describeVad(out, va);
    } else if (!MmPte.isValid(pte)) {
      describeInvalid(out, pte, va);
    }
    out.format("ntsim: %s", poolRegion(va));
  }

  /** The region of {@code va}, naming the pool and the system working set for a pool page. */
  private String poolRegion(long va) {
    if (va >= Pool.NONPAGED_POOL_START && va < Pool.NONPAGED_POOL_END) {
      return "non-paged pool (never trimmed)";
    }
    if (va >= Pool.PAGED_POOL_START && va < Pool.PAGED_POOL_END) {
      return "paged pool (in the system working set while valid)";
    }
    return MmLayout.regionName(va);
  }

  private void describeInvalid(Listing out, int pte, long va) {
    String pad = "%27s";
    if (pte == 0) {
      out.line(String.format(Locale.ROOT, pad, "") + "ntsim: zero PTE; the VADs decide");
      describeVad(out, va);
    } else if (MmPte.isTransition(pte)) {
      out.format(pad + "Transition: %x", "", MmPte.transitionFrame(pte));
      out.format(pad + "Protect: %s", "", MmPte.protectionName(MmPte.protection(pte)));
    } else if (MmPte.isPrototype(pte)) {
      out.format(pad + "Proto: %08X", "", MmPte.prototypeAddress(pte));
    } else if (MmPte.isDemandZero(pte)) {
      if (MmPte.protection(pte) == MmPte.MM_DECOMMIT) {
        out.format(pad + "Decommitted", "");
      } else {
        out.format(pad + "DemandZero", "");
      }
      out.format(pad + "Protect: %s", "", MmPte.protectionName(MmPte.protection(pte)));
    } else {
      out.format(pad + "PageFile: %2d", "", MmPte.pageFileNumber(pte));
      out.format(pad + "Offset: %x", "", MmPte.pageFileOffset(pte));
      out.format(pad + "Protect: %s", "", MmPte.protectionName(MmPte.protection(pte)));
    }
  }

  private void describeVad(Listing out, long va) {
    if (!MmLayout.isUserAddress(va)) {
      return;
    }
    Vad v = space().vads().find(va >>> 12);
    if (v == null) {
      out.line("ntsim: no VAD: an access faults with an access violation");
    } else {
      out.format("ntsim: VAD %08x (%x-%x) %s, %s", v.address(), v.startingVpn(), v.endingVpn(),
          v.memCommit() ? "committed at reservation: demand zero" : "reserved: not committed",
          MmPte.protectionName(v.protection()));
    }
  }

  // ------------------------------------------------------------------ !pfn

  /** {@code !pfn N}: one entry of the PFN database. */
  void pfn(Listing out, List<String> args) {
    if (args.isEmpty()) {
      throw new KdError("Usage: !pfn PageFrameNumber");
    }
    long n = KdFormat.number(args.get(0));
    PfnDatabase db = mm().pfnDatabase();
    if (n < 0 || n >= db.frameCount()) {
      throw new KdError(String.format(Locale.ROOT, "PFN %x is above the highest physical page"
          + " (%x)", n, db.frameCount() - 1));
    }
    int f = (int) n;
    int state = db.state(f);
    boolean listed = state < PfnDatabase.ACTIVE;
    out.format("    PFN %08X at address %08X", f,
        MmLayout.PFN_DATABASE + (long) f * MmLayout.PFN_ENTRY_SIZE);
    out.format("    flink       %08X  blink / share count %08X  pteaddress %08X",
        listed ? db.flink(f) & 0xFFFFFFFFL : 0,
        listed ? db.blink(f) & 0xFFFFFFFFL : db.shareCount(f), db.pteAddress(f));
    // x86 MMPFN has no UsedPageTableEntries (an x64 field), so no "used entry count"
    out.format("    reference count %04X    Cached    color 0   Priority %d", db.referenceCount(f),
        pagePriority(state));
    String flags = ((db.flags(f) & PfnDatabase.FLAG_MODIFIED) != 0 ? " M" : "")
        + ((db.flags(f) & PfnDatabase.FLAG_READ_IN_PROGRESS) != 0 ? " R" : "")
        + ((db.flags(f) & PfnDatabase.FLAG_WRITE_IN_PROGRESS) != 0 ? " W" : "");
    out.format("    restore pte %08X  containing page        %06X  %-10s%s", db.originalPte(f),
        db.pteFrame(f), stateWord(state), flags);
    StringBuilder words = new StringBuilder();
    if ((db.flags(f) & PfnDatabase.FLAG_MODIFIED) != 0) {
      words.append("Modified ");
    }
    if ((db.flags(f) & PfnDatabase.FLAG_READ_IN_PROGRESS) != 0) {
      words.append("ReadInProgress ");
    }
    if (!words.isEmpty()) {
      out.line("    " + words.toString().strip());
    }
  }

  /**
   * The page priority a frame carries: ntsim keeps none per page, so a frame in use or on the
   * standby and modified lists shows MEMORY_PRIORITY_NORMAL, the priority every thread's pages
   * get (see {@code !thread}'s PagePriority), and a free, zeroed or bad frame 0.
   */
  private static int pagePriority(int state) {
    return switch (state) {
      case PfnDatabase.ZEROED, PfnDatabase.FREE, PfnDatabase.BAD -> 0;
      default -> ThreadExtension.MEMORY_PRIORITY_NORMAL;
    };
  }

  private static String stateWord(int state) {
    return switch (state) {
      case PfnDatabase.ZEROED -> "Zeroed";
      case PfnDatabase.FREE -> "Free";
      case PfnDatabase.STANDBY -> "Standby";
      case PfnDatabase.MODIFIED -> "Modified";
      case PfnDatabase.MODIFIED_NO_WRITE -> "ModNoWrt";
      case PfnDatabase.BAD -> "Bad";
      case PfnDatabase.ACTIVE -> "Active";
      default -> "Trans";
    };
  }

  // ------------------------------------------------------------------ !vad

  /** {@code !vad}: the current process's VAD tree in address order. */
  void vad(Listing out, List<String> args) {
    AddressSpace as = space();
    List<Vad> vads = as.vads().inOrder();
    out.line("VAD     level      start      end    commit");
    int depth = 0;
    long levels = 0;
    for (Vad v : vads) {
      int level = v.level() - 1; // kdexts counts the root as level 0
      depth = Math.max(depth, level);
      levels += level;
      out.format("%08x (%2d) %10x %8x %9d Private      %s", v.address(), level, v.startingVpn(),
          v.endingVpn(), v.commitCharge(), protectionWord(v.protection())
              + (v.writeWatch() ? " WriteWatch" : ""));
    }
    out.blank();
    out.format("Total VADs: %5d  average level: %4d  maximum depth: %d", vads.size(),
        vads.isEmpty() ? 0 : (levels + vads.size() - 1) / vads.size(), depth);
  }

  private static String protectionWord(int protection) {
    int win32 = MmPte.toWin32(protection);
    String kind = switch (win32 & 0xFF) {
      case MmPte.PAGE_NOACCESS -> "NO_ACCESS";
      case MmPte.PAGE_READONLY -> "READONLY";
      case MmPte.PAGE_READWRITE -> "READWRITE";
      case MmPte.PAGE_WRITECOPY -> "WRITECOPY";
      case MmPte.PAGE_EXECUTE -> "EXECUTE";
      case MmPte.PAGE_EXECUTE_READ -> "EXECUTE_READ";
      case MmPte.PAGE_EXECUTE_READWRITE -> "EXECUTE_READWRITE";
      default -> "EXECUTE_WRITECOPY";
    };
    if ((win32 & MmPte.PAGE_GUARD) != 0) {
      kind += " GUARD";
    }
    if ((win32 & MmPte.PAGE_NOCACHE) != 0) {
      kind += " NOCACHE";
    }
    return kind;
  }

  // ------------------------------------------------------------------ !memusage and !vm

  /**
   * {@code !memusage}: the page lists and the frames in use, with kdexts' labels and columns
   * (Microsoft's !memusage reference page); Vista has no SLIST/Temp line.
   */
  void memusage(Listing out) {
    PfnDatabase db = mm().pfnDatabase();
    int[] counts = new int[8];
    for (int f = 0; f < db.frameCount(); f++) {
      counts[db.state(f)]++;
    }
    out.line("loading PFN database");
    out.line("loading (100% complete)");
    out.line("Compiling memory usage data (99% Complete).");
    String[] names = {"Zeroed", "Free", "Standby", "Modified", "ModifiedNoWrite", "Bad",
        "Active/Valid", "Transition"};
    int[] order = {0, 1, 2, 3, 4, 6, 7, 5};
    for (int i : order) {
      usage(out, names[i], counts[i]);
    }
    usage(out, "Unknown", 0);
    usage(out, "TOTAL", db.frameCount());
    out.blank();
    out.format("ntsim: available %d pages; zeroed by the zero page thread %d, on the fault path"
        + " %d; standby pages repurposed %d", db.availablePages(), mm().pagesZeroedByThread(),
        mm().pagesZeroedInline(), mm().pagesRepurposed());
  }

  private static void usage(Listing out, String name, long pages) {
    out.format("%19s: %8d (%8d kb)", name, pages, pages * 4);
  }

  /**
   * {@code !vm}: kdexts' system lines for the counters the model keeps (Microsoft's !vm reference
   * page), then Total Private and each process's commit, largest first; what WinDbg does not
   * show (the page lists, peak commit, faults, the system working set, each process's working
   * set) follows on {@code ntsim:} lines.
   */
  void vm(Listing out) {
    MemoryManager m = mm();
    PfnDatabase db = m.pfnDatabase();
    out.line("*** Virtual Memory Usage ***");
    line(out, "Physical Memory", db.frameCount());
    line(out, "Available Pages", db.availablePages());
    line(out, "Modified Pages", db.count(PfnDatabase.MODIFIED));
    SystemPoolPages sp = m.systemPoolPages();
    line(out, "NonPagedPool Usage", sp.nonPagedPages());
    line(out, "PagedPool Usage", sp.pagedPages());
    line(out, "Committed pages", m.commitTotal());
    line(out, "Commit limit", m.commitLimit());
    out.blank();
    List<EProcess> processes = new ArrayList<>();
    long totalPrivate = 0;
    for (EProcess p : target.activeProcesses()) {
      if (p.addressSpace() != null) {
        processes.add(p);
        totalPrivate += p.addressSpace().commitCharge();
      }
    }
    processes.sort(Comparator.comparingLong((EProcess p) -> -p.addressSpace().commitCharge())
        .thenComparingLong(EProcess::pid));
    line(out, "Total Private", totalPrivate);
    for (EProcess p : processes) {
      long commit = p.addressSpace().commitCharge();
      out.format("         %04x %-16s%7d (%10d Kb)", p.pid(), p.imageName(), commit, commit * 4);
    }
    out.blank();
    out.format("ntsim: page lists: free %d, zeroed %d, standby %d, modified no write %d;"
        + " peak commit %d", db.count(PfnDatabase.FREE), db.count(PfnDatabase.ZEROED),
        db.count(PfnDatabase.STANDBY), db.count(PfnDatabase.MODIFIED_NO_WRITE),
        m.peakCommitTotal());
    PageFaults f = m.faults();
    out.format("ntsim: faults: demand zero %d, transition %d, guard %d, access violation %d,"
        + " collided %d, page table %d, system PDE %d; TLB shootdowns %d",
        f.demandZeroFaults(), f.transitionFaults(), f.guardPageFaults(), f.accessViolations(),
        f.collidedFaults(), f.pageTableFaults(), f.systemPdeFaults(), m.tlbShootdowns());
    WorkingSet sws = m.systemWorkingSet();
    out.format("ntsim: system working set: current %d, minimum %d, maximum %d, peak %d pages;"
        + " trimmed %d, soft faults back %d", sws.count(), sws.minimumPages(),
        sws.maximumPages(), sws.peak(), sws.pagesTrimmed(), sp.softFaults());
    for (EProcess p : processes) {
      AddressSpace as = p.addressSpace();
      out.format("ntsim: %04x %s: working set %d pages, estimated unused %d", p.pid(),
          p.imageName(), as.workingSetPages(), as.workingSet().unusedEstimate());
    }
  }

  private static void line(Listing out, String name, long pages) {
    out.format("\t%-20s%8d (%10d Kb)", name + ":", pages, pages * 4);
  }

  // ------------------------------------------------------------------ dd, db, dq

  /**
   * {@code dd|db|dq address [L count]}: memory of the current process, as kd dumps it; the address
   * is an expression ({@code 84001020+dc}, {@code poi(@$thread+0x14c)}, {@code @$thread}).
   */
  void dump(Listing out, String verb, List<String> args) {
    if (args.isEmpty()) {
      throw new KdError("ntsim: " + verb + " needs an address");
    }
    long address = new KdExpression(target, this::readDword).evaluate(args.get(0));
    int unit = switch (verb) {
      case "db" -> 1;
      case "dq" -> 8;
      default -> 4;
    };
    long count = 128 / unit;
    if (args.size() > 1) {
      String c = args.get(1);
      if (!c.toLowerCase(Locale.ROOT).startsWith("l")) {
        throw KdError.unresolved(c);
      }
      count = KdFormat.number(c.substring(1));
      if (count <= 0 || count > 0x10000) {
        throw new KdError("Range error in '" + c + "'");
      }
    }
    int perLine = 16 / unit;
    for (long i = 0; i < count; i += perLine) {
      long lineAddress = (address + i * unit) & 0xFFFFFFFFL;
      StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%08x ", lineAddress));
      StringBuilder ascii = new StringBuilder();
      for (long j = i; j < Math.min(count, i + perLine); j++) {
        long a = (address + j * unit) & 0xFFFFFFFFL;
        b.append(unit == 1 && j - i == 8 ? '-' : ' ');
        b.append(formatUnit(a, unit, ascii));
      }
      if (unit == 1) {
        b.append(" ".repeat((int) (perLine - Math.min(perLine, count - i)) * 3));
        b.append("  ").append(ascii);
      }
      out.line(b.toString());
    }
  }

  private String formatUnit(long a, int unit, StringBuilder ascii) {
    long[] pa = new long[unit];
    for (int k = 0; k < unit; k++) {
      pa[k] = physical((a + k) & 0xFFFFFFFFL);
      if (pa[k] < 0) {
        if (unit == 1) {
          ascii.append('?');
        }
        return "?".repeat(unit == 8 ? 17 : unit * 2);
      }
    }
    long v = 0;
    for (int k = 0; k < unit; k++) {
      v |= (memory().readByte(pa[k]) & 0xFFL) << (8 * k);
    }
    return switch (unit) {
      case 1 -> {
        ascii.append(v >= 0x20 && v < 0x7F ? (char) v : '.');
        yield String.format(Locale.ROOT, "%02x", v);
      }
      case 8 -> String.format(Locale.ROOT, "%08x`%08x", v >>> 32, v & 0xFFFFFFFFL);
      default -> String.format(Locale.ROOT, "%08x", v);
    };
  }
}
