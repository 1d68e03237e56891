package org.ntsim.kd;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.ntsim.ke.DispatcherObject;
import org.ntsim.ke.KMutant;
import org.ntsim.ke.KQueue;
import org.ntsim.ke.KSemaphore;
import org.ntsim.ke.KThread;
import org.ntsim.ke.WaitBlock;
import org.ntsim.ex.sync.ETimer;
import org.ntsim.ob.HandleTable;
import org.ntsim.ob.ObjectDirectory;
import org.ntsim.ob.ObjectHeader;
import org.ntsim.ob.ObjectManager;
import org.ntsim.ob.SymbolicLink;
import org.ntsim.ps.EProcess;

/**
 * {@code !object} and {@code !handle}: object headers and handle tables as kdexts prints them on
 * an x86 Vista target, where the OBJECT_HEADER sits 0x18 bytes before the body and kdexts calls
 * it the "old version" (the header with a TypeIndex came with Windows 7).
 *
 * <p>Models: {@code !object <address>} prints the type, the header's address, handle and pointer
 * counts and the name; {@code !handle [handle [flags [process [type]]]]} prints the process, then
 * per handle its value, object and granted access (flag 0x1) and the object's header block (flag
 * 0x2), for the current process, one process, or every process (process 0). Dispatcher objects
 * get one extra {@code ntsim:} line with their signal state and waiters, which WinDbg only shows
 * through {@code dt}.
 *
 * <p>Left out: OBJECT_TYPE objects are not modelled, so the type's address is a fixed stand-in in
 * nt's data per type name (the order of Vista's type list); entries past the first page of a
 * handle table (not laid out in memory: {@code Entry: 00000000}); free entries (flag 0x4), the
 * kernel handle table (0x10), object directories' addresses and the directory listing of flag
 * 0x8.
 */
final class ObjectExtension {
  /** Vista's object types in the order nt creates them; a type's stand-in address follows it. */
  private static final List<String> TYPE_ORDER = List.of("Type", "Directory", "SymbolicLink",
      "Token", "Job", "Process", "Thread", "DebugObject", "Event", "EventPair", "Mutant",
      "Callback", "Semaphore", "Timer", "Profile", "KeyedEvent", "WindowStation", "Desktop",
      "TpWorkerFactory", "Adapter", "Controller", "Device", "Driver", "IoCompletion", "File",
      "TmTm", "TmTx", "TmRm", "TmEn", "Section", "Session", "Key", "ALPC Port", "WmiGuid",
      "EtwRegistration", "FilterConnectionPort", "FilterCommunicationPort", "PcwObject");
  private static final long TYPE_OBJECTS_BASE = 0x83b3e000L;
  private static final long TYPE_OBJECT_STRIDE = 0x90; // sizeof(OBJECT_TYPE) on x86 Vista, rounded

  private final KdTarget target;
  private final ProcessExtension processes;

  ObjectExtension(KdTarget target, ProcessExtension processes) {
    this.target = target;
    this.processes = processes;
  }

  /** Registers {@code !object} and {@code !handle}. */
  static void register(KdCommands table) {
    KdTarget target = table.target();
    ObjectExtension e =
        new ObjectExtension(target, new ProcessExtension(target, new ThreadExtension(target)));
    table.register("!object", "!object <address>|<path> [<flags>]",
        "an object's type, header, handle and pointer counts, name", e::object);
    table.register("!handle", "!handle [<handle> [<flags> [<process> [<type>]]]]",
        "a process's handles (default: the current process; process 0: all); flags 1 handle, "
            + "object and access, 2 the object's header", e::handle);
    table.example("!object", "!object \\BaseNamedObjects");
    table.example("!handle", "!handle 0 f");
  }

  // ------------------------------------------------------------------ !object

  /** {@code !object <address>|<path> [flags]}. */
  void object(Listing out, List<String> args) {
    if (args.isEmpty()) {
      throw new KdError("Usage: !object <address>|<path> [flags]   (e.g. !object "
          + "\\BaseNamedObjects)");
    }
    if (args.get(0).startsWith("\\")) {
      int flags = args.size() > 1 ? KdFormat.flags(args.get(1)) : 0x9;
      named(out, args.get(0), flags);
      return;
    }
    long address = KdFormat.address(args.get(0));
    int flags = args.size() > 1 ? KdFormat.flags(args.get(1)) : 0x9;
    Object body = address == 0 ? null : target.objectAt(address);
    if (body == null) {
      throw new KdError(KdFormat.hex8(address) + ": Not a valid object (ObjectType invalid)");
    }
    header(out, body, flags, "    ");
  }

