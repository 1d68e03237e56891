package org.ntsim.hal;

/**
 * The switch for full invariant sweeps: when on (system property {@code ntsim.invariants=true},
 * which the test run sets), the machine asks the kernel to verify its structures after every CPU
 * slice. Being a static final constant, it costs nothing when off: the JIT removes the checks.
 */
public final class Checks {
  public static final boolean INVARIANTS = Boolean.getBoolean("ntsim.invariants");

  private Checks() {}
}
