package org.ntsim.ps;

import java.util.ArrayList;
import java.util.List;
import org.ntsim.ke.KProcess;
import org.ntsim.ob.HandleTable;
import org.ntsim.ob.ObjectHeader;

/**
 * EPROCESS: the executive's process (seed 004, "EPROCESS fields"), around its KPROCESS: the
 * process ID, image name, parent, handle table, threads, exit status, times and priority class.
 *
 * <p>Invariants: exitStatus is STILL_ACTIVE (0x103) until the last thread has exited;
 * activeThreads counts threads that have been created and not yet exited.
 */
public final class EProcess extends KProcess implements org.ntsim.mm.MmProcess {
  /** The Win32 PROCESS_* priority class flag. */
  int priorityClass;
  /** PROCESS_MODE_BACKGROUND_BEGIN is in force: every thread of the process, new ones too. */
  boolean backgroundMode;
  final String imageName;
  private String commandLine;
  final long parentId;
  /** ObjectTable: its own, or for the System process the kernel handle table. */
  HandleTable handleTable = new HandleTable(this);
  final List<EThread> threads = new ArrayList<>();
  int activeThreads;
  int exitStatus = PsConstants.STILL_ACTIVE;
  boolean exiting;
  long createTimeNs;
  long exitTimeNs = -1;
  String unhandledException;
  ObjectHeader header;
  org.ntsim.mm.AddressSpace addressSpace;
  /** Peb: the PEB's page, 0 if none; pebWritten once its first thread has filled it in. */
  long peb;
  boolean pebWritten;

  EProcess(long address, String imageName, long parentId, int basePriority, long affinity,
      int threadSeed) {
    super(address, basePriority, affinity, threadSeed);
    this.imageName = imageName;
    this.parentId = parentId;
  }

  public long pid() {
    return uniqueProcess;
  }

  public String imageName() {
    return imageName;
  }

  /**
   * The PEB's ProcessParameters->CommandLine, as its creator gave it (the image name alone if it
   * gave none).
   */
  public String commandLine() {
    return commandLine != null ? commandLine : imageName;
  }

  /** Sets the command line a creator passes in the process parameters. */
  public void setCommandLine(String commandLine) {
    this.commandLine = commandLine;
  }

  public long parentId() {
    return parentId;
  }

  public HandleTable handleTable() {
    return handleTable;
  }

  /**
   * EPROCESS.Peb: the process environment block's user address (MmCreatePeb's page), or 0 when
   * the process has none (System and Idle, as on NT).
   */
  public long pebAddress() {
    return peb;
  }

  /** EPROCESS.ObjectTable: the address of the process's HANDLE_TABLE in paged pool, or 0. */
  public long objectTableAddress() {
    return handleTable.address();
  }

  /** Threads that have been created in this process and not yet deleted, in creation order. */
  public List<EThread> threads() {
    return threads;
  }

  public int activeThreads() {
    return activeThreads;
  }

  public int exitStatus() {
    return exitStatus;
  }

  public boolean isExiting() {
    return exiting;
  }

  public long createTimeNs() {
    return createTimeNs;
  }

  public long exitTimeNs() {
    return exitTimeNs;
  }

  public int priorityClass() {
    return priorityClass;
  }

  /** The Java exception that ended the process, or null. */
  public String unhandledException() {
    return unhandledException;
  }

  public ObjectHeader header() {
    return header;
  }

  /** The memory manager's part: page directory, VADs, commit charge, working set counts. */
  @Override
  public org.ntsim.mm.AddressSpace addressSpace() {
    return addressSpace;
  }

  /** Whether the process is in background processing mode (PROCESS_MODE_BACKGROUND_BEGIN). */
  public boolean inBackgroundMode() {
    return backgroundMode;
  }

  /** The process's memory (page) priority: normal (5), very low (1) in background mode. */
  public int pagePriority() {
    return backgroundMode ? PsConstants.MEMORY_PRIORITY_VERY_LOW
        : PsConstants.MEMORY_PRIORITY_NORMAL;
  }

  /** The process's I/O priority: normal (2), very low (0) in background mode. */
  public int ioPriority() {
    return backgroundMode ? PsConstants.IO_PRIORITY_VERY_LOW : PsConstants.IO_PRIORITY_NORMAL;
  }
}
