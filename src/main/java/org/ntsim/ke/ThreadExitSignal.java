package org.ntsim.ke;

/**
 * Unwinds a thread's coroutine to its start wrapper when the thread ends: ExitThread, or a
 * termination requested by another thread and noticed at a system-service boundary (where NT
 * would deliver the termination APC). Carries no stack trace; it is control flow, not an error.
 */
public final class ThreadExitSignal extends Error {
  public ThreadExitSignal() {
    super("thread exit", null, false, false);
  }
}
