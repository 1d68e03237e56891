package org.ntsim.kd;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ntsim.ex.lock.EResource;
import org.ntsim.ke.KMutant;
import org.ntsim.ke.KThread;
import org.ntsim.ke.Kapc;
import org.ntsim.ke.WaitBlock;
import org.ntsim.ps.EProcess;

/**
 * {@code !apc} and {@code !locks}: the queued APCs of every thread and the mutants held, as
 * kdexts lays out its APC listing and its lock dump (seed 003, "Asynchronous procedure calls";
 * the dispatcher objects of issue 3).
 *
 * <p>Models: {@code !apc} walks every process and thread (or one, with {@code proc <addr>} or
 * {@code thre <addr>}), one KAPC block per queued APC under its list ([KERNEL] or [USER]), with
 * its kind on an {@code ntsim:} line; kernel APCs first, special ahead of normal, then user ones,
 * which is the order they are delivered in; {@code thre} on a thread with none says so on an
 * {@code ntsim:} line rather than print nothing. {@code !locks} is kdexts' ERESOURCE dump of
 * ExpSystemResourcesList (Microsoft's !locks reference page). {@code !mutant} is
 * ntsim's own: that dump's layout applied to KMUTANTs, which WinDbg has no command for: each
 * held mutant with its owner and recursion
 * ({@code Threads: <owner>-<count><*>}) and the threads waiting for it; {@code -v} adds the free
 * and abandoned ones the debugger can reach (through handles or waiters); an address shows one.
 *
 * <p>Left out: routine addresses (the model names routines but keeps no code addresses, so the
 * name is printed alone), the APC list heads' addresses, the process's APC state index (always
 * 0: processes are never attached to); fast mutexes and push locks, which no kdexts command
 * lists.
 */
final class DispatcherExtensions {
  private final KdTarget target;

  DispatcherExtensions(KdTarget target) {
    this.target = target;
  }

  /** Registers {@code !apc}, {@code !locks} and {@code !mutant}. */
  static void register(KdCommands table) {
    DispatcherExtensions e = new DispatcherExtensions(table.target());
    table.register("!apc", "!apc [proc|thre <address>]",
        "queued APCs per thread: KAPC address, kind, routine", e::apc);
    table.register("!locks", "!locks [-v] [-d] [<address>]",
        "held executive resources (ERESOURCE); held mutants: !mutant", e::resources);
    table.register("!mutant", "!mutant [-v] [<address>]",
        "ntsim: held mutants with owner, recursion and waiters (-v: all known)", e::locks);
    table.example("!apc", "!apc thre 84001558");
    table.example("!locks", "!locks");
    table.example("!mutant", "!mutant -v");
  }

  // ------------------------------------------------------------------ !apc

  /** {@code !apc [proc <address> | thre <address>]}. */
  void apc(Listing out, List<String> args) {
    if (args.isEmpty()) {
      out.line("*** Enumerating APCs in all processes");
      // PsActiveProcessHead: Idle is not on it, so the list starts with System
      for (EProcess p : target.activeProcesses()) {
        apcsOfProcess(out, p);
      }
      return;
    }
    if (args.size() != 2) {
      throw new KdError("Usage: !apc [proc <process>] [thre <thread>]");
    }
    String kind = args.get(0).toLowerCase(Locale.ROOT);
    long address = KdFormat.address(args.get(1));
    if (kind.startsWith("proc")) {
      EProcess p = target.process(address);
      if (p == null) {
        throw new KdError(KdFormat.hex8(address) + ": Unable to read _EPROCESS");
      }
      apcsOfProcess(out, p);
    } else if (kind.startsWith("thre")) {
      KThread t = target.thread(address);
      if (t == null) {
        throw new KdError(KdFormat.hex8(address) + ": Unable to get thread contents");
      }
      apcsOfThread(out, t);
      if (t.queuedApcs().isEmpty()) {
        out.format("ntsim: thread %s has no kernel or user APCs queued",
            KdFormat.hex8(t.address));
      }
    } else {
      throw new KdError("Usage: !apc [proc <process>] [thre <thread>]");
    }
  }

  private void apcsOfProcess(Listing out, EProcess p) {
    out.format("Process %s %s", KdFormat.hex8(p.address), p.imageName());
    for (KThread t : new ArrayList<KThread>(p.threads())) {
      apcsOfThread(out, t);
    }
  }

  private static void apcsOfThread(Listing out, KThread t) {
    List<Kapc> apcs = t.queuedApcs();
    boolean kernelHeader = false;
    boolean userHeader = false;
    for (Kapc a : apcs) {
      boolean user = a.kind().equals("User");
      if (!user && !kernelHeader) {
        out.format("    Thread %s ApcStateIndex 0 [KERNEL]", KdFormat.hex8(t.address));
        kernelHeader = true;
      }
      if (user && !userHeader) {
        out.format("    Thread %s ApcStateIndex 0 [USER]%s", KdFormat.hex8(t.address),
            t.userApcPending() ? "  (UserApcPending)" : "");
        userHeader = true;
      }
      out.format("        KAPC @ %s", KdFormat.hex8(a.address));
      out.line("          Type           12");
      out.format("          %-15s%s", a.isSpecial() ? "KernelRoutine" : "NormalRoutine",
          a.name());
      out.format("          ntsim: %s APC", switch (a.kind()) {
        case "Special" -> "special kernel";
        case "Normal" -> "normal kernel";
        default -> "user";
      });
    }
  }

  // ------------------------------------------------------------------ !locks

