package org.ntsim.ex.lock;

import static org.ntsim.win32.TestOs.MS;

import java.util.ArrayList;
import java.util.List;
import org.ntsim.ke.Kernel;
import org.ntsim.ps.EThread;
import org.ntsim.win32.TestOs;

/** Kernel-mode threads that take locks in a fixed order on one processor, and what they saw. */
class LockTestSupport implements AutoCloseable {
  final TestOs sys = TestOs.boot(1);
  final Kernel kernel = sys.os.kernel;
  /** What the threads recorded, in the order they recorded it. */
  final List<String> log = new ArrayList<>();

  /** A kernel-mode thread running {@code body}, started after those made before it. */
  EThread thread(String name, Runnable body) {
    return sys.systemThread(name, 8, () -> {
      body.run();
      return 0;
    });
  }

  /** Holds the calling thread in a kernel-mode delay of {@code ms} milliseconds. */
  void sleep(long ms) {
    kernel.delayExecution(Kernel.KERNEL_MODE, false, ms * MS);
  }

  int irql() {
    return sys.os.machine.activeCpu().irql();
  }

  void runMs(long ms) {
    sys.runFor(ms * MS);
  }

  long address(int size) {
    return kernel.staticAddress(size);
  }

  @Override
  public void close() {
    sys.close();
  }
}
