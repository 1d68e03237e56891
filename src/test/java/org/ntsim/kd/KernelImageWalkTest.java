package org.ntsim.kd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ntsim.ex.Pool;
import org.ntsim.ex.PoolType;
import org.ntsim.hal.MachineConfig;
import org.ntsim.kd.layout.StructType;
import org.ntsim.kd.layout.SystemAddresses;
import org.ntsim.kd.layout.VistaX86Types;
import org.ntsim.ke.DispatcherObject;
import org.ntsim.ke.KPrcb;
import org.ntsim.ke.KThread;
import org.ntsim.ke.WaitBlock;
import org.ntsim.labs.Lab;
import org.ntsim.labs.Labs;
import org.ntsim.mm.PfnDatabase;
import org.ntsim.ob.ObjectHeader;
import org.ntsim.ob.ObjectManager;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.EThread;
import org.ntsim.win32.Ntos;

/**
 * The image of kernel structures in simulated memory against the model, after random workloads:
 * for each seed a lab the seed picks runs on as many processors as the seed says, for a time the
 * seed says; then the image is refreshed, as the console does before a command, and every
 * structure is walked the way a debugger walks it, from nt!KiProcessorBlock and
 * nt!PsActiveProcessHead through list links and pointers, reading memory through the page tables,
 * and each value is checked against the model. Offsets are the Vista x86 ones of
 * {@link VistaX86Types} (ntoskrnl 6.0.6000.16386's symbols).
 */
class KernelImageWalkTest {
  private static final String[] LABS = {"sync-stress", "stress", "waits", "kqueue", "apc",
      "quickstart", "abandoned-mutex", "working-set"};
  private static final StructType KT = VistaX86Types.KTHREAD;
  private static final StructType ET = VistaX86Types.ETHREAD;
  private static final StructType KP = VistaX86Types.KPROCESS;
  private static final StructType EP = VistaX86Types.EPROCESS;
  private static final StructType DH = VistaX86Types.DISPATCHER_HEADER;
  private static final StructType WB = VistaX86Types.KWAIT_BLOCK;

  @Test
  void everyStructureMatchesTheModelAfterRandomWorkloads() {
    for (long seed = 1; seed <= 12; seed++) {
      String lab = LABS[(int) (seed % LABS.length)];
      int cpus = 1 + (int) (seed % 4);
      long runNs = (1 + (seed * 7919) % 40) * 1_000_000L;
      String replay = "SEED=" + seed + " lab=" + lab + " cpus=" + cpus + " run=" + runNs + "ns";
      System.out.println(replay);
      MachineConfig c = new MachineConfig();
      c.seed = seed;
      c.cpus = cpus;
      Ntos os = new Ntos(c);
      try {
        Lab l = Labs.create(lab);
        l.start(os);
        os.machine.runUntil(os.machine.nowNs() + runNs);
        KdTarget target = new KdTarget(os);
        target.refreshImage();
        new Walk(os, target, replay).all();
        os.machine.runUntil(os.machine.nowNs() + runNs / 2); // and again, after more has changed
        target.refreshImage();
        new Walk(os, target, replay + " (second refresh)").all();
      } finally {
        os.shutdown();
      }
    }
  }

  /** One walk of the image, as a debugger reads it. */
  private static final class Walk {
    final Ntos os;
    final KdTarget target;
    final String replay;

    Walk(Ntos os, KdTarget target, String replay) {
      this.os = os;
      this.target = target;
      this.replay = replay;
    }

    long d(long va) {
      long v = target.readVirtual(va, 4);
      assertThat(v).as("%08x is readable; %s", va, replay).isNotNegative();
      return v;
    }

    int b(long va) {
      return (int) target.readVirtual(va, 1);
    }

    void all() {
      processors();
      processes();
      for (Object o : target.reachableObjects()) {
        objectHeader(o);
        if (o instanceof DispatcherObject d) {
          dispatcherHeader(d);
        }
      }
      poolHeaders();
      pfnDatabase();
    }

