package org.ntsim.kd;

import java.util.List;
import org.ntsim.ke.DispatcherObject;
import org.ntsim.ke.KMutant;
import org.ntsim.ke.KSemaphore;
import org.ntsim.ke.KThread;
import org.ntsim.ke.Kernel;
import org.ntsim.ke.ServiceTable;
import org.ntsim.ke.WaitBlock;
import org.ntsim.ke.WaitReason;
import org.ntsim.ps.EThread;

/**
 * {@code !thread}: a KTHREAD/ETHREAD laid out as kdexts prints it on an x86 Vista target (header
 * line with state and wait, the wait blocks' objects, owning process, wait ticks, context
 * switches, CPU times, start address, priorities), and the same block for {@code !process} and
 * {@code !ready}.
 *
 * <p>Models: state texts as kdexts spells them ({@code RUNNING on processor 0},
 * {@code WAIT: (DelayExecution) UserMode Non-Alertable}); CPU times as NT keeps them, in clock
 * ticks, shown in WinDbg's {@code 00:00:00.015} form, with the exact simulated times on a line of
 * their own that starts with {@code ntsim:}; the start address as {@code module!symbol
 * (address)} ({@link KdSymbols}); quantum, affinity and NextProcessor, which WinDbg shows only
 * through {@code dt nt!_KTHREAD}, on an {@code ntsim:} line; the system service the thread is in
 * and its PreviousMode, which WinDbg shows as the service's frame on the stack, on an
 * {@code ntsim:} line. Field order as Vista's kdexts (Microsoft's !thread reference page, and
 * Windows Internals 5th ed., ch. 7, {@code !process 0 7 notmyfault.exe}).
 *
 * <p>Left out: stacks (no kernel or user stacks are modelled, so no Stack Init or ChildEBP
 * lines), Win32Thread (printed as 00000000), DeviceMap (00000000), impersonation, IRPs.
 * IoPriority and PagePriority are the thread's (Vista's defaults 2 and 5; 0 and 1 in background
 * mode); a kernel thread without an ETHREAD shows the defaults.
 */
final class ThreadExtension {
  /** IoPriorityNormal: the I/O priority of a thread that has no ETHREAD. */
  static final int IO_PRIORITY_NORMAL = 2;
  /** MEMORY_PRIORITY_NORMAL: the page priority of a thread that has no ETHREAD. */
  static final int MEMORY_PRIORITY_NORMAL = 5;

  private final KdTarget target;

  ThreadExtension(KdTarget target) {
    this.target = target;
  }

  /** Registers {@code !thread}. */
  static void register(KdCommands table) {
    ThreadExtension e = new ThreadExtension(table.target());
    table.register("!thread", "!thread [-t] [<address>|-1 [<flags>]]",
        "a thread (default: the current processor's); -t: <address> is a thread ID", e::run);
    table.example("!thread", "!thread -t 18");
  }

  /** {@code !thread [-t] [address [flags]]}. */
  void run(Listing out, List<String> args) {
    boolean byId = !args.isEmpty() && args.get(0).equalsIgnoreCase("-t");
    List<String> rest = byId ? args.subList(1, args.size()) : args;
    KThread t;
    if (rest.isEmpty() || (!byId && KdFormat.address(rest.get(0)) == KdTarget.CURRENT)) {
      t = target.currentThread();
    } else if (byId) {
      long tid = KdFormat.number(rest.get(0));
      t = target.threadById(tid);
      if (t == null) {
        throw new KdError("Looking for thread Cid = " + Long.toHexString(tid)
            + " ...\nntsim: no thread has that ID");
      }
    } else {
      long address = KdFormat.address(rest.get(0));
      t = target.thread(address);
      if (t == null) {
        throw new KdError(KdFormat.hex8(address) + ": Unable to get thread contents");
      }
    }
    int flags = rest.size() > 1 ? KdFormat.flags(rest.get(1)) : 0x6;
    print(out, t, "", flags);
  }

  /** The thread as kdexts prints it: {@code flags} 0x2 adds its wait objects, 0x6 the details. */
  void print(Listing out, KThread t, String indent, int flags) {
    out.line(indent + header(t));
    if ((flags & 0x2) != 0) {
      waitObjects(out, t, indent + "    ");
      if ((flags & 0x4) != 0) {
        details(out, t, indent);
      }
    }
  }

  /** {@code THREAD 84000290  Cid 0014.0018  Teb: 00000000 Win32Thread: 00000000 <state>}. */
  String header(KThread t) {
    return "THREAD " + KdFormat.hex8(t.address) + "  Cid "
        + KdFormat.cid(t.kprocess().uniqueProcess, t.uniqueThread)
        + "  Teb: " + KdFormat.hex8(t instanceof EThread e ? e.tebAddress() : 0)
        + " Win32Thread: 00000000 " + stateText(t);
  }

