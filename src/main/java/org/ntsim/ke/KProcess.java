package org.ntsim.ke;

import java.util.ArrayList;
import java.util.List;

/**
 * KPROCESS: the kernel's part of a process (seed 004, "KPROCESS fields"): base priority, affinity,
 * quantum, the list of its threads and the CPU time they were charged. A process is a dispatcher
 * object, signalled when it ends.
 *
 * <p>The foreground flag stands for EPROCESS.Vm.Flags.MemoryPriority == MEMORY_PRIORITY_FOREGROUND,
 * which the window manager sets for the process of the foreground window (Kernel's
 * setForegroundProcess here): it stretches the quantum and adds the foreground unwait boost.
 */
public class KProcess extends DispatcherObject {
  int basePriority = 8;
  long affinity;
  /** QuantumReset in quantum units: 6 (two clock ticks) for a background process on a client. */
  int quantumReset = 6;
  boolean foreground; // the foreground window's process: MEMORY_PRIORITY_FOREGROUND
  int threadSeed; // next ideal processor handed to a new thread
  boolean disableBoost;
  final List<KThread> threads = new ArrayList<>();
  long kernelTicks;
  long userTicks;
  /**
   * DirectoryTableBase: the physical address of the page directory that CR3 holds while one of
   * its threads runs (0 until the memory manager gives the process an address space).
   */
  long directoryTableBase;
  /** The process part of the CID (UniqueProcessId), set by the process manager. */
  public long uniqueProcess;

  protected KProcess(long address, int basePriority, long affinity, int threadSeed) {
    super(PROCESS, address);
    this.basePriority = basePriority;
    this.affinity = affinity;
    this.threadSeed = threadSeed;
  }

  public int basePriority() {
    return basePriority;
  }

  public long affinity() {
    return affinity;
  }

  public int quantumReset() {
    return quantumReset;
  }

  /** Whether this is the foreground process (the window manager's choice; none by default). */
  public boolean isForeground() {
    return foreground;
  }

  public List<KThread> kernelThreads() {
    return threads;
  }

  public long directoryTableBase() {
    return directoryTableBase;
  }

  /** Set by the memory manager when it creates or deletes the process's address space. */
  public void setDirectoryTableBase(long physicalAddress) {
    directoryTableBase = physicalAddress;
  }

  public long kernelTicks() {
    return kernelTicks;
  }

  public long userTicks() {
    return userTicks;
  }

  @Override
  public String typeName() {
    return "Process";
  }
}
