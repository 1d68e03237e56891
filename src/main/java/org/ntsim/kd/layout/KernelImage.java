package org.ntsim.kd.layout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.ntsim.ex.Pool;
import org.ntsim.ex.PoolType;
import org.ntsim.hal.Cpu;
import org.ntsim.hal.Irql;
import org.ntsim.ke.DispatcherObject;
import org.ntsim.ke.KPrcb;
import org.ntsim.ke.KThread;
import org.ntsim.ke.Kdpc;
import org.ntsim.mm.MemoryManager;
import org.ntsim.mm.PfnDatabase;
import org.ntsim.ob.ObjectHeader;
import org.ntsim.ob.ObjectManager;
import org.ntsim.win32.Ntos;

/**
 * The image of the kernel's structures in simulated memory, as a debugger reads them: brought in
 * step with the model ({@link #refresh}) whenever something outside the kernel is about to read
 * kernel memory; the console does it before every command. The model stays the source of truth:
 * the kernel never reads the image, so hot paths pay nothing for it.
 *
 * <p>Models, at Vista x86's offsets ({@link VistaX86Types}): each processor's KPCR with its KPRCB
 * (threads, IRQL, DPC queue, ready lists, counters) and nt!KiProcessorBlock; every reachable
 * process and thread (KPROCESS/EPROCESS, KTHREAD/ETHREAD, their lists, wait blocks, VAD tree) and
 * dispatcher object (DISPATCHER_HEADER and the type's own fields, wait lists through the waiting
 * threads' KWAIT_BLOCKs); the OBJECT_HEADER before every body made by the object manager; the
 * POOL_HEADER of every small pool block (allocations of a page or more have none); the PFN
 * database, one 0x18-byte _MMPFN per frame.
 *
 * <p>Invariants: a refresh writes only kernel structures' bytes at their own addresses; pages it
 * needs in the kernel image's range (KPCRs, kernel data, PFN database) are made resident through
 * the memory manager ({@code SystemPoolPages.residentDataPage}) the first time, pool pages are
 * written only while valid; a refresh neither moves simulated time nor touches a TLB.
 *
 * <p>Left out: NT allocates the KPCRs and the PFN database at boot; here their pages get frames at
 * the first refresh, so that a run without a debugger is the same run (same free memory, same
 * digest). Members ntsim does not model read as zero; so do structures of objects the debugger
 * cannot reach from kernel lists.
 */
public final class KernelImage {
  private final Ntos os;
  private final ImageMemory memory;
  private final ObjectImage objects;
  private long refreshes;

  public KernelImage(Ntos os) {
    this.os = os;
    this.memory = new ImageMemory(os.mm.physicalMemory(), os.mm.systemDirectoryFrame());
    this.objects = new ObjectImage(os, memory, this::ensureResident);
  }

  /** How many times the image was brought in step. */
  public long refreshes() {
    return refreshes;
  }

  /**
   * Brings the image in step with the model: processors, the pools' headers, the objects in
   * {@code reachable} (with their headers), the PFN database.
   */
  public void refresh(List<Object> reachable) {
    refreshes++;
    writePoolHeaders();
    for (Object o : reachable) {
      writeObjectHeader(o);
    }
    objects.writeAll(dispatcherObjects(reachable));
    objects.writeProcessList(os.ps.activeProcesses());
    writeProcessors();
    writePfnDatabase();
  }

  /** Makes the kernel-image pages of {@code [va, va + bytes)} resident; pool pages are left. */
  private void ensureResident(long va, long bytes) {
    if (va < SystemAddresses.KERNEL_IMAGE_START || va >= SystemAddresses.KERNEL_IMAGE_END) {
      return;
    }
    for (long page = va & ~0xFFFL; page < va + bytes; page += 0x1000) {
      if (!memory.resident(page)) {
        os.mm.systemPoolPages().residentDataPage(page);
      }
    }
  }

  // ------------------------------------------------------------------ processors

  private void writeProcessors() {
    int cpus = os.machine.cpuCount();
    ensureResident(SystemAddresses.KI_PROCESSOR_BLOCK, 0x80);
    for (int n = 0; n < 32; n++) {
      memory.put32(SystemAddresses.KI_PROCESSOR_BLOCK + 4L * n,
          n < cpus ? SystemAddresses.prcbAddress(n) : 0);
    }
    for (int n = 0; n < cpus; n++) {
      writePcr(n, os.kernel.prcb(n));
    }
  }

