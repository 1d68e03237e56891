package org.ntsim.kd.layout;

import java.util.List;
import org.ntsim.ke.DispatcherObject;
import org.ntsim.ke.KEvent;
import org.ntsim.ke.KMutant;
import org.ntsim.ke.KProcess;
import org.ntsim.ke.KQueue;
import org.ntsim.ke.KSemaphore;
import org.ntsim.ke.KThread;
import org.ntsim.ke.KTimer;
import org.ntsim.ke.Kdpc;
import org.ntsim.ke.WaitBlock;
import org.ntsim.mm.AddressSpace;
import org.ntsim.mm.Vad;
import org.ntsim.mm.WorkingSet;
import org.ntsim.ob.HandleTable;
import org.ntsim.ob.ObjectHeader;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.EThread;
import org.ntsim.win32.Ntos;

/**
 * Lays out dispatcher objects at their addresses for {@link KernelImage}: DISPATCHER_HEADER and
 * the type's own members for events, mutants, semaphores, timers and queues; KTHREAD/ETHREAD with
 * their wait blocks, and KPROCESS/EPROCESS with their thread lists and VAD tree.
 *
 * <p>Models the lists as NT links them: a dispatcher object's WaitListHead runs through the
 * waiting threads' KWAIT_BLOCKs (a thread's blocks are its built-in WaitBlock[4] at KTHREAD+0xb8,
 * chained through NextWaitBlock in a ring); a process's ThreadListHead through its threads'
 * ThreadListEntry (KPROCESS+0x50 through KTHREAD+0x1c4, EPROCESS+0x168 through ETHREAD+0x248);
 * a KPRCB's ready lists through the threads' WaitListEntry; PsActiveProcessHead through
 * ActiveProcessLinks; a thread's MutantListHead through its mutants' MutantListEntry; the VAD
 * tree from VadRoot.BalancedRoot.RightChild, the root's parent being BalancedRoot.
 *
 * <p>Left out: APC queues (empty list heads), timers' links into the timer table, the TEB and PEB
 * pointers (zero: no PEB or TEB pages are made), kernel stacks, handle tables' list
 * (HandleTableList is empty) and entries past the first page.
 */
final class ObjectImage {
  /** Grows the kernel image's resident pages to cover a structure about to be written. */
  interface Residency {
    void ensure(long va, long bytes);
  }

  // KOBJECTS values and DISPATCHER_HEADER.Size (in ULONGs) per type.
  private static final int DPC_OBJECT = 0x13;

  private static final StructType DH = VistaX86Types.DISPATCHER_HEADER;
  private static final StructType KT = VistaX86Types.KTHREAD;
  private static final StructType ET = VistaX86Types.ETHREAD;
  private static final StructType KP = VistaX86Types.KPROCESS;
  private static final StructType EP = VistaX86Types.EPROCESS;
  private static final StructType WB = VistaX86Types.KWAIT_BLOCK;

  private final Ntos os;
  private final ImageMemory memory;
  private final Residency residency;

  ObjectImage(Ntos os, ImageMemory memory, Residency residency) {
    this.os = os;
    this.memory = memory;
    this.residency = residency;
  }

  /**
   * Every object of {@code objects}, in the order that keeps each list's links: objects that
   * threads link to (mutants) before the threads; objects that link to threads (queues,
   * processes) or live inside them (a thread's own timer, KTHREAD.Timer) after them. Each
   * structure is cleared before it is written.
   */
  void writeAll(List<DispatcherObject> objects) {
    for (DispatcherObject o : objects) {
      if (!lateKind(o) && !(o instanceof KThread)) {
        write(o);
      }
    }
    for (DispatcherObject o : objects) {
      if (o instanceof KThread) {
        write(o);
      }
    }
    for (DispatcherObject o : objects) {
      if (lateKind(o)) {
        write(o);
      }
    }
  }

  private static boolean lateKind(DispatcherObject o) {
    return o instanceof KQueue || o instanceof KProcess || o instanceof KTimer;
  }

