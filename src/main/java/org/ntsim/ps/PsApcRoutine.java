package org.ntsim.ps;

/**
 * PPS_APC_ROUTINE, the user-mode routine NtQueueApcThread queues:
 * {@code VOID ApcRoutine(PVOID ApcArgument1, PVOID ApcArgument2, PVOID ApcArgument3)}.
 */
@FunctionalInterface
public interface PsApcRoutine {
  void run(long apcArgument1, long apcArgument2, long apcArgument3);
}