    /** KiProcessorBlock -> KPRCB; the KPCR around it; threads and ready lists. */
    void processors() {
      for (int n = 0; n < os.machine.cpuCount(); n++) {
        KPrcb p = os.kernel.prcb(n);
        long prcb = d(SystemAddresses.KI_PROCESSOR_BLOCK + 4L * n);
        long pcr = prcb - VistaX86Types.KPCR.offset("PrcbData");
        StructType pcrType = VistaX86Types.KPCR;
        StructType prcbType = VistaX86Types.KPRCB;
        assertThat(pcr).as(replay).isEqualTo(KdTarget.pcrAddress(n));
        assertThat(d(pcr + pcrType.offset("SelfPcr"))).as(replay).isEqualTo(pcr);
        assertThat(d(pcr + pcrType.offset("Prcb"))).as(replay).isEqualTo(prcb);
        assertThat(b(pcr + pcrType.offset("Irql"))).as(replay).isEqualTo(p.cpu.irql());
        assertThat(b(pcr + pcrType.offset("Number"))).as(replay).isEqualTo(n);
        assertThat(d(prcb + prcbType.offset("CurrentThread"))).as(replay)
            .isEqualTo(p.currentThread().address);
        assertThat(d(prcb + prcbType.offset("NextThread"))).as(replay)
            .isEqualTo(p.nextThread() == null ? 0 : p.nextThread().address);
        assertThat(d(prcb + prcbType.offset("IdleThread"))).as(replay)
            .isEqualTo(p.idleThread().address);
        assertThat(d(prcb + prcbType.offset("ReadySummary"))).as(replay)
            .isEqualTo(p.readySummary() & 0xFFFFFFFFL);
        long heads = prcb + prcbType.offset("DispatcherReadyListHead");
        for (int priority = 0; priority < 32; priority++) {
          List<Long> ready = walk(heads + 8L * priority, KT.offset("WaitListEntry"));
          assertThat(ready).as("ready list %d of processor %d; %s", priority, n, replay)
              .isEqualTo(addresses(p.readyAt(priority)));
        }
      }
    }

    /** PsActiveProcessHead -> each EPROCESS and its threads. */
    void processes() {
      List<Long> active = walk(SystemAddresses.PS_ACTIVE_PROCESS_HEAD,
          EP.offset("ActiveProcessLinks"));
      List<Long> expected = new ArrayList<>();
      for (EProcess p : os.ps.activeProcesses()) {
        expected.add(p.address);
      }
      assertThat(active).as(replay).isEqualTo(expected);
      for (EProcess p : os.ps.activeProcesses()) {
        long a = p.address;
        assertThat(b(a + DH.offset("Type"))).as(replay).isEqualTo(DispatcherObject.PROCESS);
        assertThat(d(a + EP.offset("UniqueProcessId"))).as(replay).isEqualTo(p.pid());
        assertThat(d(a + KP.offset("DirectoryTableBase"))).as(replay)
            .isEqualTo(p.directoryTableBase());
        assertThat(string(a + EP.offset("ImageFileName"), 15)).as(replay)
            .isEqualTo(p.imageName().length() > 15 ? p.imageName().substring(0, 15)
                : p.imageName());
        assertThat(walk(a + EP.offset("ThreadListHead"), ET.offset("ThreadListEntry")))
            .as(replay).isEqualTo(addresses(p.threads()));
        assertThat(walk(a + KP.offset("ThreadListHead"), KT.offset("ThreadListEntry")))
            .as(replay).isEqualTo(addresses(p.kernelThreads()));
        handleTable(p);
        for (EThread t : p.threads()) {
          thread(t, p);
        }
      }
    }

    /** EPROCESS.ObjectTable -> HANDLE_TABLE -> TableCode -> one HANDLE_TABLE_ENTRY per handle. */
    void handleTable(EProcess p) {
      long table = d(p.address + EP.offset("ObjectTable"));
      assertThat(table).as(replay).isEqualTo(p.handleTable().address());
      if (table == 0 || target.readVirtual(table, 1) < 0) {
        return; // no table in memory, or its paged pool page is trimmed
      }
      StructType t = VistaX86Types.HANDLE_TABLE;
      assertThat(d(table + t.offset("UniqueProcessId"))).as(replay).isEqualTo(p.pid());
      assertThat(d(table + t.offset("HandleCount"))).as(replay).isEqualTo(p.handleTable().count());
      long entries = d(table + t.offset("TableCode"));
      for (long h : p.handleTable().handles()) {
        if (h >= 2048) {
          break;
        }
        ObjectHeader header = p.handleTable().entry(h);
        assertThat(d(entries + h * 2) & ~7L).as("handle %x of %s; %s", h, p.imageName(), replay)
            .isEqualTo(header.headerAddress());
        assertThat((int) d(entries + h * 2 + 4)).as(replay).isEqualTo(p.handleTable().access(h));
      }
    }