  /** Any dispatcher object, by its kind. */
  void write(DispatcherObject o) {
    if (o instanceof KThread t) {
      writeThread(t);
    } else if (o instanceof KProcess p) {
      writeProcess(p);
    } else if (o instanceof KEvent e) {
      header(e, VistaX86Types.KEVENT.sizeBytes(), true);
    } else if (o instanceof KSemaphore s) {
      header(s, VistaX86Types.KSEMAPHORE.sizeBytes(), true);
      memory.put32(s.address + VistaX86Types.KSEMAPHORE.offset("Limit"), s.limit());
    } else if (o instanceof KMutant m) {
      header(m, VistaX86Types.KMUTANT.sizeBytes(), true);
      StructType t = VistaX86Types.KMUTANT;
      memory.put32(m.address + t.offset("OwnerThread"), m.owner() == null ? 0 : m.owner().address);
      memory.put8(m.address + t.offset("Abandoned"), m.abandoned() ? 1 : 0);
      if (m.owner() == null) {
        memory.emptyList(m.address + t.offset("MutantListEntry"));
      }
    } else if (o instanceof KTimer timer) {
      writeTimer(timer);
    } else if (o instanceof KQueue q) {
      header(q, VistaX86Types.KQUEUE.sizeBytes(), true);
      StructType t = VistaX86Types.KQUEUE;
      memory.emptyList(q.address + t.offset("EntryListHead"));
      memory.put32(q.address + t.offset("CurrentCount"), q.currentCount());
      memory.put32(q.address + t.offset("MaximumCount"), q.maximumCount());
      List<KThread> threads = q.associatedThreads();
      long[] entries = new long[threads.size()];
      for (int i = 0; i < entries.length; i++) {
        entries[i] = threads.get(i).address + KT.offset("QueueListEntry");
      }
      memory.circularList(q.address + t.offset("ThreadListHead"), entries, entries.length);
    }
  }

  /**
   * The DISPATCHER_HEADER at the object's address: Type, Size in ULONGs, SignalState and the
   * wait list through the waiters' wait blocks; {@code clear}: the structure is zeroed first.
   */
  private void header(DispatcherObject o, int sizeBytes, boolean clear) {
    residency.ensure(o.address, sizeBytes);
    if (clear) {
      memory.zero(o.address, sizeBytes);
    }
    memory.put8(o.address + DH.offset("Type"), o.dispatcherType());
    memory.put8(o.address + DH.offset("Size"), sizeBytes / 4);
    memory.put32(o.address + DH.offset("SignalState"), o.signalState());
    List<WaitBlock> waiters = o.waitBlocks();
    long[] entries = new long[waiters.size()];
    int n = 0;
    for (WaitBlock b : waiters) {
      long a = waitBlockAddress(b);
      if (a != 0) {
        entries[n++] = a + WB.offset("WaitListEntry");
      }
    }
    memory.circularList(o.address + DH.offset("WaitListHead"), entries, n);
  }

  /** The KWAIT_BLOCK a wait block occupies: its thread's WaitBlock[i], or 0 past the fourth. */
  static long waitBlockAddress(WaitBlock b) {
    List<WaitBlock> blocks = b.thread().currentWaitBlocks();
    int i = blocks.indexOf(b);
    return i < 0 || i >= 4 ? 0
        : b.thread().address + KT.offset("WaitBlock") + (long) i * WB.sizeBytes();
  }

  private void writeTimer(KTimer timer) {
    StructType t = VistaX86Types.KTIMER;
    header(timer, t.sizeBytes(), true);
    memory.put8(timer.address + DH.offset("Inserted"), timer.isInserted() ? 1 : 0);
    memory.put64(timer.address + t.offset("DueTime"),
        timer.isInserted() ? timer.dueTimeNs() / 100 : 0);
    memory.emptyList(timer.address + t.offset("TimerListEntry"));
    memory.put32(timer.address + t.offset("Dpc"), timer.dpc() == null ? 0 : timer.dpc().address);
    memory.put32(timer.address + t.offset("Period"), timer.periodNs() / 1_000_000);
  }

