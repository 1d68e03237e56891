package org.ntsim.win32;

/**
 * What a guest program's code has at hand: the Win32 facade, the native API, a way to spend CPU
 * time, and its command-line arguments. One context serves every thread of the process; calls act
 * on the thread that makes them.
 */
public final class GuestContext {
  /** The C runtime's invalid-parameter status (ntstatus.h). */
  public static final int STATUS_INVALID_CRUNTIME_PARAMETER = 0xC0000417;

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

  /**
   * printf to the console: {@code String.format(Locale.ROOT, format, args)} written to the
   * standard output through WriteConsoleW, so that it reaches the host marked with the process
   * (see {@link ConsoleServer}). Returns the number of characters written. A NULL or malformed
   * format ends the process with STATUS_INVALID_CRUNTIME_PARAMETER, as the C runtime's invalid
   * parameter handler does for printf.
   */
  public int printf(String format, Object... args) {
    String text = null;
    if (format != null) {
      try {
        text = String.format(java.util.Locale.ROOT, format, args);
      } catch (java.util.IllegalFormatException e) {
        text = null;
      }
    }
    if (text == null) {
      throw new org.ntsim.ke.GuestException(STATUS_INVALID_CRUNTIME_PARAMETER,
          "invalid parameter: printf format " + (format == null ? "NULL" : "\"" + format + "\""));
    }
    Kernel32 k = ntos.kernel32;
    int[] written = new int[1];
    k.WriteConsoleW(k.GetStdHandle(Kernel32.STD_OUTPUT_HANDLE), text, text.length(), written,
        null);
    return written[0];
  }

  /** Simulated time on the calling thread's processor, in nanoseconds (like a TSC read). */
  public long nowNs() {
    return ntos.machine.activeCpu().clockNs();
  }

  // ------------------------------------------------------------------ memory

  /**
   * Reads and writes at virtual addresses of the calling thread's process, as the thread's own
   * user-mode instructions would: through the MMU of the processor it runs on, taking page
   * faults; a bad access raises STATUS_ACCESS_VIOLATION (or STATUS_GUARD_PAGE_VIOLATION) as an
   * {@code org.ntsim.ke.GuestException}, which ends the process unless the guest catches it.
   */
  public org.ntsim.mm.MemoryAccess memory() {
    return ntos.mm.userAccess();
  }

  public byte readByte(long address) {
    return ntos.mm.userAccess().readByte(address);
  }

  public void writeByte(long address, byte value) {
    ntos.mm.userAccess().writeByte(address, value);
  }

  public int readInt(long address) {
    return ntos.mm.userAccess().readInt(address);
  }

  public void writeInt(long address, int value) {
    ntos.mm.userAccess().writeInt(address, value);
  }

  public long readLong(long address) {
    return ntos.mm.userAccess().readLong(address);
  }

  public void writeLong(long address, long value) {
    ntos.mm.userAccess().writeLong(address, value);
  }

  /** Copies {@code length} bytes at {@code address} into {@code dst} from {@code offset}. */
  public void read(long address, byte[] dst, int offset, int length) {
    ntos.mm.userAccess().read(address, dst, offset, length);
  }

  /** Copies {@code length} bytes of {@code src} from {@code offset} to {@code address}. */
  public void write(long address, byte[] src, int offset, int length) {
    ntos.mm.userAccess().write(address, src, offset, length);
  }
}
