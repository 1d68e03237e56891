package org.ntsim.kd;

import java.util.ArrayList;
import java.util.List;
import org.ntsim.hal.Machine;
import org.ntsim.ke.DispatcherObject;
import org.ntsim.ke.KMutant;
import org.ntsim.ke.KPrcb;
import org.ntsim.ke.KProcess;
import org.ntsim.ke.KThread;
import org.ntsim.ke.KTimer;
import org.ntsim.ke.Kernel;
import org.ntsim.ke.WaitBlock;
import org.ntsim.kd.layout.KernelImage;
import org.ntsim.kd.layout.SystemAddresses;
import org.ntsim.ob.HandleTable;
import org.ntsim.ob.ObjectHeader;
import org.ntsim.ob.ObjectManager;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.EThread;
import org.ntsim.win32.Ntos;

/**
 * The stopped system as the debugger sees it: the processor commands apply to, and the lookups a
 * debugger does by walking kernel lists (processes by address or client ID, threads by address).
 *
 * <p>Models: KD's notion of a current processor (the one that broke in, changed with {@code ~N}),
 * and PsActiveProcessHead walked in creation order. Every lookup only reads kernel state.
 *
 * <p>Invariants: {@code currentCpu} is a valid processor index; lists come back in kernel order
 * (creation order), never hash order.
 *
 * <p>The image of kernel structures in simulated memory ({@link KernelImage}) is brought in step
 * with the model before each command ({@link #refreshImage}), so that {@code dd}, {@code dt},
 * {@code poi} and {@code !pte} read what the model holds; KPCRs are where Vista x86 has them
 * ({@link SystemAddresses}).
 */
final class KdTarget {
  /** Offset of the KPRCB inside the x86 KPCR. */
  static final long PRCB_OFFSET = SystemAddresses.PRCB_OFFSET;
  /** The address -1 (ffffffff) that extensions read as "the current one". */
  static final long CURRENT = 0xFFFFFFFFL;

  final Ntos os;
  private int currentCpu;
  private boolean processorSelected; // the user has chosen a processor with ~N
  private EProcess implicitProcess; // set by .process; null: the current thread's process

  private final KernelImage image;

  KdTarget(Ntos os) {
    this.os = os;
    this.image = new KernelImage(os);
  }

  /**
   * Brings the image of kernel structures in simulated memory in step with the model; the
   * console calls it before every command, since any command may read kernel memory.
   */
  void refreshImage() {
    image.refresh(reachableObjects());
  }

  KernelImage image() {
    return image;
  }

  /**
   * The {@code bytes} bytes (1, 2, 4 or 8) at virtual address {@code va} as the debugger reads
   * them: through the page tables of the process memory commands read ({@code .process}, else
   * the current thread's), a system address through the boot directory when the process lacks
   * its PDE; -1 when a byte of it is not readable.
   */
  long readVirtual(long va, int bytes) {
    EProcess p = implicitProcess != null ? implicitProcess : processOf(currentThread());
    var memory = os.mm.physicalMemory();
    int directory = p != null && p.addressSpace() != null && !p.addressSpace().isDeleted()
        ? p.addressSpace().directoryFrame() : os.mm.systemDirectoryFrame();
    long value = 0;
    for (int k = 0; k < bytes; k++) {
      long a = (va + k) & 0xFFFFFFFFL;
      long pa = physical(memory, directory, a);
      if (pa < 0) {
        return -1;
      }
      value |= (memory.readByte(pa) & 0xFFL) << (8 * k);
    }
    return value;
  }

  private long physical(org.ntsim.hal.PhysicalMemory memory, int directory, long va) {
    long index = va >>> 22;
    int pde = memory.readInt(((long) directory << 12) + index * 4);
    if ((pde & org.ntsim.hal.X86Pte.VALID) == 0 && va >= 0x80000000L) {
      pde = memory.readInt(((long) os.mm.systemDirectoryFrame() << 12) + index * 4);
    }
    if ((pde & org.ntsim.hal.X86Pte.VALID) == 0) {
      return -1;
    }
    int pte = memory.readInt(((long) org.ntsim.hal.X86Pte.frame(pde) << 12)
        + ((va >>> 12) & 0x3FF) * 4);
    if ((pte & org.ntsim.hal.X86Pte.VALID) == 0) {
      return -1;
    }
    return ((long) org.ntsim.hal.X86Pte.frame(pte) << 12) | (va & 0xFFF);
  }

  Kernel kernel() {
    return os.kernel;
  }

  Machine machine() {
    return os.machine;
  }

  int cpuCount() {
    return os.machine.cpuCount();
  }

  int currentCpu() {
    return currentCpu;
  }

  void setCurrentCpu(int cpu) {
    currentCpu = cpu;
  }

  /** {@code ~N}: the user makes processor {@code cpu} current; the prompt shows it from now on. */
  void selectProcessor(int cpu) {
    currentCpu = cpu;
    processorSelected = true;
  }

  boolean processorSelected() {
    return processorSelected;
  }

  /** The process whose address space memory commands read (.process), or null for the default. */
  EProcess implicitProcess() {
    return implicitProcess;
  }

  void setImplicitProcess(EProcess p) {
    implicitProcess = p;
  }

  KPrcb prcb(int cpu) {
    return os.kernel.prcb(cpu);
  }

  long clockIntervalNs() {
    return os.machine.config.clockIntervalNs;
  }

  /** KeGetCurrentThread as seen from the debugger: the current processor's running thread. */
  KThread currentThread() {
    return prcb(currentCpu).currentThread();
  }

