package org.ntsim.ke;

import org.ntsim.hal.Machine;

/**
 * A failure of ntsim's own kernel code (not of a guest or driver): carries the seed and the last
 * trace events, so that the run can be replayed and the bug reported.
 */
public final class KernelInternalError extends RuntimeException {
  public KernelInternalError(Machine machine, Throwable cause) {
    super("ntsim internal error (seed " + machine.config.seed + ", backend "
        + machine.backend.name() + ")\nlast events:\n" + machine.tracer.describeRecent(20), cause);
  }
}
