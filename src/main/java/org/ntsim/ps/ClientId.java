package org.ntsim.ps;

/**
 * CLIENT_ID: a process ID and a thread ID, as NtOpenProcess and NtOpenThread take them (0 where
 * a field is not given). The field names are NT's.
 */
public record ClientId(long UniqueProcess, long UniqueThread) {
  /** A process by ID alone. */
  public static ClientId process(long processId) {
    return new ClientId(processId, 0);
  }

  /** A thread by ID alone. */
  public static ClientId thread(long threadId) {
    return new ClientId(0, threadId);
  }
}