  /**
   * The object block: {@code Object: <addr>  Type: (<type>) <name>}, then, with flag 0x1, the
   * header line and, indented by {@code detail} ({@code !object} uses four spaces, {@code !handle}
   * eight), the counts, the name and the dispatcher state.
   */
  void header(Listing out, Object body, int flags, String detail) {
    long address = KdTarget.addressOf(body);
    ObjectHeader h = ObjectManager.headerOf(body);
    if (h == null) {
      String kind = body instanceof DispatcherObject d ? ThreadExtension.objectTypeText(d) : "?";
      out.format("Object: %s  Type: (00000000) %s", KdFormat.hex8(address), kind);
      out.line("    ntsim: a kernel object with no object header (allocated by kernel"
          + " code, not through the object manager)");
    } else {
      out.format("Object: %s  Type: (%s) %s", KdFormat.hex8(address),
          KdFormat.hex8(typeAddress(h.type.name)), h.type.name);
      if ((flags & 0x1) != 0) {
        out.format("    ObjectHeader: %s (old version)",
            KdFormat.hex8(h.headerAddress()));
        out.format("%sHandleCount: %d  PointerCount: %d", detail, h.handleCount(),
            h.pointerCount());
        if (h.name() != null && !h.name().isEmpty()) {
          out.format("%sDirectory Object: 00000000  Name: %s", detail, h.name());
        }
      }
    }
    if (body instanceof DispatcherObject d && (flags & 0x1) != 0) {
      out.line(detail + dispatcherState(d));
    }
  }

  /**
   * {@code !object \\Path}: the object the path names (links followed, as the object manager
   * resolves them, case-insensitively), its header and name, a symbolic link's target, and a
   * directory's entries with the hash bucket NT files each under (37 buckets).
   */
  private void named(Listing out, String path, int flags) {
    ObjectHeader h = target.os.ob.lookupPath(path);
    if (h == null) {
      throw new KdError("Object " + path + " not found");
    }
    out.format("Object: %s  Type: (%s) %s", KdFormat.hex8(h.bodyAddress),
        KdFormat.hex8(typeAddress(h.type.name)), h.type.name);
    out.format("    ObjectHeader: %s (old version)", KdFormat.hex8(h.headerAddress()));
    out.format("    HandleCount: %d  PointerCount: %d", h.handleCount(), h.pointerCount());
    String full = h.fullName();
    if (full != null && !full.equals(ObjectManager.ROOT_NAME)) {
      int cut = full.lastIndexOf('\\');
      ObjectHeader parent = target.os.ob.lookupPath(cut == 0 ? ObjectManager.ROOT_NAME
          : full.substring(0, cut));
      out.format("    Directory Object: %s  Name: %s",
          KdFormat.hex8(parent == null ? 0 : parent.bodyAddress), h.name());
    }
    switch (h.body) {
      case SymbolicLink link -> {
        out.line("");
        out.format("    Target String is '%s'", link.target());
      }
      case ObjectDirectory directory -> entries(out, directory);
      case DispatcherObject d -> out.line("    " + dispatcherState(d));
      case ETimer t -> out.line("    " + dispatcherState(t.timer));
      default -> { }
    }
  }

  private static void entries(Listing out, ObjectDirectory directory) {
    out.line("");
    out.line("    Hash Address  Type                      Name");
    out.line("    ---- -------  ----                      ----");
    List<ObjectHeader> objects = new ArrayList<>(directory.objects());
    objects.sort(Comparator.comparingInt((ObjectHeader o) -> hashBucket(o.name()))
        .thenComparing(ObjectHeader::name));
    int previous = -1;
    for (ObjectHeader o : objects) {
      int bucket = hashBucket(o.name());
      out.format("     %s  %s %-25s %s", bucket == previous ? "  "
          : String.format(Locale.ROOT, "%02d", bucket), KdFormat.hex8(o.bodyAddress),
          o.type.name, o.name());
      previous = bucket;
    }
  }

  /**
   * The directory bucket NT hashes a name into: over the upper-cased name, h += (h << 1) +
   * (h >> 1) + c, then h mod 37 (x86, 32-bit arithmetic).
   */
  static int hashBucket(String name) {
    int h = 0;
    for (int i = 0; i < name.length(); i++) {
      h += (h << 1) + (h >>> 1) + Character.toUpperCase(name.charAt(i));
    }
    return Integer.remainderUnsigned(h, 37);
  }

