package org.ntsim.win32;

/** PAPCFUNC: {@code VOID CALLBACK APCProc(ULONG_PTR dwParam)}, the routine of QueueUserAPC. */
@FunctionalInterface
public interface ApcProc {
  void run(long dwParam);
}
