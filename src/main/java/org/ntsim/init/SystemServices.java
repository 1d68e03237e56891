package org.ntsim.init;

import org.ntsim.ex.sync.SyncServices;
import org.ntsim.ke.KeServices;
import org.ntsim.ke.Kernel;
import org.ntsim.mm.MmSystemInformation;
import org.ntsim.mm.VirtualMemoryServices;
import org.ntsim.ob.ObServices;
import org.ntsim.ps.PsServices;

/**
 * The service dispatcher's bindings (what KiServiceTable's entries point to): every component's
 * system services, registered at boot, and the trap in and out of them
 * ({@link #trap}/{@link #ret}: KiSystemService's entry from user mode and KiServiceExit). The
 * numbers and names are {@link org.ntsim.ke.ServiceTable}'s. User mode reaches a service only
 * through a trap here (ntdll's stubs); kernel mode through the component's Zw* entry.
 */
public final class SystemServices {
  private final Kernel kernel;
  /** The kernel's services: NtYieldExecution, NtDelayExecution, NtTestAlert. */
  public final KeServices ke;
  /** The object manager's: NtClose, NtDuplicateObject, directories, the waits on handles. */
  public final ObServices ob;
  /** The executive's synchronisation objects: events, mutants, semaphores, timers. */
  public final SyncServices sync;
  /** The process manager's: threads, processes, their information classes. */
  public final PsServices ps;
  /** The memory manager's: virtual memory, working sets. */
  public final VirtualMemoryServices vm;
  /** NtQuerySystemInformation (the memory figures). */
  public final MmSystemInformation systemInformation;

  SystemServices(Kernel kernel, KeServices ke, ObServices ob, SyncServices sync,
      PsServices ps, VirtualMemoryServices vm, MmSystemInformation systemInformation) {
    this.kernel = kernel;
    this.ke = ke;
    this.ob = ob;
    this.sync = sync;
    this.ps = ps;
    this.vm = vm;
    this.systemInformation = systemInformation;
  }

  /**
   * The trap into KiSystemService with {@code service} in EAX: kernel mode, PreviousMode
   * UserMode, the call's cost; a termination requested before the call ends the thread here.
   */
  public void trap(int service) {
    kernel.systemCalls().enterFromUserMode(service);
  }

  /** KiServiceExit to user mode: a termination ends the thread; user APCs are delivered. */
  public void ret() {
    kernel.systemCalls().exitToUserMode();
  }
}
