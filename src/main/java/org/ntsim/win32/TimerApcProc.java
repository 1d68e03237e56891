package org.ntsim.win32;

/**
 * PTIMERAPCROUTINE (and ntdll's PTIMER_APC_ROUTINE): {@code VOID CALLBACK
 * TimerAPCProc(LPVOID lpArgToCompletionRoutine, DWORD dwTimerLowValue, DWORD dwTimerHighValue)},
 * the completion routine of SetWaitableTimer; the two values are the time the timer was
 * signalled, in 100 ns units.
 */
@FunctionalInterface
public interface TimerApcProc {
  void run(long lpArgToCompletionRoutine, int dwTimerLowValue, int dwTimerHighValue);
}
