package org.ntsim.fuzz;

import org.ntsim.hal.Prng;
import org.ntsim.ps.EThread;

/** A guest thread that makes fuzz calls, with its own random stream and its call in progress. */
final class FuzzThread {
  final FuzzProcess process;
  final EThread thread;
  final Prng prng;
  /** Simulated time its current call began, or -1 between calls. */
  long callStartNs = -1;
  /** Nesting: a callback (an APC routine, say) that makes a call of its own while one is made. */
  int depth;
  boolean terminationRequested;

  FuzzThread(FuzzProcess process, EThread thread, Prng prng) {
    this.process = process;
    this.thread = thread;
    this.prng = prng;
  }
}
