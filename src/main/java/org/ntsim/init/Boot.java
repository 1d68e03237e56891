package org.ntsim.init;

import org.ntsim.ex.Pool;
import org.ntsim.ex.sync.SyncObjectTypes;
import org.ntsim.ex.sync.SyncServices;
import org.ntsim.hal.Machine;
import org.ntsim.hal.MachineConfig;
import org.ntsim.io.IoManager;
import org.ntsim.ke.KeServices;
import org.ntsim.ke.Kernel;
import org.ntsim.mm.MemoryManager;
import org.ntsim.mm.MmSystemInformation;
import org.ntsim.mm.VirtualMemoryServices;
import org.ntsim.ob.ObServices;
import org.ntsim.ob.ObjectManager;
import org.ntsim.ps.ProcessManager;
import org.ntsim.ps.PsServices;

/**
 * System initialisation, in NT's two phases, in one place (KiSystemStartup, then
 * ExpInitializeExecutive for phase 0 and Phase1Initialization for phase 1).
 *
 * <p>Phase 0 runs on the boot processor with interrupts off and no thread but the idle ones: the
 * HAL (the machine), the kernel (KiInitializeKernel), the executive's pool (ExInitSystem), the
 * memory manager (MmInitSystem phase 0: the PFN database, the system page directory), the object
 * manager (ObInitSystem: its own types and the standard directories; after mm, because objects
 * live in pool), security (nothing yet), and the process manager (PsInitSystem phase 0: the Idle
 * and System processes). Phase 1 brings up what needs them: ex's object types and services
 * (ExpEventInitialization and the others register the event, mutant, semaphore and timer types
 * through ob), the system threads of ke and mm (the balance set manager, the swapper, the zero
 * page thread), the pool's page backing, and the service table's bindings, each component's
 * services registered in it.
 *
 * <p>The order of every step that allocates pool, creates a thread or draws from the random
 * generator is part of every run's trace: changing it changes every digest.
 *
 * <p>Left out: the loader block, the registry, boot-start drivers (the I/O manager is made in
 * phase 1 but loads no driver yet), session space.
 */
public final class Boot {
  private Boot() {}

  /** Boots a machine made from {@code config} through both phases. */
  public static Executive boot(MachineConfig config) {
    // Phase 0.
    Machine machine = new Machine(config); // HalInitSystem(0)
    Kernel kernel = new Kernel(machine); // KiInitializeKernel
    Pool pool = new Pool(kernel); // ExInitSystem: InitializePool
    MemoryManager mm = new MemoryManager(kernel, pool); // MmInitSystem(0)
    ObjectManager ob = new ObjectManager(pool); // ObInitSystem
    ProcessManager ps = new ProcessManager(kernel, ob, mm); // PsInitSystem(0)
    ps.createInitialProcesses(); // PsInitSystem(0): Idle, then System

    // Phase 1 (Phase1Initialization). ExInitSystem(1): ExpEventInitialization and its siblings
    // make ex's object types.
    SyncObjectTypes syncTypes = new SyncObjectTypes(kernel);
    // IoInitSystem: the I/O manager's types, entered when their first object is made.
    IoManager io = new IoManager(kernel, pool, ob);
    // KeInitSystem and MmInitSystem(1): the System process's threads.
    ps.createSystemThread("BalanceSetManager", "nt!KeBalanceSetManager", 16, () -> {
      kernel.balanceSetManagerLoop();
      return 0;
    });
    ps.createSystemThread("SwapperThread", "nt!KeSwapProcessOrStack", 23, () -> {
      kernel.swapperLoop();
      return 0;
    });
    ps.createSystemThread("ZeroPageThread", "nt!MmZeroPageThread", 16, () -> {
      mm.zeroPageThread();
      return 0;
    });
    pool.setPageBacking(mm.systemPoolPages()); // MmInitSystem(1)

    // The service table's bindings: each component's services.
    KeServices keServices = new KeServices(kernel);
    ObServices obServices = new ObServices(ob, kernel, ps, ps.processType);
    SyncServices syncServices = new SyncServices(kernel, ob, obServices, syncTypes,
        () -> ps.currentThread().activeTimers);
    PsServices psServices = new PsServices(ps, obServices, pool);
    VirtualMemoryServices vmServices = new VirtualMemoryServices(kernel, mm, ob, obServices, ps,
        ps.processType);
    MmSystemInformation systemInformation = new MmSystemInformation(kernel, mm, ps);
    SystemServices services = new SystemServices(kernel, keServices, obServices, syncServices,
        psServices, vmServices, systemInformation);
    return new Executive(machine, kernel, pool, mm, ob, ps, syncTypes, services, io);
  }
}