    void thread(EThread t, EProcess p) {
      long a = t.address;
      assertThat(b(a + DH.offset("Type"))).as(replay).isEqualTo(DispatcherObject.THREAD);
      assertThat(b(a + KT.offset("State"))).as(replay).isEqualTo(t.state().ordinal());
      assertThat((byte) b(a + KT.offset("Priority"))).as(replay).isEqualTo((byte) t.priority());
      assertThat((byte) b(a + KT.offset("BasePriority"))).as(replay)
          .isEqualTo((byte) t.basePriority());
      assertThat(b(a + KT.offset("WaitReason"))).as(replay).isEqualTo(t.waitReason());
      assertThat(d(a + KT.offset("Process"))).as(replay).isEqualTo(p.address);
      assertThat(d(a + ET.offset("Cid"))).as(replay).isEqualTo(p.pid());
      assertThat(d(a + ET.offset("Cid") + 4)).as(replay).isEqualTo(t.tid());
      assertThat(d(a + KT.offset("ApcState") + VistaX86Types.KAPC_STATE.offset("Process")))
          .as(replay).isEqualTo(t.addressSpaceProcess().address);
      assertThat(d(a + KT.offset("Teb"))).as(replay).isEqualTo(t.tebAddress());
      assertThat(d(p.address + EP.offset("Peb"))).as(replay).isEqualTo(p.pebAddress());
      teb(t, p);
      List<WaitBlock> blocks = t.currentWaitBlocks();
      long list = d(a + KT.offset("WaitBlockList"));
      assertThat(list).as(replay).isEqualTo(blocks.isEmpty() ? 0 : a + KT.offset("WaitBlock"));
      for (int i = 0; i < Math.min(4, blocks.size()); i++) {
        long wb = list + (long) i * WB.sizeBytes();
        assertThat(d(wb + WB.offset("Thread"))).as(replay).isEqualTo(a);
        assertThat(d(wb + WB.offset("Object"))).as(replay)
            .isEqualTo(blocks.get(i).object().address);
      }
    }

    /**
     * The TEB in the thread's own address space, once the thread has started and filled it in
     * (its page resident): Self, ClientId, the PEB, and the last error the refresh wrote.
     */
    void teb(EThread t, EProcess p) {
      long teb = t.tebAddress();
      if (teb == 0) {
        return;
      }
      target.setImplicitProcess(p);
      try {
        StructType tt = VistaX86Types.TEB;
        long self = target.readVirtual(teb + VistaX86Types.NT_TIB.offset("Self"), 4);
        if (self <= 0) {
          return; // not yet written (the thread has not started) or its page is trimmed
        }
        assertThat(self).as(replay).isEqualTo(teb);
        assertThat(d(teb + tt.offset("ClientId"))).as(replay).isEqualTo(p.pid());
        assertThat(d(teb + tt.offset("ClientId") + 4)).as(replay).isEqualTo(t.tid());
        assertThat(d(teb + tt.offset("ProcessEnvironmentBlock"))).as(replay)
            .isEqualTo(p.pebAddress());
        assertThat((int) d(teb + tt.offset("LastErrorValue"))).as(replay).isEqualTo(t.lastError);
      } finally {
        target.setImplicitProcess(null);
      }
    }

    /** DISPATCHER_HEADER: type, signal state, and the wait list through the waiters' blocks. */
    void dispatcherHeader(DispatcherObject o) {
      long a = o.address;
      assertThat(b(a + DH.offset("Type"))).as("type of %08x; %s", a, replay)
          .isEqualTo(o.dispatcherType());
      assertThat((int) d(a + DH.offset("SignalState"))).as(replay).isEqualTo(o.signalState());
      List<Long> waiters = new ArrayList<>();
      for (long wb : walk(a + DH.offset("WaitListHead"), WB.offset("WaitListEntry"))) {
        waiters.add(d(wb + WB.offset("Thread")));
        assertThat(d(wb + WB.offset("Object"))).as(replay).isEqualTo(a);
      }
      List<Long> expected = new ArrayList<>();
      for (WaitBlock blk : o.waitBlocks()) {
        if (blk.thread().currentWaitBlocks().indexOf(blk) < 4) {
          expected.add(blk.thread().address);
        }
      }
      assertThat(waiters).as("waiters of %08x; %s", a, replay).isEqualTo(expected);
    }

