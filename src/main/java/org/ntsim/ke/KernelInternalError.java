package org.ntsim.ke;

import org.ntsim.hal.Machine;

/**
 * A failure of ntsim's own code (not of a guest or driver; {@link CodeOrigin} tells which):
 * carries the seed, the command line options that replay the run and the last trace events, so
 * that the bug can be reproduced and reported.
 */
public final class KernelInternalError extends RuntimeException {
  public KernelInternalError(Machine machine, Throwable cause) {
    super("ntsim internal error (seed " + machine.config.seed + ", backend "
        + machine.backend.name() + ")\nreplay: the same ntsim command with --seed "
        + machine.config.seed + " --backend " + machine.backend.name() + "\nlast events:\n"
        + machine.tracer.describeRecent(20), cause);
  }
}
