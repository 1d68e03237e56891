package org.ntsim.win32;

/**
 * What a guest program's code has at hand: the Win32 facade, the native API, a way to spend CPU
 * time, and its command-line arguments. One context serves every thread of the process; calls act
 * on the thread that makes them.
 */
public final class GuestContext {
  private final Ntos ntos;
  private final String[] args;

  GuestContext(Ntos ntos, String[] args) {
    this.ntos = ntos;
    this.args = args.clone();
  }

  public Kernel32 kernel32() {
    return ntos.kernel32;
  }

  public Ntdll ntdll() {
    return ntos.ntdll;
  }

  public String[] args() {
    return args.clone();
  }

  /**
   * Executes {@code instructions} guest instructions in user mode: the calling thread's CPU time
   * passes by the cost model, and the thread may be interrupted or preempted along the way.
   */
  public void compute(long instructions) {
    ntos.kernel32.compute(instructions);
  }

  /** Simulated time on the calling thread's processor, in nanoseconds (like a TSC read). */
  public long nowNs() {
    return ntos.machine.activeCpu().clockNs();
  }
}
