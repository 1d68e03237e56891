package org.ntsim.fuzz;

/**
 * What a fuzz run found: the seed, the number of the call that failed (or the last call made
 * before the failure showed), the call with its arguments, what went wrong, and the command that
 * replays the run up to that point: {@code --calls} is the failing call's number, or one more than
 * the calls made when the failure came between calls (a bug check in a DPC, say).
 */
public record FuzzFailure(long seed, long callNumber, long replayCalls, Kind kind, String call,
    String detail, String recentCalls) {
  /** What went wrong. */
  public enum Kind {
    /** An exception other than a guest's left a call (ntsim's own code threw). */
    HOST_EXCEPTION,
    /** A user-mode call, or what it set in motion, stopped the machine with a bug check. */
    BUG_CHECK,
    /** A verifier found a broken invariant after a call. */
    VERIFIER,
    /** A call did not return in host time (reported by a watchdog). */
    HANG,
    /** The fuzz processes did not all end after they were terminated, or calls stopped. */
    LIVENESS,
    /** Something the fuzz processes made outlived them. */
    LEAK
  }

  /** The command that runs the same seed up to the failing call. */
  public String replay() {
    return "./ntsim fuzz --seed " + seed + " --calls " + replayCalls;
  }

  @Override
  public String toString() {
    return "fuzz failure (" + kind + ") at call " + callNumber + " of seed " + seed + ": " + call
        + "\n  " + detail.replace("\n", "\n  ") + "\n  replay: " + replay()
        + (recentCalls.isEmpty() ? "" : "\n  calls before it:\n" + recentCalls);
  }
}
