package org.ntsim.fuzz;

import java.util.ArrayList;
import java.util.List;
import org.ntsim.ps.EProcess;

/** A process the fuzzer runs, with what its calls have handed back to it. */
final class FuzzProcess {
  final int index;
  final EProcess process;
  /** The context its main got: the third facade, GuestContext, is called through it. */
  org.ntsim.win32.GuestContext ctx;
  /** Handles its calls returned, in the order they came (closed ones stay: they are fuzz too). */
  final List<Long> handles = new ArrayList<>();
  /** Base addresses of regions its calls allocated. */
  final List<Long> addresses = new ArrayList<>();
  long callsMade;
  /** Simulated time of its threads' latest call (or of its start). */
  long lastCallNs;
  boolean recycleRequested;

  /** Values kept per kind: enough to choose from, bounded so that a long run stays small. */
  static final int POOL_LIMIT = 256;

  FuzzProcess(int index, EProcess process, long startNs) {
    this.index = index;
    this.process = process;
    this.lastCallNs = startNs;
  }

  static void remember(List<Long> pool, long value) {
    if (pool.size() >= POOL_LIMIT) {
      pool.remove(0);
    }
    pool.add(value);
  }
}