  String stateText(KThread t) {
    return switch (t.state()) {
      case RUNNING -> "RUNNING on processor " + target.runningProcessor(t);
      case READY -> "READY on processor " + t.readyCpu();
      case STANDBY -> "STANDBY on processor " + target.standbyProcessor(t);
      case WAITING -> "WAIT: (" + WaitReason.name(t.waitReason()) + ") "
          + (t.waitMode() == Kernel.USER_MODE ? "UserMode" : "KernelMode")
          + (t.alertable() ? " Alertable" : " Non-Alertable");
      case DEFERRED_READY -> "DEFERREDREADY";
      case INITIALIZED -> "INITIALIZED";
      case TERMINATED -> "TERMINATED";
      case TRANSITION -> "TRANSITION";
    };
  }

  /** One line per object the thread waits on: address and type, as the wait block shows it. */
  void waitObjects(Listing out, KThread t, String indent) {
    for (WaitBlock b : t.currentWaitBlocks()) {
      DispatcherObject o = b.object();
      out.line(indent + KdFormat.hex8(o.address) + "  " + objectTypeText(o));
    }
  }

  /**
   * What kdexts prints after a waited-on object's address, by the object's dispatcher type: the
   * event and timer kinds, {@code Mutant - owning thread 8523a0b8} (00000000 when free),
   * {@code Semaphore Limit 0x7fffffff}, {@code QueueObject}, {@code ProcessObject},
   * {@code ThreadObject}.
   */
  static String objectTypeText(DispatcherObject o) {
    return switch (o) {
      case KMutant m -> "Mutant - owning thread "
          + KdFormat.hex8(m.owner() == null ? 0 : m.owner().address);
      case KSemaphore s -> "Semaphore Limit 0x" + Integer.toHexString(s.limit());
      default -> switch (o.dispatcherType()) {
        case DispatcherObject.PROCESS -> "ProcessObject";
        case DispatcherObject.THREAD -> "ThreadObject";
        case DispatcherObject.QUEUE -> "QueueObject";
        default -> o.typeName();
      };
    };
  }

  private void details(Listing out, KThread t, String indent) {
    long interval = target.clockIntervalNs();
    long waitedTicks = target.kernel().tickCount() - t.waitTick();
    out.line(indent + "Not impersonating");
    out.format("%s%-26s%s", indent, "DeviceMap", "00000000");
    out.format("%s%-26s%-15s%-15s%s", indent, "Owning Process", KdFormat.hex8(t.kprocess().address),
        "Image:", KdTarget.imageOf(t.kprocess()));
    out.format("%s%-26s%-15s%-15s%s", indent, "Attached Process", "N/A", "Image:", "N/A");
    out.format("%s%-26s%-15d%s", indent, "Wait Start TickCount", t.waitTick(),
        "Ticks: " + waitedTicks + " (" + KdFormat.dhhmmss(waitedTicks * interval) + ")");
    out.format("%s%-26s%-15d%s", indent, "Context Switch Count", t.contextSwitches(),
        "IdealProcessor: " + t.idealProcessor());
    out.format("%s%-26s%s", indent, "UserTime", KdFormat.hhmmss(t.userTicks() * interval));
    out.format("%s%-26s%s", indent, "KernelTime", KdFormat.hhmmss(t.kernelTicks() * interval));
    out.format("%sntsim: exact UserTime %s  KernelTime %s%s", indent,
        KdFormat.exactMs(t.exactUserNs()), KdFormat.exactMs(t.exactKernelNs()),
        t.name() != null ? "  Name " + t.name() : "");
    if (t instanceof EThread e) {
      out.line(indent + "Win32 Start Address " + KdSymbols.withAddress(e.startSymbol()));
      exitLine(out, e, indent);
    }
    if (t.service() >= 0) {
      out.format("%sntsim: in system service %s (0x%x), PreviousMode %s", indent,
          ServiceTable.nameOf(t.service()), t.service(),
          t.previousMode() == Kernel.USER_MODE ? "UserMode" : "KernelMode");
    }
    if (!t.kernelStackResident()) {
      out.line(indent + "Kernel stack not resident.");
    }
    out.format("%sPriority %d BasePriority %d PriorityDecrement %d IoPriority %d PagePriority %d",
        indent, t.priority(), t.basePriority(), t.priorityDecrement(),
        t instanceof EThread e ? e.ioPriority() : IO_PRIORITY_NORMAL,
        t instanceof EThread e ? e.pagePriority() : MEMORY_PRIORITY_NORMAL);
    out.format("%sntsim: Quantum %d QuantumReset %d Affinity %s NextProcessor %d", indent,
        t.quantum(),
        t.kprocess().quantumReset(), KdFormat.hex8(t.affinity()), t.lastCpu());
    out.blank();
  }

  private static void exitLine(Listing out, EThread e, String indent) {
    if (e.exitTimeNs() >= 0) {
      out.format("%sntsim: exited at %s with status %s", indent, KdFormat.hmmss(e.exitTimeNs()),
          KdFormat.hex8(e.exitStatus()));
    }
  }
}
