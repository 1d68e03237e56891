package org.ntsim.win32;

/** LPTHREAD_START_ROUTINE: {@code DWORD WINAPI ThreadProc(LPVOID lpParameter)}. */
@FunctionalInterface
public interface ThreadProc {
  int run(long lpParameter);
}