  /** The KPCR of processor {@code cpu}, where Vista x86 places it ({@link SystemAddresses}). */
  static long pcrAddress(int cpu) {
    return SystemAddresses.pcrAddress(cpu);
  }

  static long prcbAddress(int cpu) {
    return SystemAddresses.prcbAddress(cpu);
  }

  /** PsActiveProcessHead: undeleted processes, System first; the Idle process is not on it. */
  List<EProcess> activeProcesses() {
    return os.ps.activeProcesses();
  }

  /** A process by EPROCESS address (the Idle process included) or, failing that, by process ID. */
  EProcess process(long addressOrCid) {
    EProcess idle = os.ps.idleProcess();
    if (idle.address == addressOrCid) {
      return idle;
    }
    for (EProcess p : activeProcesses()) {
      if (p.address == addressOrCid) {
        return p;
      }
    }
    return addressOrCid > 0 ? os.ps.lookupProcess(addressOrCid) : null;
  }

  /** Every thread object the debugger can reach: idle threads, then each process's threads. */
  List<KThread> allThreads() {
    List<KThread> out = new ArrayList<>(os.ps.idleThreads());
    for (EProcess p : activeProcesses()) {
      out.addAll(p.threads());
    }
    return out;
  }

  /** A thread by KTHREAD/ETHREAD address, or null. */
  KThread thread(long address) {
    for (KThread t : allThreads()) {
      if (t.address == address) {
        return t;
      }
    }
    return null;
  }

  /** A thread by thread ID (the {@code -t} form of !thread), or null. */
  KThread threadById(long tid) {
    return tid > 0 ? os.ps.lookupThread(tid) : null;
  }

  /** Processes whose handle tables the debugger walks: the Idle process, then the active ones. */
  List<EProcess> processesWithHandles() {
    List<EProcess> out = new ArrayList<>();
    out.add(os.ps.idleProcess());
    out.addAll(activeProcesses());
    return out;
  }

  /**
   * Every object the debugger can reach from kernel lists, in a fixed order without duplicates:
   * processes and threads, the objects in each process's handle table, what each thread waits
   * on and owns, and the timers in the timer table. Kernel objects that nothing points at (no
   * handle, no waiter, no owner) cannot be found, as on a real target without a pool scan.
   */
  List<Object> reachableObjects() {
    List<Object> out = new ArrayList<>();
    java.util.Set<Long> seen = new java.util.TreeSet<>(); // one object per address
    java.util.function.Consumer<Object> add = o -> {
      if (o != null && seen.add(addressOf(o))) {
        out.add(o);
      }
    };
    for (EProcess p : processesWithHandles()) {
      add.accept(p);
      for (KThread t : p.threads()) {
        add.accept(t);
      }
    }
    for (EProcess p : processesWithHandles()) {
      HandleTable table = p.handleTable();
      for (long h : table.handles()) {
        ObjectHeader header = table.entry(h);
        if (header != null) {
          add.accept(header.body);
        }
      }
    }
    for (KThread t : allThreads()) {
      for (WaitBlock b : t.currentWaitBlocks()) {
        add.accept(b.object());
      }
      for (KMutant m : t.ownedMutants()) {
        add.accept(m);
      }
      if (t.queue() != null) {
        add.accept(t.queue());
      }
    }
    for (KTimer timer : os.kernel.timers()) {
      add.accept(timer);
    }
    return out;
  }

  /** The simulated kernel address of an object body, or -1 when it has none the model knows. */
  static long addressOf(Object body) {
    if (body instanceof DispatcherObject d) {
      return d.address;
    }
    ObjectHeader h = body == null ? null : ObjectManager.headerOf(body);
    return h != null ? h.bodyAddress : -1;
  }

  /** The reachable object whose body is at {@code address}, or null. */
  Object objectAt(long address) {
    for (Object o : reachableObjects()) {
      if (addressOf(o) == address) {
        return o;
      }
    }
    return null;
  }

  /** The process a thread belongs to, as an EPROCESS when it is one. */
  static EProcess processOf(KThread t) {
    if (t instanceof EThread e) {
      return e.process();
    }
    return t.kprocess() instanceof EProcess p ? p : null;
  }

  static String imageOf(KProcess p) {
    return p instanceof EProcess e ? e.imageName() : "";
  }

  /** The processor whose NextThread is {@code t}, or -1. */
  int standbyProcessor(KThread t) {
    for (int i = 0; i < cpuCount(); i++) {
      if (prcb(i).nextThread() == t) {
        return i;
      }
    }
    return -1;
  }

  /** The processor whose CurrentThread is {@code t}, or -1. */
  int runningProcessor(KThread t) {
    for (int i = 0; i < cpuCount(); i++) {
      if (prcb(i).currentThread() == t) {
        return i;
      }
    }
    return -1;
  }

  /** A processor is idle when it runs its idle thread with nothing standing by. */
  boolean isIdle(int cpu) {
    KPrcb p = prcb(cpu);
    return p.currentThread() == p.idleThread() && p.nextThread() == null;
  }

  /** Bit n set for each processor (KeActiveProcessors). */
  long allProcessorsMask() {
    return os.ps.allProcessorsMask();
  }

  long idleProcessorsMask() {
    long mask = 0;
    for (int i = 0; i < cpuCount(); i++) {
      if (isIdle(i)) {
        mask |= 1L << i;
      }
    }
    return mask;
  }
}
