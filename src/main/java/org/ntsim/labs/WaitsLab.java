package org.ntsim.labs;

import java.io.PrintStream;
import org.ntsim.hal.Prng;
import org.ntsim.ps.EProcess;
import org.ntsim.win32.GuestContext;
import org.ntsim.win32.Kernel32;
import org.ntsim.win32.Ntos;

/**
 * Waits on dispatcher objects through the Win32 API (seed 003, "Dispatcher objects" and "Wait
 * internals"): a bounded buffer of four slots guarded by a mutex, with two producers and two
 * consumers on a pair of counting semaphores (free slots and filled slots), and a gatekeeper that
 * waits for all of {mutex, start event} at once, which the main thread sets after 80 ms.
 *
 * <p>{@code ntsim kd waits} breaks in at 30 ms; {@code !process 0 7} then shows producers
 * waiting on the free-slots semaphore ({@code Semaphore Limit 0x4}) or the mutex, consumers
 * sleep or wait on the filled-slots semaphore, and the gatekeeper waits with two wait blocks (the mutant with
 * its owner, the notification event). The seed picks the work and sleep of every item.
 */
final class WaitsLab implements Lab {
  private static final int SLOTS = 4;
  private static final int ITEMS_PER_PRODUCER = 30;
  private static final long INSTRUCTIONS_PER_US = 2_000;

  private EProcess process;
  private Prng prng;
  private int inBuffer;
  private int maxInBuffer;
  private int produced;
  private int consumed;
  private int producerSemaphoreWaits; // WaitForSingleObject on free slots that had to block
  private long gateResult = -1;
  private long gateTimeNs;
  private long startSetNs;
  private int gateHeldBuffer = -1;

  @Override
  public String name() {
    return "waits";
  }

  @Override
  public String description() {
    return "producers and consumers on semaphores and a mutex; a WaitAll on a mutex and an event";
  }

  @Override
  public long timeLimitNs() {
    return 10_000_000_000L;
  }

  /** By 30 ms the producers have filled the buffer and block; the gatekeeper waits for all. */
  @Override
  public long breakInNs() {
    return 30_000_000L;
  }

  @Override
  public void start(Ntos os) {
    prng = os.machine.prng.split("waits");
    process = os.launch("waits.exe", this::main);
  }

  @Override
  public boolean finished(Ntos os) {
    return process.exitTimeNs() >= 0;
  }

  private int main(GuestContext ctx) {
    Kernel32 k32 = ctx.kernel32();
    long mutex = k32.CreateMutexW(null, false, null);
    long free = k32.CreateSemaphoreW(null, SLOTS, SLOTS, null);
    long filled = k32.CreateSemaphoreW(null, 0, SLOTS, null);
    long start = k32.CreateEventW(null, true, false, null);
    long[] threads = new long[5];
    for (int i = 0; i < 2; i++) {
      threads[i] = k32.CreateThread(null, 0, p -> produce(ctx, mutex, free, filled), 0, 0, null);
      threads[2 + i] = k32.CreateThread(null, 0, p -> consume(ctx, mutex, free, filled), 0, 0,
          null);
    }
    threads[4] = k32.CreateThread(null, 0, p -> gatekeeper(ctx, mutex, start), 0, 0, null);
    k32.Sleep(80);
    startSetNs = ctx.nowNs();
    k32.SetEvent(start);
    k32.WaitForMultipleObjects(threads.length, threads, true, Kernel32.INFINITE);
    for (long h : threads) {
      k32.CloseHandle(h);
    }
    for (long h : new long[] {mutex, free, filled, start}) {
      k32.CloseHandle(h);
    }
    return 0;
  }

  private int produce(GuestContext ctx, long mutex, long free, long filled) {
    Kernel32 k32 = ctx.kernel32();
    for (int i = 0; i < ITEMS_PER_PRODUCER; i++) {
      ctx.compute(prng.nextLong(200, 800) * INSTRUCTIONS_PER_US); // making the item
      if (k32.WaitForSingleObject(free, 0) == Kernel32.WAIT_TIMEOUT) {
        producerSemaphoreWaits++;
        k32.WaitForSingleObject(free, Kernel32.INFINITE);
      }
      k32.WaitForSingleObject(mutex, Kernel32.INFINITE);
      inBuffer++;
      produced++;
      maxInBuffer = Math.max(maxInBuffer, inBuffer);
      ctx.compute(50 * INSTRUCTIONS_PER_US);
      k32.ReleaseMutex(mutex);
      k32.ReleaseSemaphore(filled, 1, null);
    }
    return 0;
  }

  private int consume(GuestContext ctx, long mutex, long free, long filled) {
    Kernel32 k32 = ctx.kernel32();
    for (int i = 0; i < ITEMS_PER_PRODUCER; i++) {
      k32.WaitForSingleObject(filled, Kernel32.INFINITE);
      k32.WaitForSingleObject(mutex, Kernel32.INFINITE);
      inBuffer--;
      consumed++;
      ctx.compute(50 * INSTRUCTIONS_PER_US);
      k32.ReleaseMutex(mutex);
      k32.ReleaseSemaphore(free, 1, null);
      k32.Sleep((int) prng.nextLong(2, 6)); // using the item, away from the processor
    }
    return 0;
  }

  private int gatekeeper(GuestContext ctx, long mutex, long start) {
    Kernel32 k32 = ctx.kernel32();
    gateResult = Integer.toUnsignedLong(
        k32.WaitForMultipleObjects(2, new long[] {mutex, start}, true, Kernel32.INFINITE));
    gateTimeNs = ctx.nowNs();
    gateHeldBuffer = inBuffer;
    ctx.compute(100 * INSTRUCTIONS_PER_US); // the buffer cannot change while it holds the mutex
    boolean unchanged = gateHeldBuffer == inBuffer;
    k32.ReleaseMutex(mutex);
    return unchanged ? 0 : 1;
  }

  @Override
  public void report(Ntos os, PrintStream out) {
    out.println("waits: a 4-slot buffer, 2 producers and 2 consumers on two semaphores and a"
        + " mutex; a WaitAll on {mutex, event}");
    out.printf("  items produced %d, consumed %d; most items in the buffer at once %d (slots %d)%n",
        produced, consumed, maxInBuffer, SLOTS);
    out.printf("  producers found the free-slots semaphore at 0 and blocked %d times%n",
        producerSemaphoreWaits);
    out.printf("  start event set at %s; the WaitAll returned 0x%X at %s%n",
        ThreadTable.ms(startSetNs), gateResult, ThreadTable.ms(gateTimeNs));
    out.println("Windows expects: a semaphore's count never passes its maximum (so the buffer"
        + " never holds more than 4); a wait");
    out.println("  for all returns WAIT_OBJECT_0 only once every object is signalled at the same"
        + " moment, and then acquires the mutex.");
    out.printf("  seen here: buffer at most %d (%s); WaitAll %s, not before the event (%s)%n",
        maxInBuffer, maxInBuffer <= SLOTS ? "yes" : "NO",
        gateResult == Kernel32.WAIT_OBJECT_0 ? "WAIT_OBJECT_0" : "0x" + Long.toHexString(gateResult),
        gateTimeNs >= startSetNs ? "yes" : "NO");
    out.println("Inspect it: ntsim kd waits, then g 50ms, then !process 0 7 (the wait blocks),"
        + " !handle 0 3 <pid>, !mutant");
  }
}
