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
  /** The kernel and executive as the boot left them. */
  public final org.ntsim.init.Executive executive;
  /** The service table's bindings: what Ntdll's stubs trap into. */
  public final org.ntsim.init.SystemServices services;
  public final Machine machine;
  public final Kernel kernel;
  public final Pool pool;
  public final ObjectManager ob;
  /** The event, mutant, semaphore and timer object types. */
  public final org.ntsim.ex.sync.SyncObjectTypes syncTypes;
  /** ExpSystemResourcesList: the executive resources drivers and file systems initialize. */
  public final org.ntsim.ex.lock.ExResources resources;
  public final org.ntsim.mm.MemoryManager mm;
  public final ProcessManager ps;
  /** The kernel's system services (NtYieldExecution, NtDelayExecution, NtTestAlert). */
  public final org.ntsim.ke.KeServices keServices;
  /** The object manager's system services (NtClose, the waits on handles, directories). */
  public final org.ntsim.ob.ObServices obServices;
  /** The executive's services for events, mutants, semaphores and timers. */
  public final org.ntsim.ex.sync.SyncServices syncServices;
  /** The process manager's system services (threads, processes, their information classes). */
  public final org.ntsim.ps.PsServices psServices;
  /** The memory manager's virtual-memory system services. */
  public final org.ntsim.mm.VirtualMemoryServices vmServices;
  /** NtQuerySystemInformation for the memory figures. */
  public final org.ntsim.mm.MmSystemInformation mmSystemInformation;
  public final Kernel32 kernel32;
  public final Ntdll ntdll;
  /** The console guests write to (csrss's console server, as a host-side device). */
  public final ConsoleServer console = new ConsoleServer();

  public Ntos(MachineConfig config) {
    this.executive = org.ntsim.init.Boot.boot(config);
    this.machine = executive.machine();
    this.kernel = executive.kernel();
    this.pool = executive.pool();
    this.ob = executive.ob();
    this.syncTypes = executive.syncTypes();
    this.resources = new org.ntsim.ex.lock.ExResources(kernel);
    this.mm = executive.mm();
    this.ps = executive.ps();
    this.services = executive.services();
    this.keServices = services.ke;
    this.obServices = services.ob;
    this.syncServices = services.sync;
    this.psServices = services.ps;
    this.vmServices = services.vm;
    this.mmSystemInformation = services.systemInformation;
    this.ntdll = new Ntdll(this);
    this.kernel32 = new Kernel32(this);
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
    p.setCommandLine(commandLine(imageName, args));
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

  /**
   * The command line a creator builds from an image name and arguments, quoted as the C runtime
   * parses it back (CommandLineToArgvW's rules): an argument that is empty or holds a space, a
   * tab or a quote is quoted; a quote inside is escaped with a backslash, and the backslashes
   * before a quote, or before the closing quote, are doubled.
   */
  static String commandLine(String imageName, String... args) {
    StringBuilder line = new StringBuilder(imageName);
    for (String arg : args) {
      line.append(' ');
      if (!arg.isEmpty() && arg.chars().noneMatch(c -> c == ' ' || c == '\t' || c == '"')) {
        line.append(arg);
        continue;
      }
      line.append('"');
      int backslashes = 0;
      for (int i = 0; i < arg.length(); i++) {
        char c = arg.charAt(i);
        if (c == '\\') {
          backslashes++;
          continue;
        }
        line.append("\\".repeat(c == '"' ? 2 * backslashes + 1 : backslashes));
        backslashes = 0;
        line.append(c);
      }
      line.append("\\".repeat(2 * backslashes)).append('"');
    }
    return line.toString();
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
    console.flush();
    machine.shutdown();
  }
}
