package org.ntsim.win32;

import org.ntsim.ex.Pool;
import org.ntsim.hal.Machine;
import org.ntsim.hal.MachineConfig;
import org.ntsim.ke.Kernel;
import org.ntsim.ob.ObjectManager;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.EThread;
import org.ntsim.ps.ProcessManager;
import org.ntsim.ps.PsConstants;

/**
 * A booted system: the machine, the kernel, the executive components, and the facades guests
 * call. Creating one boots it (processors started, Idle and System processes with their threads);
 * {@link #launch} starts guest programs, {@link #runFor} runs simulated time.
 */
public final class Ntos {
  public final Machine machine;
  public final Kernel kernel;
  public final Pool pool;
  public final ObjectManager ob;
  /** The event, mutant, semaphore and timer object types. */
  public final org.ntsim.ex.SyncObjectTypes syncTypes = new org.ntsim.ex.SyncObjectTypes();
  public final org.ntsim.mm.MemoryManager mm;
  public final ProcessManager ps;
  /** The kernel's system services (NtYieldExecution, NtDelayExecution, NtTestAlert). */
  public final org.ntsim.ke.KeServices keServices;
  /** The object manager's system services (NtClose, the waits on handles, directories). */
  public final org.ntsim.ob.ObServices obServices;
  /** The memory manager's virtual-memory system services. */
  public final org.ntsim.mm.VirtualMemoryServices vmServices;
  /** NtQuerySystemInformation for the memory figures. */
  public final org.ntsim.mm.MmSystemInformation mmSystemInformation;
  public final Kernel32 kernel32;
  public final Ntdll ntdll;

  public Ntos(MachineConfig config) {
    this.machine = new Machine(config);
    this.kernel = new Kernel(machine);
    this.pool = new Pool(kernel);
    this.ob = new ObjectManager(pool);
    this.mm = new org.ntsim.mm.MemoryManager(kernel, pool);
    this.ps = new ProcessManager(kernel, ob, mm);
    this.keServices = new org.ntsim.ke.KeServices(kernel);
    this.obServices = new org.ntsim.ob.ObServices(ob, kernel, ps, ps.processType);
    this.vmServices = new org.ntsim.mm.VirtualMemoryServices(kernel, mm, ob, obServices, ps,
        ps.processType);
    this.mmSystemInformation = new org.ntsim.mm.MmSystemInformation(kernel, mm, ps);
    this.ntdll = new Ntdll(this);
    this.kernel32 = new Kernel32(this);
    ps.boot();
    pool.setPageBacking(mm.systemPoolPages());
  }

  /**
   * Starts {@code program} in a new process of the given priority class (as a parent outside the
   * simulation, like the session manager, would). The caller keeps a reference to the process, so
   * that its exit status stays readable after it ends.
   */
  public EProcess launch(String imageName, int priorityClass, GuestProgram program,
      String... args) {
    EProcess p = ps.createProcess(imageName, ps.systemProcess(), priorityClass,
        ps.allProcessorsMask());
    GuestContext ctx = new GuestContext(this, args);
    EThread main = ps.createThread(p, imageName + " main", imageName + "!main",
        PsConstants.basePriorityOfClass(priorityClass), 0, false, () -> {
          int code = program.main(ctx);
          kernel32.ExitProcess(code);
          return code;
        }, false);
    ob.dereference(main.header());
    return p;
  }

  public EProcess launch(String imageName, GuestProgram program, String... args) {
    return launch(imageName, PsConstants.NORMAL_PRIORITY_CLASS, program, args);
  }

  /** Runs for {@code ns} of simulated time, or until the machine stops. */
  public void runFor(long ns) {
    machine.runFor(ns);
  }

  /** Runs until every listed process has exited, the machine stops, or {@code limitNs} passes. */
  public boolean runUntilExited(long limitNs, EProcess... processes) {
    long end = machine.nowNs() + limitNs;
    long step = machine.config.clockIntervalNs;
    while (machine.nowNs() < end && !machine.stopped()) {
      boolean all = true;
      for (EProcess p : processes) {
        all &= p.exitStatus() != PsConstants.STILL_ACTIVE;
      }
      if (all) {
        return true;
      }
      machine.runUntil(Math.min(end, machine.nowNs() + step));
    }
    for (EProcess p : processes) {
      if (p.exitStatus() == PsConstants.STILL_ACTIVE) {
        return false;
      }
    }
    return true;
  }

  public void shutdown() {
    machine.shutdown();
  }
}
