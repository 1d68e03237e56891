package org.ntsim.kd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ntsim.ob.ObjectHeader;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.EThread;
import org.ntsim.win32.GuestContext;
import org.ntsim.win32.Kernel32;

/**
 * The console's views of dispatcher objects, handles and APCs: {@code !thread}'s wait blocks,
 * {@code !object}, {@code !handle}, {@code !locks}, {@code !mutant} and {@code !apc}, on
 * sync.exe: main owns a mutex and sleeps; a waiter waits for any of {mutex, auto-reset event,
 * semaphore of limit 4}; a sleeper sleeps without being alertable with two user APCs queued to
 * it.
 */
class KdDispatcherObjectsTest {
  private long mutex;
  private long event;
  private long semaphore;
  private final int[] waiterTid = new int[1];
  private final int[] sleeperTid = new int[1];
  private long mainTid;

  private KdSession session() {
    KdSession s = new KdSession(2, 1_000 * KdSession.MS);
    s.demo = s.os.launch("sync.exe", this::main);
    s.run("g 50ms");
    return s;
  }

  private int main(GuestContext ctx) {
    Kernel32 k32 = ctx.kernel32();
    mainTid = k32.GetCurrentThreadId();
    mutex = k32.CreateMutexW(null, true, null);
    event = k32.CreateEventW(null, false, false, null);
    semaphore = k32.CreateSemaphoreW(null, 0, 4, null);
    k32.CreateThread(null, 0, p -> k32.WaitForMultipleObjects(3,
        new long[] {mutex, event, semaphore}, false, Kernel32.INFINITE), 0, 0, waiterTid);
    long sleeper = k32.CreateThread(null, 0, p -> {
      k32.Sleep(10_000);
      return 0;
    }, 0, 0, sleeperTid);
    k32.Sleep(5);
    k32.QueueUserAPC(x -> { }, sleeper, 1);
    k32.QueueUserAPC(x -> { }, sleeper, 2);
    k32.Sleep(10_000);
    return 0;
  }

  private static ObjectHeader header(KdSession s, long handle) {
    return s.demo.handleTable().entry(handle);
  }

  private static String hex8(long v) {
    return KdSession.hex8(v);
  }

  @Test
  void threadShowsEachWaitedObjectWithItsTypeAsWinDbgDoes() {
    try (KdSession s = session()) {
      EThread waiter = s.os.ps.lookupThread(waiterTid[0]);
      EThread main = s.os.ps.lookupThread(mainTid);
      String out = s.run("!thread " + hex8(waiter.address));
      assertThat(out).contains("WAIT: (UserRequest) UserMode Non-Alertable\n"
          + "    " + hex8(header(s, mutex).bodyAddress) + "  Mutant - owning thread "
          + hex8(main.address) + "\n"
          + "    " + hex8(header(s, event).bodyAddress) + "  SynchronizationEvent\n"
          + "    " + hex8(header(s, semaphore).bodyAddress) + "  Semaphore Limit 0x4\n");
    }
  }

  @Test
  void objectShowsTypeHeaderCountsAndState() {
    try (KdSession s = session()) {
      ObjectHeader h = header(s, event);
      String out = s.run("!object " + hex8(h.bodyAddress));
      assertThat(out).startsWith("Object: " + hex8(h.bodyAddress) + "  Type: (");
      assertThat(out).contains(") Event\n");
      assertThat(out).contains("    ObjectHeader: " + hex8(h.bodyAddress - 0x18)
          + " (old version)\n");
      assertThat(out).contains("    HandleCount: " + h.handleCount() + "  PointerCount: "
          + h.pointerCount() + "\n");
      EThread waiter = s.os.ps.lookupThread(waiterTid[0]);
      assertThat(out).contains("ntsim: SynchronizationEvent  SignalState 0  Waiters: "
          + hex8(waiter.address));
      assertThat(s.run("!object " + hex8(s.demo.address))).contains(") Process\n");
    }
  }

