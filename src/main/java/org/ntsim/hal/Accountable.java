package org.ntsim.hal;

/** Whoever is charged for the CPU time a processor spends in user or kernel mode: a thread. */
public interface Accountable {
  /** Adds {@code ns} of exactly measured time in {@code category} ({@link TimeCategory}). */
  void chargeExact(int category, long ns);
}
