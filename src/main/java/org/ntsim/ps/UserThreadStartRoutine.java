package org.ntsim.ps;

/**
 * PUSER_THREAD_START_ROUTINE, the start routine NtCreateThreadEx runs in user mode:
 * {@code NTSTATUS StartRoutine(PVOID ThreadParameter)}; its result is the thread's exit status.
 */
@FunctionalInterface
public interface UserThreadStartRoutine {
  int run(long threadParameter);
}