  /** The stand-in address of the OBJECT_TYPE called {@code name}. */
  static long typeAddress(String name) {
    int i = TYPE_ORDER.indexOf(name);
    return TYPE_OBJECTS_BASE + (i >= 0 ? i : TYPE_ORDER.size()) * TYPE_OBJECT_STRIDE;
  }

  /** {@code ntsim: SynchronizationEvent  SignalState 0  Waiters: 84000290 840002f0}. */
  static String dispatcherState(DispatcherObject d) {
    StringBuilder s = new StringBuilder("ntsim: ").append(ThreadExtension.objectTypeText(d));
    s.append("  SignalState ").append(d.signalState());
    switch (d) {
      case KMutant m -> s.append(m.abandoned() ? "  Abandoned" : "");
      case KSemaphore sem -> s.append("  Count ").append(sem.count());
      case KQueue q -> s.append(String.format(Locale.ROOT, "  Entries %d  CurrentCount %d"
          + "  MaximumCount %d", q.entryCount(), q.currentCount(), q.maximumCount()));
      default -> { }
    }
    List<WaitBlock> waiters = d.waitBlocks();
    if (waiters.isEmpty()) {
      s.append("  no waiters");
    } else {
      s.append("  Waiters:");
      for (WaitBlock b : waiters) {
        KThread t = b.thread();
        s.append(' ').append(KdFormat.hex8(t == null ? 0 : t.address));
      }
    }
    return s.toString();
  }

  // ------------------------------------------------------------------ !handle

  /** {@code !handle [handle [flags [process [type]]]]}. */
  void handle(Listing out, List<String> args) {
    long handle = args.isEmpty() ? 0 : KdFormat.address(args.get(0));
    if (handle == KdTarget.CURRENT) {
      handle = 0;
    }
    int flags = args.size() > 1 ? KdFormat.flags(args.get(1)) : 0x3;
    long selector = args.size() > 2 ? KdFormat.address(args.get(2)) : KdTarget.CURRENT;
    String typeName = args.size() > 3 ? args.get(3) : null;
    if (args.size() > 4) {
      throw KdError.unresolved(args.get(4));
    }
    if (selector == 0) {
      out.line("**** NT ACTIVE PROCESS HANDLE DUMP ****");
      // PsActiveProcessHead: Idle is not on it
      for (EProcess p : target.activeProcesses()) {
        table(out, p, handle, flags, typeName);
      }
      return;
    }
    EProcess p = selector == KdTarget.CURRENT ? currentProcess() : target.process(selector);
    if (p == null) {
      throw new KdError("Searching for Process with Cid == " + Long.toHexString(selector)
          + "\nUnable to read _EPROCESS at " + KdFormat.hex8(selector));
    }
    table(out, p, handle, flags, typeName);
  }

  private EProcess currentProcess() {
    EProcess p = KdTarget.processOf(target.currentThread());
    return p != null ? p : target.os.ps.idleProcess();
  }

  private void table(Listing out, EProcess p, long handle, int flags, String typeName) {
    HandleTable table = p.handleTable();
    processes.print(out, p, 0);
    out.format("Handle table at %s with %d entries in use", KdFormat.hex8(table.tableCode()),
        table.count());
    out.blank();
    if (handle != 0) {
      ObjectHeader h = table.entry(handle);
      if (h == null) {
        out.format("%04x: free handle (ntsim: or never allocated)", handle);
        out.blank();
      } else {
        entry(out, table, handle, h, flags);
      }
      return;
    }
    for (long each : table.handles()) {
      ObjectHeader h = table.entry(each);
      if (h != null && (typeName == null || h.type.name.equalsIgnoreCase(typeName))) {
        entry(out, table, each, h, flags);
      }
    }
  }

  /**
   * Where the HANDLE_TABLE_ENTRY for {@code handle} lies in the table's first-level page;
   * 00000000, as WinDbg prints a null pointer, for a handle past it (not laid out in memory).
   */
  private static long entryAddress(HandleTable table, long handle) {
    long index = handle / 4;
    return table.tableCode() == 0 || index >= HandleTable.LOWLEVEL_COUNT ? 0
        : table.tableCode() + index * 8;
  }

  private void entry(Listing out, HandleTable table, long handle, ObjectHeader h, int flags) {
    if ((flags & 0x1) != 0) {
      out.format("%04x: Object: %s  GrantedAccess: %s Entry: %s", handle,
          KdFormat.hex8(h.bodyAddress), KdFormat.hex8(table.access(handle)),
          KdFormat.hex8(entryAddress(table, handle)));
    }
    if ((flags & 0x2) != 0) {
      header(out, h.body, 0x1, "        ");
    }
    out.blank();
  }
}
