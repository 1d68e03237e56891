package org.ntsim.labs;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.ntsim.hal.Prng;
import org.ntsim.ps.EProcess;
import org.ntsim.win32.GuestContext;
import org.ntsim.win32.Kernel32;
import org.ntsim.win32.Ntos;

/**
 * An abandoned mutex through the Win32 API: a thread acquires a mutex and exits without releasing
 * it. The kernel abandons it as the thread ends (KeRundownThread), and the thread already waiting
 * for it gets WAIT_ABANDONED_0 and owns it; from then on it is an ordinary mutex again, so the
 * next waiter gets WAIT_OBJECT_0. A release by a thread that does not own it fails with
 * ERROR_NOT_OWNER. The seed picks how long the owner works and when the others arrive.
 */
final class AbandonedMutexLab implements Lab {
  private static final long INSTRUCTIONS_PER_US = 2_000;

  /** One line of the report. */
  record Row(long timeNs, String who, String call, String result, String expected) {}

  private final List<Row> rows = new ArrayList<>();
  private EProcess process;
  private Prng prng;

  @Override
  public String name() {
    return "abandoned-mutex";
  }

  @Override
  public String description() {
    return "a thread exits holding a mutex: the next waiter gets WAIT_ABANDONED";
  }

  @Override
  public long timeLimitNs() {
    return 5_000_000_000L;
  }

  @Override
  public void start(Ntos os) {
    prng = os.machine.prng.split("abandoned-mutex");
    process = os.launch("abandon.exe", this::main);
  }

  @Override
  public boolean finished(Ntos os) {
    return process.exitTimeNs() >= 0;
  }

  List<Row> rows() {
    return rows;
  }

  private int main(GuestContext ctx) {
    Kernel32 k32 = ctx.kernel32();
    long mutex = k32.CreateMutexW(null, false, null);
    long ownerWorkUs = prng.nextLong(20_000, 40_000); // past the waiter's arrival (Sleep ends on a tick)
    int waiterDelayMs = (int) prng.nextLong(1, 4);
    long owner = k32.CreateThread(null, 0, p -> {
      int r = k32.WaitForSingleObject(mutex, Kernel32.INFINITE);
      row(ctx, "owner", "WaitForSingleObject(mutex)", ApcLab.result(r), "WAIT_OBJECT_0: free");
      ctx.compute(ownerWorkUs * INSTRUCTIONS_PER_US);
      row(ctx, "owner", "returns from its thread, holding the mutex", "-",
          "the mutex is abandoned as it exits");
      return 0;
    }, 0, 0, null);
    long waiter = k32.CreateThread(null, 0, p -> {
      k32.Sleep(waiterDelayMs);
      int r = k32.WaitForSingleObject(mutex, Kernel32.INFINITE);
      row(ctx, "waiter", "WaitForSingleObject(mutex)", ApcLab.result(r) + abandoned(r),
          "WAIT_ABANDONED_0 (0x80), and it owns the mutex");
      ctx.compute(500 * INSTRUCTIONS_PER_US);
      boolean released = k32.ReleaseMutex(mutex);
      row(ctx, "waiter", "ReleaseMutex(mutex)", released ? "TRUE" : "FALSE", "TRUE: it owns it");
      return 0;
    }, 0, 0, null);
    k32.Sleep(waiterDelayMs + 1);
    boolean released = k32.ReleaseMutex(mutex);
    row(ctx, "main", "ReleaseMutex(mutex), not the owner",
        (released ? "TRUE" : "FALSE") + ", GetLastError " + k32.GetLastError(),
        "FALSE, ERROR_NOT_OWNER (288)");
    k32.WaitForMultipleObjects(2, new long[] {owner, waiter}, true, Kernel32.INFINITE);
    int r = k32.WaitForSingleObject(mutex, Kernel32.INFINITE);
    row(ctx, "main", "WaitForSingleObject(mutex)", ApcLab.result(r),
        "WAIT_OBJECT_0: no longer abandoned");
    k32.ReleaseMutex(mutex);
    k32.CloseHandle(owner);
    k32.CloseHandle(waiter);
    k32.CloseHandle(mutex);
    return 0;
  }

  private static String abandoned(int r) {
    return r == Kernel32.WAIT_ABANDONED_0 ? " = WAIT_ABANDONED_0 (0x80)" : "";
  }

  private void row(GuestContext ctx, String who, String call, String result, String expected) {
    rows.add(new Row(ctx.nowNs(), who, call, result, expected));
  }

  @Override
  public void report(Ntos os, PrintStream out) {
    out.println("abandoned-mutex: the owner of a mutex exits without releasing it");
    out.printf("  %-10s  %-7s  %-44s  %-36s  %s%n", "time", "thread", "call", "result",
        "Windows");
    for (Row r : rows) {
      out.printf("  %-10s  %-7s  %-44s  %-36s  %s%n", ThreadTable.ms(r.timeNs()), r.who(),
          r.call(), r.result(), r.expected());
    }
  }
}
