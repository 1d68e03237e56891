package org.ntsim.ke;

/**
 * KAPC: an asynchronous procedure call aimed at one thread (seed 003, "Asynchronous procedure
 * calls"). A kernel-mode APC without a normal routine is a special kernel APC (runs at APC_LEVEL
 * whenever the thread is below it and special APCs are not disabled); with one it is a normal
 * kernel APC (its kernel routine at APC_LEVEL, then its normal routine at PASSIVE_LEVEL, only
 * outside critical regions); a user-mode APC runs its normal routine in user mode, only when the
 * thread is in or enters an alertable user-mode wait, or calls NtTestAlert.
 */
public final class Kapc {
  /** PKKERNEL_ROUTINE: runs at APC_LEVEL; may change nothing the normal routine depends on. */
  @FunctionalInterface
  public interface KernelRoutine {
    void run(Kapc apc);
  }

  /** PKNORMAL_ROUTINE: (NormalContext, SystemArgument1, SystemArgument2). */
  @FunctionalInterface
  public interface NormalRoutine {
    void run(Object normalContext, Object systemArgument1, Object systemArgument2);
  }

  final KThread thread;
  final String name;
  final KernelRoutine kernelRoutine;
  final NormalRoutine normalRoutine;
  final Object normalContext;
  final int mode; // Kernel.KERNEL_MODE or Kernel.USER_MODE
  public final long address;
  Object systemArgument1;
  Object systemArgument2;
  boolean inserted;
  Kapc next;
  /**
   * RundownRoutine: run instead of delivery when the thread ends with the APC still queued
   * (KeFlushQueueApc at thread exit); null when the APC needs no cleanup.
   */
  public KernelRoutine rundownRoutine;

  public Kapc(KThread thread, String name, KernelRoutine kernelRoutine, NormalRoutine normalRoutine,
      Object normalContext, int mode, long address) {
    this.thread = thread;
    this.name = name;
    this.kernelRoutine = kernelRoutine;
    this.normalRoutine = normalRoutine;
    this.normalContext = normalContext;
    this.mode = mode;
    this.address = address;
  }

  public boolean isSpecial() {
    return mode == Kernel.KERNEL_MODE && normalRoutine == null;
  }

  public boolean isInserted() {
    return inserted;
  }

  public String name() {
    return name;
  }

  public int mode() {
    return mode;
  }

  public KThread thread() {
    return thread;
  }

  /** "Special", "Normal" or "User", as !apc groups them. */
  public String kind() {
    return mode == Kernel.USER_MODE ? "User" : normalRoutine == null ? "Special" : "Normal";
  }
}
