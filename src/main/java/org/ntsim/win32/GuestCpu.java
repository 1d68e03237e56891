package org.ntsim.win32;

import org.ntsim.ke.Kernel;

/**
 * The processor executing a guest's own Java code: instrumented guest classes (see the
 * command line's guest loader) call {@link #charge} with the number of bytecodes of each
 * straight-line run they execute, so that a plain Java loop is charged as user-mode CPU time and
 * is preempted at the end of its quantum, as a compiled loop is on Windows. It is what
 * {@code ctx.compute(n)} does for modelled work, one bytecode counted as one instruction.
 *
 * <p>Invariants: charges go to the kernel bound with {@link #bind}; code that runs outside a
 * guest thread (class initialisation on the loop, a host thread) is not charged.
 *
 * <p>Left out: one binding per JVM, so guests of two machines run at once in one JVM would
 * charge the last one bound; the command line runs one machine. Bytecodes are not weighted by
 * kind.
 */
public final class GuestCpu {
  private static volatile Kernel kernel;
  private static long charged;

  private GuestCpu() {}

  /** The kernel instrumented guest code charges from now on (null: none). */
  public static void bind(Kernel k) {
    kernel = k;
    charged = 0;
  }

  /** The guest instructions charged since the last {@link #bind}. */
  public static long charged() {
    return charged;
  }

  /**
   * Charges {@code bytecodes} guest instructions to the current thread as user time; a quantum
   * or slice that ends meanwhile preempts the thread here. Called by instrumented guest code
   * only.
   */
  public static void charge(int bytecodes) {
    Kernel k = kernel;
    if (k != null && k.inThreadContext()) {
      charged += bytecodes;
      k.spendGuestBytecodes(bytecodes);
    }
  }
}
