package org.ntsim.labs;

import java.io.PrintStream;
import org.ntsim.win32.Ntos;

/**
 * A built-in scenario: it launches guest programs on a freshly booted system, says when it is
 * done, and reports what it shows next to what Windows Internals leads one to expect. A lab
 * instance serves one run.
 */
public interface Lab {
  String name();

  /** One line for {@code ntsim labs}. */
  String description();

  /** Launches the lab's programs. Called once, before the machine runs. */
  void start(Ntos os);

  /** True once the lab has nothing more to show (its programs have exited). */
  boolean finished(Ntos os);

  /** How much simulated time a run may take at most. */
  default long timeLimitNs() {
    return 60_000_000_000L;
  }

  /**
   * Where {@code ntsim kd} breaks in first: the machine runs this much simulated time after
   * {@link #start} before the console takes its first command (0: at the start). A lab sets it
   * to the moment its experiment has something to look at, as one breaks into a target when the
   * interesting state is reached.
   */
  default long breakInNs() {
    return 0;
  }

  /** Prints the lab's results. */
  void report(Ntos os, PrintStream out);
}