  @Test
  void handleListsTheProcessTableWithAccessAndObjects() {
    try (KdSession s = session()) {
      String out = s.run("!handle 0 3 " + Long.toHexString(s.demo.pid()));
      EProcess p = s.demo;
      assertThat(out).contains("    Image: sync.exe\n");
      assertThat(out).contains("Handle table at "
          + String.format("%08x", p.handleTable().tableCode()) + " with "
          + p.handleTable().count() + " entries in use\n");
      ObjectHeader m = header(s, mutex);
      assertThat(out).contains(String.format("%04x: Object: %s  GrantedAccess: %s Entry: ", mutex,
          hex8(m.bodyAddress), hex8(p.handleTable().access(mutex))));
      assertThat(out).contains("Object: " + hex8(m.bodyAddress) + "  Type: (");
      assertThat(out).contains(") Mutant\n");
      String one = s.run("!handle " + Long.toHexString(semaphore) + " 1 "
          + Long.toHexString(p.pid()));
      assertThat(one).contains(String.format("%04x: Object: ", semaphore))
          .doesNotContain(String.format("%04x: Object: ", mutex)).doesNotContain("ObjectHeader");
      assertThat(s.run("!handle 0 3 " + Long.toHexString(p.pid()) + " Semaphore"))
          .contains(") Semaphore\n").doesNotContain(") Mutant\n");
    }
  }

  @Test
  void mutantShowsTheOwnedMutantItsOwnerAndWaiter() {
    try (KdSession s = session()) {
      ObjectHeader m = header(s, mutex);
      EThread main = s.os.ps.lookupThread(mainTid);
      EThread waiter = s.os.ps.lookupThread(waiterTid[0]);
      String out = s.run("!mutant");
      assertThat(out).contains("Mutant @ 0x" + hex8(m.bodyAddress) + "    Exclusively owned\n");
      assertThat(out).contains("     Threads: " + hex8(main.address) + "-01<*>\n");
      assertThat(out).contains("     Threads Waiting On Exclusive Access:\n              "
          + hex8(waiter.address) + "\n");
      assertThat(out).contains("1 mutants currently held");
      assertThat(s.run("!mutant " + hex8(m.bodyAddress))).contains("Exclusively owned");
    }
  }

  @Test
  void apcListsUserApcsQueuedToANonAlertableThread() {
    try (KdSession s = session()) {
      EThread sleeper = s.os.ps.lookupThread(sleeperTid[0]);
      String out = s.run("!apc");
      assertThat(out).startsWith("*** Enumerating APCs in all processes\n");
      assertThat(out).contains("Process " + hex8(s.demo.address) + " sync.exe\n"
          + "    Thread " + hex8(sleeper.address) + " ApcStateIndex 0 [USER]\n"
          + "        KAPC @ ");
      assertThat(out.split("ntsim: user APC", -1)).hasSize(3);
      assertThat(s.run("!apc thre " + hex8(sleeper.address))).contains("KAPC @ ");
    }
  }

  @Test
  void badInputPrintsAnErrorAndNeverThrows() {
    try (KdSession s = session()) {
      assertThat(s.run("!object")).contains("Usage: !object");
      assertThat(s.run("!object zz")).contains("Couldn't resolve error at 'zz'");
      assertThat(s.run("!object 12345678")).contains("12345678: Not a valid object");
      assertThat(s.run("!object \\NoSuchDirectory\\x")).contains("not found");
      assertThat(s.run("!handle 1 3 " + Long.toHexString(s.demo.pid())))
          .contains("0001: free handle");
      assertThat(s.run("!handle 0 3 fff0")).contains("Unable to read _EPROCESS");
      assertThat(s.run("!handle 0 1 -1 Event extra")).contains("Couldn't resolve error");
      assertThat(s.run("!apc foo")).contains("Usage: !apc");
      assertThat(s.run("!apc thre 1234")).contains("Unable to get thread contents");
      assertThat(s.run("!mutant 1234")).contains("not a mutant");
      assertThat(s.run("!locks 1234")).contains("Unable to read ERESOURCE at 00001234");
      assertThat(s.run("!thread")).contains("THREAD");
    }
  }
}