  private void writePcr(int n, KPrcb p) {
    StructType pcrType = VistaX86Types.KPCR;
    long pcr = SystemAddresses.pcrAddress(n);
    ensureResident(pcr, pcrType.sizeBytes());
    memory.zero(pcr, pcrType.sizeBytes());
    Cpu cpu = p.cpu;
    memory.put32(pcr + pcrType.offset("ContextSwitches"), p.contextSwitches());
    memory.put32(pcr + pcrType.offset("SetMemberCopy"), 1L << n);
    memory.put32(pcr + pcrType.offset("SelfPcr"), pcr);
    memory.put32(pcr + pcrType.offset("Prcb"), pcr + SystemAddresses.PRCB_OFFSET);
    memory.put8(pcr + pcrType.offset("Irql"), cpu.irql());
    memory.put32(pcr + pcrType.offset("IRR"), pendingRequests(cpu));
    memory.put32(pcr + pcrType.offset("IDR"), 0xFFFFFFFFL);
    memory.put16(pcr + pcrType.offset("MajorVersion"), 1);
    memory.put16(pcr + pcrType.offset("MinorVersion"), 1);
    memory.put32(pcr + pcrType.offset("SetMember"), 1L << n);
    memory.put8(pcr + pcrType.offset("Number"), n);
    writePrcb(pcr + SystemAddresses.PRCB_OFFSET, n, p);
  }

  private void writePrcb(long prcb, int n, KPrcb p) {
    StructType t = VistaX86Types.KPRCB;
    memory.put16(prcb + t.offset("MinorVersion"), 1);
    memory.put16(prcb + t.offset("MajorVersion"), 1);
    memory.put32(prcb + t.offset("CurrentThread"), address(p.currentThread()));
    memory.put32(prcb + t.offset("NextThread"), address(p.nextThread()));
    memory.put32(prcb + t.offset("IdleThread"), address(p.idleThread()));
    memory.put8(prcb + t.offset("Number"), n);
    memory.put32(prcb + t.offset("SetMember"), 1L << n);
    memory.put32(prcb + t.offset("InterruptCount"), p.cpu.interruptCount());
    memory.put32(prcb + t.offset("KernelTime"), p.kernelTicks());
    memory.put32(prcb + t.offset("UserTime"), p.userTicks());
    memory.put32(prcb + t.offset("DpcTime"), p.dpcTicks());
    memory.put32(prcb + t.offset("InterruptTime"), p.interruptTicks());
    memory.put8(prcb + t.offset("DebuggerSavedIRQL"), p.cpu.irql());
    long dpcData = prcb + t.offset("DpcData");
    List<Kdpc> queue = p.queuedDpcs();
    long[] links = new long[queue.size()];
    for (int i = 0; i < links.length; i++) {
      Kdpc d = queue.get(i);
      objects.writeDpc(d, n, dpcData);
      links[i] = d.address + VistaX86Types.KDPC.offset("DpcListEntry");
    }
    memory.circularList(dpcData, links, links.length);
    memory.put32(dpcData + VistaX86Types.KDPC_DATA.offset("DpcQueueDepth"), p.dpcQueueDepth());
    memory.put32(dpcData + VistaX86Types.KDPC_DATA.offset("DpcCount"), p.dpcCount());
    memory.emptyList(dpcData + VistaX86Types.KDPC_DATA.sizeBytes()); // the threaded DPC queue
    memory.put32(prcb + t.offset("MaximumDpcQueueDepth"), p.maximumDpcQueueDepth());
    memory.put32(prcb + t.offset("DpcRequestRate"), p.dpcRequestRate());
    memory.put32(prcb + t.offset("MinimumDpcRate"), p.minimumDpcRate());
    memory.put8(prcb + t.offset("DpcRoutineActive"), p.dpcRoutineActive() ? 1 : 0);
    memory.emptyList(prcb + t.offset("WaitListHead"));
    memory.put32(prcb + t.offset("ReadySummary"), p.readySummary());
    long readyHeads = prcb + t.offset("DispatcherReadyListHead");
    int waitListEntry = VistaX86Types.KTHREAD.offset("WaitListEntry");
    for (int priority = 0; priority < 32; priority++) {
      List<KThread> ready = p.readyAt(priority);
      long[] entries = new long[ready.size()];
      for (int i = 0; i < entries.length; i++) {
        entries[i] = ready.get(i).address + waitListEntry;
      }
      memory.circularList(readyHeads + 8L * priority, entries, entries.length);
    }
  }

  private static long pendingRequests(Cpu cpu) {
    long mask = 0;
    for (int level = 0; level < Irql.LEVELS; level++) {
      if (cpu.isPending(level)) {
        mask |= 1L << level;
      }
    }
    return mask;
  }

  private static long address(KThread t) {
    return t == null ? 0 : t.address;
  }

  // ------------------------------------------------------------------ pool and object headers