  /** A queued KDPC: its type, importance, target processor and the DpcData it is queued on. */
  void writeDpc(Kdpc d, int cpu, long dpcData) {
    StructType t = VistaX86Types.KDPC;
    residency.ensure(d.address, t.sizeBytes());
    memory.zero(d.address, t.sizeBytes());
    memory.put8(d.address + t.offset("Type"), DPC_OBJECT);
    memory.put8(d.address + t.offset("Importance"), d.importance());
    memory.put16(d.address + t.offset("Number"), d.targetCpu() < 0 ? 0 : d.targetCpu());
    memory.put32(d.address + t.offset("DpcData"), dpcData);
  }

  // ------------------------------------------------------------------ threads

  private void writeThread(KThread t) {
    long a = t.address;
    int size = t instanceof EThread ? ET.sizeBytes() : KT.sizeBytes();
    residency.ensure(a, size);
    memory.zero(a, size);
    header(t, KT.sizeBytes(), false);
    memory.put32(a + KT.offset("ContextSwitches"), t.contextSwitches());
    memory.put8(a + KT.offset("State"), t.state().ordinal());
    memory.put8(a + KT.offset("Priority"), t.priority());
    memory.put16(a + KT.offset("NextProcessor"), Math.max(0, t.lastCpu()));
    memory.put8(a + KT.offset("WaitMode"), t.waitMode());
    memory.put32(a + KT.offset("WaitStatus"), t.waitStatus());
    memory.put32(a + KT.offset("MiscFlags"), (t.kernelStackResident() ? 1 : 0)
        | (t.alertable() ? 1 << 5 : 0));
    memory.put8(a + KT.offset("WaitReason"), t.waitReason());
    memory.put32(a + KT.offset("WaitTime"), t.waitTick());
    memory.put16(a + KT.offset("KernelApcDisable"), -t.kernelApcDisable());
    memory.put16(a + KT.offset("SpecialApcDisable"), -t.specialApcDisable());
    memory.put32(a + KT.offset("Queue"), t.queue() == null ? 0 : t.queue().address);
    writeApcState(t, a + KT.offset("ApcState"), t.addressSpaceProcess());
    memory.put32(a + KT.offset("ApcStatePointer"), a + KT.offset("ApcState"));
    memory.put32(a + KT.offset("ApcStatePointer") + 4, a + KT.offset("SavedApcState"));
    memory.emptyList(a + KT.offset("SavedApcState"));
    memory.emptyList(a + KT.offset("SavedApcState") + 8);
    memory.put8(a + KT.offset("Timer"), DispatcherObject.TIMER_NOTIFICATION);
    memory.put8(a + KT.offset("Timer") + DH.offset("Size"), VistaX86Types.KTIMER.sizeBytes() / 4);
    memory.emptyList(a + KT.offset("Timer") + DH.offset("WaitListHead"));
    writeWaitBlocks(t);
    memory.emptyList(a + KT.offset("QueueListEntry"));
    memory.put8(a + KT.offset("IdealProcessor"), t.idealProcessor());
    memory.put8(a + KT.offset("PreviousMode"), t.previousMode());
    memory.put8(a + KT.offset("BasePriority"), t.basePriority());
    memory.put8(a + KT.offset("PriorityDecrement"), t.priorityDecrement());
    memory.put32(a + KT.offset("UserAffinity"), t.affinity());
    memory.put32(a + KT.offset("Process"), t.kprocess() == null ? 0 : t.kprocess().address);
    memory.put32(a + KT.offset("Affinity"), t.affinity());
    memory.put8(a + KT.offset("SuspendCount"), t.suspendCount());
    memory.put32(a + KT.offset("KernelTime"), t.kernelTicks());
    memory.put32(a + KT.offset("UserTime"), t.userTicks());
    writeMutantList(t);
    if (t instanceof EThread e) {
      writeExecutiveThread(e, a);
    }
  }

  private void writeApcState(KThread t, long apcState, KProcess attached) {
    StructType s = VistaX86Types.KAPC_STATE;
    memory.emptyList(apcState);
    memory.emptyList(apcState + 8);
    memory.put32(apcState + s.offset("Process"), attached == null ? 0 : attached.address);
    memory.put8(apcState + s.offset("KernelApcPending"), t.kernelApcPending() ? 1 : 0);
    memory.put8(apcState + s.offset("UserApcPending"), t.userApcPending() ? 1 : 0);
  }