  /**
   * {@code !locks [-v] [-d] [address]}: kdexts' dump of the executive resources (ERESOURCE) on
   * ExpSystemResourcesList, as Microsoft's !locks reference page shows it: each held one (every
   * one with -d) with its mode, its owner table ({@code <thread>-<count><*>}) and, when contended
   * or with -v, its contention count, waiter counts and exclusive waiters; then the totals. An
   * address shows that resource alone.
   */
  void resources(Listing out, List<String> args) {
    boolean verbose = false;
    boolean all = false;
    long address = 0;
    for (String a : args) {
      if (a.equalsIgnoreCase("-v") || a.equalsIgnoreCase("-p")) {
        verbose = true;
      } else if (a.equalsIgnoreCase("-d")) {
        all = true;
      } else {
        address = KdFormat.address(a);
      }
    }
    List<EResource> resources = target.os.resources.systemResources();
    if (address != 0) {
      for (EResource r : resources) {
        if (r.address == address) {
          resource(out, r, true);
          return;
        }
      }
      throw new KdError("Unable to read ERESOURCE at " + KdFormat.hex8(address));
    }
    out.line("**** DUMP OF ALL RESOURCE OBJECTS ****");
    out.line("KD: Scanning for held locks.");
    int held = 0;
    int listed = 0;
    for (EResource r : resources) {
      if (r.isHeld()) {
        held++;
      }
      if (r.isHeld() || all) {
        out.blank();
        resource(out, r, verbose);
        listed++;
      }
    }
    if (listed == 0) {
      out.blank();
    }
    out.line(held == 0 ? resources.size() + " total locks"
        : resources.size() + " total locks, " + held + " locks currently held");
  }

  private static void resource(Listing out, EResource r, boolean verbose) {
    List<EResource.OwnerEntry> owners = r.ownerThreads();
    String mode = !r.isHeld() ? "Available"
        : r.isOwnedExclusive() ? "Exclusively owned"
        : "Shared " + owners.size() + " owning threads";
    out.format("Resource @ 0x%s    %s", KdFormat.hex8(r.address), mode);
    boolean contended = r.sharedWaiterCount() > 0 || r.exclusiveWaiterCount() > 0;
    if (verbose || contended) {
      if (r.contentionCount() > 0) {
        out.format("    Contention Count = %d", r.contentionCount());
      }
      if (r.sharedWaiterCount() > 0) {
        out.format("    NumberOfSharedWaiters = %d", r.sharedWaiterCount());
      }
      if (r.exclusiveWaiterCount() > 0) {
        out.format("    NumberOfExclusiveWaiters = %d", r.exclusiveWaiterCount());
      }
    }
    if (!owners.isEmpty()) {
      StringBuilder b = new StringBuilder("     Threads:");
      for (EResource.OwnerEntry e : owners) {
        b.append(String.format(Locale.ROOT, " %s-%02x<*>", KdFormat.hex8(e.thread.address),
            e.count()));
      }
      out.line(b.toString());
    }
    List<KThread> waiting = r.exclusiveWaiterThreads();
    if (!waiting.isEmpty()) {
      out.line("     Threads Waiting On Exclusive Access:");
      StringBuilder b = new StringBuilder("             ");
      for (KThread t : waiting) {
        b.append(' ').append(KdFormat.hex8(t.address));
      }
      out.line(b.toString());
    }
  }

  /** {@code !mutant [-v] [address]}: the mutants in the layout of kdexts' resource dump. */
  void locks(Listing out, List<String> args) {
    boolean verbose = false;
    long address = 0;
    for (String a : args) {
      if (a.equalsIgnoreCase("-v")) {
        verbose = true;
      } else {
        address = KdFormat.address(a);
      }
    }
    List<KMutant> mutants = reachableMutants();
    if (address != 0) {
      for (KMutant m : mutants) {
        if (m.address == address) {
          mutant(out, m);
          return;
        }
      }
      throw new KdError(KdFormat.hex8(address) + ": ntsim: not a mutant the debugger can reach");
    }
    out.line("**** DUMP OF ALL HELD MUTANTS ****");
    out.line("KD: Scanning for held locks...");
    out.blank();
    int held = 0;
    for (KMutant m : mutants) {
      if (m.owner() != null) {
        held++;
      }
      if (m.owner() != null || verbose) {
        mutant(out, m);
      }
    }
    out.format("%d total mutants, %d mutants currently held", mutants.size(), held);
  }

  private static void mutant(Listing out, KMutant m) {
    List<WaitBlock> waiters = m.waitBlocks();
    String state = m.owner() != null ? "Exclusively owned"
        : m.abandoned() ? "Abandoned (free)" : "Free";
    out.format("Mutant @ 0x%s    %s", KdFormat.hex8(m.address), state);
    if (!waiters.isEmpty()) {
      out.format("    Contention Count = %d", waiters.size());
      out.format("    NumberOfExclusiveWaiters = %d", waiters.size());
    }
    if (m.owner() != null) {
      out.format("     Threads: %s-%02x<*>", KdFormat.hex8(m.owner().address), 1 - m.count());
    }
    if (!waiters.isEmpty()) {
      out.line("     Threads Waiting On Exclusive Access:");
      StringBuilder line = new StringBuilder("              ");
      for (WaitBlock b : waiters) {
        line.append(KdFormat.hex8(b.thread().address)).append("       ");
      }
      out.line(line.toString().stripTrailing());
    }
    out.blank();
  }

  /** Every mutant reachable from the kernel's lists, in the debugger's walk order. */
  private List<KMutant> reachableMutants() {
    List<KMutant> out = new ArrayList<>();
    for (Object o : target.reachableObjects()) {
      if (o instanceof KMutant m) {
        out.add(m);
      }
    }
    return out;
  }
}
