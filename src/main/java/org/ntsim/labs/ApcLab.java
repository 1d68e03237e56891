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
 * User APCs and alertable waits through the Win32 API (seed 003, "Asynchronous procedure calls":
 * a user APC runs only when its thread is in, or enters, an alertable user-mode wait).
 *
 * <p>The main thread queues three APCs (QueueUserAPC) to a worker that is computing; the worker
 * then sleeps without being alertable (the APCs stay queued), then calls SleepEx alertably: it
 * returns WAIT_IO_COMPLETION at once after the three ran in the order they were queued. Next the
 * worker waits alertably on an event; a fourth APC ends that wait with WAIT_IO_COMPLETION; the
 * worker waits again and the event, set by main, ends it with WAIT_OBJECT_0. Last, an alertable
 * SleepEx with nothing queued simply times out (0). The seed picks the work and sleep lengths.
 */
final class ApcLab implements Lab {
  private static final long INSTRUCTIONS_PER_US = 2_000;

  /** One line of the report: when, what the worker did, what came back, what Windows does. */
  record Row(long timeNs, String call, String result, String apcs, String expected) {}

  private final List<Row> rows = new ArrayList<>();
  private final List<Long> delivered = new ArrayList<>();
  private final List<Long> queued = new ArrayList<>(); // parameters, in the order queued
  private final List<Long> queuedAtNs = new ArrayList<>();
  private EProcess process;
  private Prng prng;

  @Override
  public String name() {
    return "apc";
  }

  @Override
  public String description() {
    return "user APCs run only in alertable waits: WAIT_IO_COMPLETION, order of delivery";
  }

  @Override
  public long timeLimitNs() {
    return 5_000_000_000L;
  }

  @Override
  public void start(Ntos os) {
    prng = os.machine.prng.split("apc");
    process = os.launch("apc.exe", this::main);
  }

  @Override
  public boolean finished(Ntos os) {
    return process.exitTimeNs() >= 0;
  }

  List<Long> delivered() {
    return delivered;
  }

  List<Row> rows() {
    return rows;
  }

  private int main(GuestContext ctx) {
    Kernel32 k32 = ctx.kernel32();
    long event = k32.CreateEventW(null, false, false, null);
    long computeUs = prng.nextLong(30_000, 40_000); // past main's Sleep(1), a clock tick at most
    long worker = k32.CreateThread(null, 0, p -> worker(ctx, event, computeUs), 0, 0, null);
    k32.Sleep(1); // the worker is computing now
    for (long i = 1; i <= 3; i++) {
      queue(ctx, worker, i);
    }
    k32.Sleep((int) (60 + prng.nextLong(0, 20))); // the worker waits alertably on the event
    queue(ctx, worker, 4);
    k32.Sleep((int) (20 + prng.nextLong(0, 20)));
    k32.SetEvent(event);
    k32.WaitForSingleObject(worker, Kernel32.INFINITE);
    k32.CloseHandle(worker);
    k32.CloseHandle(event);
    return 0;
  }

  private void queue(GuestContext ctx, long thread, long parameter) {
    if (ctx.kernel32().QueueUserAPC(this::apc, thread, parameter) != 0) {
      queued.add(parameter);
      queuedAtNs.add(ctx.nowNs());
    }
  }

  /** APCs main had queued by {@code nowNs}. */
  private int queuedBy(long nowNs) {
    int n = 0;
    for (long t : queuedAtNs) {
      n += t <= nowNs ? 1 : 0;
    }
    return n;
  }

  private int pending(GuestContext ctx) {
    return queuedBy(ctx.nowNs()) - delivered.size();
  }

  private void apc(long parameter) {
    delivered.add(parameter);
  }

  private int worker(GuestContext ctx, long event, long computeUs) {
    Kernel32 k32 = ctx.kernel32();
    ctx.compute(computeUs * INSTRUCTIONS_PER_US);
    row(ctx, "computed " + computeUs / 1000 + " ms, not waiting", "-", pending(ctx) > 0
        ? "queued APCs stay queued: the thread is not waiting" : "nothing queued yet");
    k32.Sleep(5);
    row(ctx, "Sleep(5), not alertable", "returns; APCs run: " + delivered.size(),
        "no delivery outside an alertable wait");
    int pending = pending(ctx);
    long calledNs = ctx.nowNs();
    int r = k32.SleepEx(1000, true);
    row(ctx, "SleepEx(1000, TRUE)", result(r) + " after " + ThreadTable.ms(ctx.nowNs() - calledNs)
        + "; APCs run: " + delivered, pending > 0
        ? "WAIT_IO_COMPLETION at once: " + pending + " pending APCs run in FIFO order"
        : "no APC pending: sleeps until one is queued (WAIT_IO_COMPLETION) or 1000 ms pass (0)");
    pending = pending(ctx);
    r = k32.WaitForSingleObjectEx(event, Kernel32.INFINITE, true);
    row(ctx, "WaitForSingleObjectEx(event, INFINITE, TRUE)", result(r) + "; APCs run: "
        + delivered.size(), pending > 0 ? "APCs pending: WAIT_IO_COMPLETION at once"
        : "an APC queued during the wait ends it: WAIT_IO_COMPLETION");
    r = k32.WaitForSingleObjectEx(event, Kernel32.INFINITE, true);
    row(ctx, "WaitForSingleObjectEx(event, INFINITE, TRUE)", result(r),
        "once the event is set: WAIT_OBJECT_0");
    pending = pending(ctx);
    r = k32.SleepEx(10, true);
    row(ctx, "SleepEx(10, TRUE), " + pending + " APCs pending", r == 0 ? "0" : result(r),
        pending > 0 ? "WAIT_IO_COMPLETION at once" : "0 when the interval elapses");
    return 0;
  }

  private void row(GuestContext ctx, String call, String result, String expected) {
    long now = ctx.nowNs();
    String counts = String.format("queued %d, run %d", queuedBy(now), delivered.size());
    rows.add(new Row(now, call, result, counts, expected));
  }

  static String result(int r) {
    return switch (r) {
      case Kernel32.WAIT_OBJECT_0 -> "WAIT_OBJECT_0 (0)";
      case Kernel32.WAIT_IO_COMPLETION -> "WAIT_IO_COMPLETION (0xC0)";
      case Kernel32.WAIT_TIMEOUT -> "WAIT_TIMEOUT (0x102)";
      case Kernel32.WAIT_FAILED -> "WAIT_FAILED";
      default -> "0x" + Integer.toHexString(r);
    };
  }

  @Override
  public void report(Ntos os, PrintStream out) {
    out.println("apc: user APCs queued to a worker, delivered only in its alertable waits");
    out.printf("  %-10s  %-46s  %-62s  %-17s  %s%n", "time", "worker", "result",
        "APCs by then", "Windows does");
    for (Row r : rows) {
      out.printf("  %-10s  %-46s  %-62s  %-17s  %s%n", ThreadTable.ms(r.timeNs()), r.call(),
          r.result(), r.apcs(), r.expected());
    }
    StringBuilder when = new StringBuilder();
    for (int i = 0; i < queued.size(); i++) {
      when.append(i == 0 ? "" : ", ").append(queued.get(i)).append(" at ")
          .append(ThreadTable.ms(queuedAtNs.get(i)));
    }
    out.println("  main queued: " + when);
    out.println("  APCs in the order they ran: " + delivered + "; in the order queued: " + queued
        + (delivered.equals(queued) ? " (FIFO, as Windows delivers them)"
            : " (NOT the order queued: Windows delivers user APCs first in, first out)"));
  }
}