  /** WaitBlockList and the thread's built-in KWAIT_BLOCKs for its current wait. */
  private void writeWaitBlocks(KThread t) {
    List<WaitBlock> blocks = t.currentWaitBlocks();
    int n = Math.min(blocks.size(), 4);
    long first = t.address + KT.offset("WaitBlock");
    memory.put32(t.address + KT.offset("WaitBlockList"), n == 0 ? 0 : first);
    for (int i = 0; i < n; i++) {
      WaitBlock b = blocks.get(i);
      long wb = first + (long) i * WB.sizeBytes();
      memory.put32(wb + WB.offset("Thread"), t.address);
      memory.put32(wb + WB.offset("Object"), b.object() == null ? 0 : b.object().address);
      memory.put32(wb + WB.offset("NextWaitBlock"), i + 1 < n ? wb + WB.sizeBytes() : first);
      memory.put16(wb + WB.offset("WaitKey"), b.waitKey());
      memory.put8(wb + WB.offset("WaitType"), b.waitType());
      linkIntoWaitList(b, wb);
    }
  }

  /**
   * The block's WaitListEntry links to its neighbours on its object's wait list (blocks that have
   * no KWAIT_BLOCK in the image, past a thread's fourth, are left out of the list).
   */
  private void linkIntoWaitList(WaitBlock b, long wb) {
    DispatcherObject o = b.object();
    if (o == null) {
      memory.emptyList(wb);
      return;
    }
    long head = o.address + DH.offset("WaitListHead");
    long previous = head;
    boolean found = false;
    for (WaitBlock other : o.waitBlocks()) {
      long a = waitBlockAddress(other);
      if (a == 0) {
        continue;
      }
      if (found) {
        memory.listEntry(wb, a + WB.offset("WaitListEntry"), previous);
        return;
      }
      if (other == b) {
        found = true;
      } else {
        previous = a + WB.offset("WaitListEntry");
      }
    }
    if (found) {
      memory.listEntry(wb, head, previous);
    } else {
      memory.emptyList(wb);
    }
  }

  private void writeMutantList(KThread t) {
    List<KMutant> owned = t.ownedMutants();
    long[] entries = new long[owned.size()];
    for (int i = 0; i < entries.length; i++) {
      entries[i] = owned.get(i).address + VistaX86Types.KMUTANT.offset("MutantListEntry");
    }
    memory.circularList(t.address + KT.offset("MutantListHead"), entries, entries.length);
  }

  private void writeExecutiveThread(EThread e, long a) {
    memory.put32(a + KT.offset("Teb"), e.tebAddress());
    if (e.tebAddress() != 0 && e.process() != null) {
      // The last error is kept in the model: its TEB copy is brought in step here, in the
      // thread's own address space, when the page is resident.
      memory.put(e.tebAddress() + VistaX86Types.TEB.offset("LastErrorValue"), 4, e.lastError,
          (int) (e.process().directoryTableBase() >>> 12));
    }
    memory.put64(a + ET.offset("CreateTime"), e.createTimeNs() / 100);
    memory.put64(a + ET.offset("ExitTime"), e.exitTimeNs() > 0 ? e.exitTimeNs() / 100 : 0);
    memory.put32(a + ET.offset("ExitStatus"), e.exitStatus());
    memory.emptyList(a + ET.offset("PostBlockList"));
    memory.emptyList(a + ET.offset("ActiveTimerListHead"));
    long cid = a + ET.offset("Cid");
    memory.put32(cid, e.process() == null ? 0 : e.process().pid());
    memory.put32(cid + 4, e.tid());
    memory.put8(a + ET.offset("KeyedWaitSemaphore"), DispatcherObject.SEMAPHORE);
    memory.put8(a + ET.offset("KeyedWaitSemaphore") + DH.offset("Size"),
        VistaX86Types.KSEMAPHORE.sizeBytes() / 4);
    memory.emptyList(a + ET.offset("KeyedWaitSemaphore") + DH.offset("WaitListHead"));
    memory.emptyList(a + ET.offset("IrpList"));
  }

  // ------------------------------------------------------------------ processes

