package org.ntsim.ps;

/** The body of a thread: runs on the thread's coroutine and returns its exit status. */
@FunctionalInterface
public interface ThreadStart {
  int run();
}
