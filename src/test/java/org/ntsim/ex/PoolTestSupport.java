package org.ntsim.ex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.ntsim.hal.Machine;
import org.ntsim.hal.MachineConfig;
import org.ntsim.ke.BugCheck;
import org.ntsim.ke.BugCheckException;
import org.ntsim.ke.Kernel;

/** A pool on a bare kernel (no processes, nothing allocated yet), and how tests read a stop. */
final class PoolTestSupport {
  final Machine machine = new Machine(new MachineConfig());
  final Kernel kernel = new Kernel(machine);
  final Pool pool = new Pool(kernel);

  /** The bug check {@code call} raises; fails unless it raises one. */
  BugCheck stopOf(ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).as("a bug check").isInstanceOf(BugCheckException.class);
    BugCheckException e = (BugCheckException) thrown;
    assertThat(kernel.bugCheck()).isEqualTo(e.bugCheck());
    assertThat(machine.stopped()).isTrue();
    return e.bugCheck();
  }

  /** The block whose header sits right before {@code address}. */
  Pool.PoolBlock blockOf(long address) {
    for (Pool.PoolBlock b : pool.page(address).blocks()) {
      if (b.address() + PoolHeader.BYTES == address) {
        return b;
      }
    }
    throw new AssertionError("no block starts at " + Long.toHexString(address - 8));
  }
}