  /** nt!PsActiveProcessHead through each active process's ActiveProcessLinks. */
  void writeProcessList(List<EProcess> active) {
    residency.ensure(SystemAddresses.PS_ACTIVE_PROCESS_HEAD, 8);
    long[] entries = new long[active.size()];
    for (int i = 0; i < entries.length; i++) {
      entries[i] = active.get(i).address + EP.offset("ActiveProcessLinks");
    }
    memory.circularList(SystemAddresses.PS_ACTIVE_PROCESS_HEAD, entries, entries.length);
  }

  private void writeProcess(KProcess p) {
    long a = p.address;
    int size = p instanceof EProcess ? EP.sizeBytes() : KP.sizeBytes();
    residency.ensure(a, size);
    memory.zero(a, size);
    header(p, KP.sizeBytes(), false);
    memory.emptyList(a + KP.offset("ProfileListHead"));
    memory.put32(a + KP.offset("DirectoryTableBase"), p.directoryTableBase());
    memory.put32(a + KP.offset("KernelTime"), p.kernelTicks());
    memory.put32(a + KP.offset("UserTime"), p.userTicks());
    memory.emptyList(a + KP.offset("ReadyListHead"));
    List<KThread> threads = p.kernelThreads();
    long[] entries = new long[threads.size()];
    for (int i = 0; i < entries.length; i++) {
      entries[i] = threads.get(i).address + KT.offset("ThreadListEntry");
    }
    memory.circularList(a + KP.offset("ThreadListHead"), entries, entries.length);
    memory.put32(a + KP.offset("Affinity"), p.affinity());
    memory.put8(a + KP.offset("BasePriority"), p.basePriority());
    memory.put8(a + KP.offset("QuantumReset"), p.quantumReset());
    memory.emptyList(a + KP.offset("ProcessListEntry"));
    if (p instanceof EProcess e) {
      writeExecutiveProcess(e, a);
    }
  }

  private void writeExecutiveProcess(EProcess e, long a) {
    memory.put64(a + EP.offset("CreateTime"), e.createTimeNs() / 100);
    memory.put64(a + EP.offset("ExitTime"), e.exitTimeNs() > 0 ? e.exitTimeNs() / 100 : 0);
    memory.put32(a + EP.offset("UniqueProcessId"), e.pid());
    memory.emptyList(a + EP.offset("SessionProcessLinks"));
    memory.put32(a + EP.offset("ObjectTable"), e.objectTableAddress());
    memory.put32(a + EP.offset("Peb"), e.pebAddress());
    writeHandleTable(e);
    memory.put32(a + EP.offset("InheritedFromUniqueProcessId"), e.parentId());
    memory.ascii(a + EP.offset("ImageFileName"), e.imageName(), 16);
    memory.emptyList(a + EP.offset("JobLinks"));
    List<EThread> threads = e.threads();
    long[] entries = new long[threads.size()];
    for (int i = 0; i < entries.length; i++) {
      entries[i] = threads.get(i).address + ET.offset("ThreadListEntry");
    }
    memory.circularList(a + EP.offset("ThreadListHead"), entries, entries.length);
    memory.put32(a + EP.offset("ActiveThreads"), e.activeThreads());
    memory.put32(a + EP.offset("ExitStatus"), e.exitStatus());
    memory.put8(a + EP.offset("PriorityClass"), e.priorityClass());
    memory.emptyList(a + EP.offset("MmProcessLinks"));
    AddressSpace as = e.addressSpace();
    if (as != null) {
      writeMemoryFields(a, as);
    }
  }

  /**
   * The process's HANDLE_TABLE and its first-level page of HANDLE_TABLE_ENTRYs: each entry's
   * first ULONG the OBJECT_HEADER's address with the unlocked bit (1) and the handle's
   * OBJ_INHERIT (2) and OBJ_AUDIT_OBJECT_CLOSE (4) attributes, the second the granted access,
   * with bit 25 (the WRK's ObpAccessProtectCloseBit) for a handle protected from close, since bit
   * 0 of the first is the entry's lock.
   */
  private static final int PROTECT_CLOSE_ACCESS_BIT = 0x0200_0000;