  /** Every small block's POOL_HEADER (its first ULONG as the descriptor keeps it, then the tag). */
  private void writePoolHeaders() {
    Pool pool = os.pool;
    for (PoolType type : new PoolType[] {PoolType.NonPagedPool, PoolType.PagedPool}) {
      long end = pool.highWaterAddress(type);
      for (long page = Pool.rangeStart(type); page < end; page += Pool.PAGE_SIZE) {
        if (!memory.resident(page)) {
          continue;
        }
        Pool.PoolPage p = pool.page(page);
        if (p == null || p.kind() != Pool.PageKind.SMALL_BLOCKS) {
          continue;
        }
        for (Pool.PoolBlock b : p.blocks()) {
          memory.put32(b.address(), b.header());
          memory.put32(b.address() + 4, b.tag());
        }
      }
    }
  }

  /**
   * The OBJECT_HEADER in front of a body the object manager placed in pool (bodies at static
   * addresses have no room for one), with the OBJECT_HEADER_NAME_INFO in front of it when the
   * block was made for a named object.
   */
  private void writeObjectHeader(Object body) {
    ObjectHeader h = ObjectManager.headerOf(body);
    if (h == null || h.poolBlock() == 0) {
      return;
    }
    StructType t = VistaX86Types.OBJECT_HEADER;
    long header = h.headerAddress();
    memory.zero(header, ObjectHeader.BYTES);
    memory.put32(header + t.offset("PointerCount"), h.pointerCount());
    memory.put32(header + t.offset("HandleCount"), h.handleCount());
    ObjectHeader typeHeader = ObjectManager.headerOf(h.type);
    memory.put32(header + t.offset("Type"), typeHeader == null ? 0 : typeHeader.bodyAddress);
    boolean named = h.poolBlock() == header - ObjectHeader.NAME_INFO_BYTES;
    memory.put8(header + t.offset("NameInfoOffset"), named ? ObjectHeader.NAME_INFO_BYTES : 0);
    memory.put8(header + t.offset("Flags"), h.isPermanent() ? OB_FLAG_PERMANENT_OBJECT : 0);
    if (named) {
      memory.zero(header - ObjectHeader.NAME_INFO_BYTES, ObjectHeader.NAME_INFO_BYTES);
    }
  }

  private static final int OB_FLAG_PERMANENT_OBJECT = 0x10;

  // ------------------------------------------------------------------ the PFN database

  /**
   * One _MMPFN per frame, built a page of the database at a time (a 4 GiB machine has a million
   * entries; a page is written to its frame in one copy).
   */
  private void writePfnDatabase() {
    MemoryManager mm = os.mm;
    PfnDatabase db = mm.pfnDatabase();
    int frames = db.frameCount();
    long bytes = (long) frames * SystemAddresses.PFN_ENTRY_SIZE;
    ensureResident(SystemAddresses.PFN_DATABASE, bytes);
    ByteBuffer page = ByteBuffer.allocate(PAGE).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer entry = ByteBuffer.allocate(SystemAddresses.PFN_ENTRY_SIZE)
        .order(ByteOrder.LITTLE_ENDIAN);
    long pageVa = SystemAddresses.PFN_DATABASE;
    for (int f = 0; f < frames; f++) {
      fillPfn(db, f, entry.clear());
      for (int k = 0; k < SystemAddresses.PFN_ENTRY_SIZE; k++) {
        page.put(entry.get(k));
        if (!page.hasRemaining()) {
          memory.putPage(pageVa, page.array());
          pageVa += PAGE;
          page.clear();
        }
      }
    }
    if (page.position() > 0) {
      while (page.hasRemaining()) {
        page.put((byte) 0);
      }
      memory.putPage(pageVa, page.array());
    }
  }

  private static final int PAGE = 4096;

  private static void fillPfn(PfnDatabase db, int f, ByteBuffer e) {
    int state = db.state(f);
    boolean active = state == PfnDatabase.ACTIVE;
    e.putInt(active ? db.wsIndex(f) : db.flink(f));
    e.putInt(active ? db.shareCount(f) : db.blink(f));
    e.putInt((int) db.pteAddress(f));
    e.putShort((short) db.referenceCount(f));
    int flags = db.flags(f);
    int e1 = (state & 7)
        | ((flags & PfnDatabase.FLAG_WRITE_IN_PROGRESS) != 0 ? 1 << 3 : 0)
        | ((flags & PfnDatabase.FLAG_MODIFIED) != 0 ? 1 << 4 : 0)
        | ((flags & PfnDatabase.FLAG_READ_IN_PROGRESS) != 0 ? 1 << 5 : 0);
    e.putShort((short) e1);
    e.putInt(db.originalPte(f));
    e.putInt(db.pteFrame(f) & 0xFFFFF);
  }

  private static List<DispatcherObject> dispatcherObjects(List<Object> reachable) {
    List<DispatcherObject> out = new ArrayList<>();
    for (Object o : reachable) {
      if (o instanceof DispatcherObject d) {
        out.add(d);
      }
    }
    return out;
  }
}
