package org.ntsim.ke;

/**
 * KDPC: a deferred procedure call object (seed 003, "Deferred procedure calls"). It sits in at most
 * one CPU's DPC queue at a time; its importance decides where it is queued (high at the head) and
 * whether queueing it requests a DISPATCH_LEVEL interrupt at once.
 */
public final class Kdpc {
  public static final int LOW_IMPORTANCE = 0;
  public static final int MEDIUM_IMPORTANCE = 1;
  public static final int HIGH_IMPORTANCE = 2;

  final DeferredRoutine routine;
  final Object deferredContext;
  final String name;
  public final long address;
  int importance = MEDIUM_IMPORTANCE;
  int targetCpu = -1; // -1: the CPU that queues it
  int queuedOn = -1; // CPU whose queue holds it, -1 when not queued
  Object systemArgument1;
  Object systemArgument2;
  Kdpc next; // in the DPC queue

  public Kdpc(String name, DeferredRoutine routine, Object deferredContext, long address) {
    this.name = name;
    this.routine = routine;
    this.deferredContext = deferredContext;
    this.address = address;
  }

  public String name() {
    return name;
  }

  public int importance() {
    return importance;
  }

  public int targetCpu() {
    return targetCpu;
  }

  public boolean isQueued() {
    return queuedOn >= 0;
  }

  public static String importanceName(int importance) {
    return switch (importance) {
      case LOW_IMPORTANCE -> "Low";
      case HIGH_IMPORTANCE -> "High";
      default -> "Medium";
    };
  }
}