  private void writeHandleTable(EProcess e) {
    HandleTable table = e.handleTable();
    long a = table.address();
    if (a == 0) {
      return;
    }
    StructType t = VistaX86Types.HANDLE_TABLE;
    memory.zero(a, t.sizeBytes());
    memory.put32(a + t.offset("TableCode"), table.tableCode());
    memory.put32(a + t.offset("QuotaProcess"), e.address);
    memory.put32(a + t.offset("UniqueProcessId"), e.pid());
    memory.emptyList(a + t.offset("HandleTableList"));
    memory.put32(a + t.offset("HandleCount"), table.count());
    memory.put32(a + t.offset("NextHandleNeedingPool"), HandleTable.LOWLEVEL_COUNT * 4L);
    long entries = table.tableCode();
    memory.zero(entries, HandleTable.LOWLEVEL_COUNT * 8);
    for (long h : table.handles()) {
      if (h / 4 >= HandleTable.LOWLEVEL_COUNT) {
        break;
      }
      ObjectHeader header = table.entry(h);
      long entry = entries + (h / 4) * 8;
      memory.put32(entry, header.headerAddress() | 1 | (table.attributes(h) & 6));
      boolean protect = (table.attributes(h) & HandleTable.OBJ_PROTECT_CLOSE) != 0;
      memory.put32(entry + 4, table.access(h) | (protect ? PROTECT_CLOSE_ACCESS_BIT : 0));
    }
  }

  private void writeMemoryFields(long a, AddressSpace as) {
    memory.put32(a + EP.offset("CommitCharge"), as.commitCharge());
    memory.put32(a + EP.offset("CommitChargePeak"), as.peakCommitCharge());
    memory.put32(a + EP.offset("NumberOfPrivatePages"), as.validPrivatePages());
    memory.put32(a + EP.offset("NumberOfLockedPages"), as.lockedPages());
    long vm = a + EP.offset("Vm");
    StructType s = VistaX86Types.MMSUPPORT;
    WorkingSet ws = as.workingSet();
    memory.emptyList(vm + s.offset("WorkingSetExpansionLinks"));
    memory.put32(vm + s.offset("PageFaultCount"), as.pageFaults());
    memory.put32(vm + s.offset("PeakWorkingSetSize"), ws.peak());
    memory.put32(vm + s.offset("MinimumWorkingSetSize"), ws.minimumPages());
    memory.put32(vm + s.offset("MaximumWorkingSetSize"), ws.maximumPages());
    memory.put32(vm + s.offset("WorkingSetSize"), ws.count());
    writeVadTree(a + EP.offset("VadRoot"), as);
  }

  /** VadRoot (_MM_AVL_TABLE) and each VAD's _MMVAD_SHORT part. */
  private void writeVadTree(long vadRoot, AddressSpace as) {
    StructType table = VistaX86Types.MM_AVL_TABLE;
    Vad root = as.vads().root();
    memory.put32(vadRoot + VistaX86Types.MMADDRESS_NODE.offset("RightChild"),
        root == null ? 0 : root.address());
    int depth = 0;
    for (Vad v : as.vads().inOrder()) {
      depth = Math.max(depth, v.level() + 1);
      writeVad(v, vadRoot);
    }
    memory.put32(vadRoot + 0x14, (depth & 0x1F) | ((long) as.vads().count() << 8));
    memory.put32(vadRoot + table.offset("NodeHint"), root == null ? 0 : root.address());
  }

  private void writeVad(Vad v, long vadRoot) {
    long a = v.address();
    if (a == 0) {
      return;
    }
    StructType s = VistaX86Types.MMVAD_SHORT;
    memory.zero(a, s.sizeBytes());
    memory.put32(a + s.offset("Parent"), v.parentVad() == null ? vadRoot : v.parentVad().address());
    memory.put32(a + s.offset("LeftChild"), v.leftChild() == null ? 0 : v.leftChild().address());
    memory.put32(a + s.offset("RightChild"), v.rightChild() == null ? 0 : v.rightChild().address());
    memory.put32(a + s.offset("StartingVpn"), v.startingVpn());
    memory.put32(a + s.offset("EndingVpn"), v.endingVpn());
    long flags = (v.commitCharge() & 0x7FFFF) | (v.memCommit() ? 1L << 23 : 0)
        | ((long) (v.protection() & 0x1F) << 24) | (1L << 31); // PrivateMemory
    memory.put32(a + s.offset("LongFlags"), flags);
  }
}
