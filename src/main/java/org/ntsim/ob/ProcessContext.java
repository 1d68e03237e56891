package org.ntsim.ob;

/**
 * What the object manager needs of the process manager, which sits beside it: the current
 * thread's and process's object headers (for the pseudo handles NtCurrentThread and
 * NtCurrentProcess) and a process's handle table (EPROCESS.ObjectTable). The process manager
 * implements it and hands it to ob at boot.
 */
public interface ProcessContext {
  /** The handle table of the current process (PsGetCurrentProcess()->ObjectTable). */
  HandleTable currentHandleTable();

  /** The object header of the current process. */
  ObjectHeader currentProcessHeader();

  /** The object header of the current thread. */
  ObjectHeader currentThreadHeader();

  /** The handle table of the process whose body is {@code process}, or null if it has none. */
  HandleTable handleTableOf(Object process);
}