    void objectHeader(Object body) {
      ObjectHeader h = ObjectManager.headerOf(body);
      if (h == null || h.poolBlock() == 0) {
        return;
      }
      StructType t = VistaX86Types.OBJECT_HEADER;
      long header = h.headerAddress();
      assertThat(header + t.offset("Body")).as(replay).isEqualTo(h.bodyAddress);
      assertThat(d(header + t.offset("PointerCount"))).as(replay).isEqualTo(h.pointerCount());
      assertThat(d(header + t.offset("HandleCount"))).as(replay).isEqualTo(h.handleCount());
      assertThat(d(header + t.offset("Type"))).as(replay)
          .isEqualTo(ObjectManager.headerOf(h.type).bodyAddress);
    }

    /** Every small block of every resident pool page has its POOL_HEADER in front of it. */
    void poolHeaders() {
      for (PoolType type : new PoolType[] {PoolType.NonPagedPool, PoolType.PagedPool}) {
        for (long page = Pool.rangeStart(type); page < os.pool.highWaterAddress(type);
            page += Pool.PAGE_SIZE) {
          Pool.PoolPage p = os.pool.page(page);
          if (p.kind() != Pool.PageKind.SMALL_BLOCKS || target.readVirtual(page, 1) < 0) {
            continue;
          }
          for (Pool.PoolBlock blk : p.blocks()) {
            assertThat((int) d(blk.address())).as("header at %08x; %s", blk.address(), replay)
                .isEqualTo(blk.header());
            assertThat((int) d(blk.address() + 4)).as(replay).isEqualTo(blk.tag());
          }
        }
      }
    }

    /** One _MMPFN of 0x18 bytes per frame: list location, PTE address, counts. */
    void pfnDatabase() {
      PfnDatabase db = os.mm.pfnDatabase();
      for (int f = 0; f < db.frameCount(); f++) {
        long e = SystemAddresses.PFN_DATABASE + (long) f * VistaX86Types.MMPFN.sizeBytes();
        assertThat(b(e + 0xe) & 7).as("PageLocation of frame %x; %s", f, replay)
            .isEqualTo(db.state(f));
        assertThat(d(e + VistaX86Types.MMPFN.offset("PteAddress"))).as(replay)
            .isEqualTo(db.pteAddress(f) & 0xFFFFFFFFL);
        assertThat(target.readVirtual(e + 0xc, 2)).as(replay).isEqualTo(db.referenceCount(f));
        if (db.state(f) == PfnDatabase.ACTIVE) {
          assertThat(d(e + 4)).as(replay).isEqualTo(db.shareCount(f));
        }
      }
    }

    /** A circular list from {@code head}: the structures it links at {@code linkOffset}. */
    List<Long> walk(long head, int linkOffset) {
      List<Long> out = new ArrayList<>();
      long entry = d(head);
      for (int guard = 0; entry != head; guard++) {
        assertThat(guard).as("list at %08x ends; %s", head, replay).isLessThan(100_000);
        assertThat(d(entry + 4)).as("Blink of %08x; %s", entry, replay)
            .isEqualTo(out.isEmpty() ? head : out.get(out.size() - 1) + linkOffset);
        out.add(entry - linkOffset);
        entry = d(entry);
      }
      assertThat(d(head + 4)).as(replay)
          .isEqualTo(out.isEmpty() ? head : out.get(out.size() - 1) + linkOffset);
      return out;
    }

    String string(long va, int max) {
      StringBuilder s = new StringBuilder();
      for (int i = 0; i < max; i++) {
        int c = b(va + i);
        if (c <= 0) {
          break;
        }
        s.append((char) c);
      }
      return s.toString();
    }
  }

  private static List<Long> addresses(List<? extends KThread> threads) {
    List<Long> out = new ArrayList<>();
    for (KThread t : threads) {
      out.add(t.address);
    }
    return out;
  }
}
