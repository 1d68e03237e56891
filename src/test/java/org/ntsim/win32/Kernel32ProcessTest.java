package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.TestOs.MS;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ntsim.ke.NtStatus;
import org.ntsim.ke.ThreadState;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.EThread;

/**
 * Process and thread lifetime as a guest sees it: client IDs, the end of a process when main
 * returns (the C runtime calls ExitProcess with main's value), and an unhandled exception ending
 * only its own process (DESIGN.md section 5).
 */
class Kernel32ProcessTest {
  private TestOs sys;

  @BeforeEach
  void boot() {
    sys = TestOs.boot(2);
  }

  @AfterEach
  void shutDown() {
    sys.close();
  }

  /**
   * Windows documents that IDs are unique while their process or thread exists
   * (GetCurrentThreadId), not that they are multiples of four; NT hands them out from one handle
   * table (PspCidTable), whose values are multiples of four, shared by processes and threads.
   */
  @Test
  void processAndThreadIdsAreDistinctMultiplesOfFour() {
    List<Integer> ids = new ArrayList<>();
    List<EProcess> processes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      processes.add(sys.os.launch("p" + i + ".exe", ctx -> {
        Kernel32 k32 = ctx.kernel32();
        ids.add(k32.GetCurrentProcessId());
        ids.add(k32.GetCurrentThreadId());
        int[] tid = new int[1];
        long h = k32.CreateThread(null, 0, p -> 0, 0, 0, tid);
        ids.add(tid[0]);
        while (ids.size() < 9) { // every process and thread alive at once: no ID reused yet
          k32.Sleep(1);
        }
        k32.WaitForSingleObject(h, Kernel32.INFINITE);
        return 0;
      }));
    }
    assertThat(sys.os.runUntilExited(1000 * MS, processes.toArray(EProcess[]::new))).isTrue();

    assertThat(ids).hasSize(9).doesNotHaveDuplicates().allMatch(id -> id > 0 && id % 4 == 0);
  }

  /**
   * "The thread object remains in the system until the thread has terminated and all handles to
   * it have been closed" (CreateThread); its ID is freed with the object. The documentation says
   * only that IDs may be reused; NT's table reuses the last freed entry first.
   */
  @Test
  void threadIdIsReusedOnlyAfterTheThreadEndedAndItsLastHandleClosed() {
    int[] tids = new int[3];
    sys.runProgram("t.exe", ctx -> {
      Kernel32 k32 = ctx.kernel32();
      int[] tid = new int[1];
      long first = k32.CreateThread(null, 0, p -> 0, 0, 0, tid);
      tids[0] = tid[0];
      k32.WaitForSingleObject(first, Kernel32.INFINITE); // ended, handle still open
      long second = k32.CreateThread(null, 0, p -> 0, 0, 0, tid);
      tids[1] = tid[0];
      k32.WaitForSingleObject(second, Kernel32.INFINITE);
      k32.CloseHandle(first);
      long third = k32.CreateThread(null, 0, p -> 0, 0, 0, tid);
      tids[2] = tid[0];
      k32.WaitForSingleObject(third, Kernel32.INFINITE);
      return 0;
    }, 1000 * MS);

    assertThat(tids[1]).isNotEqualTo(tids[0]);
    assertThat(tids[2]).isEqualTo(tids[0]);
  }

  @Test
  void returningFromMainEndsTheProcessAndItsOtherThreadsWithMainsValue() {
    int[] workerTid = new int[1];
    EProcess p = sys.os.launch("t.exe", ctx -> {
      Kernel32 k32 = ctx.kernel32();
      k32.CreateThread(null, 0, param -> {
        while (true) {
          k32.Sleep(5);
        }
      }, 0, 0, workerTid);
      k32.Sleep(20);
      return 42;
    });
    sys.runFor(MS);
    EThread worker = sys.os.ps.lookupThread(workerTid[0]);
    sys.os.ob.reference(worker.header()); // keep it readable after it ends

    assertThat(sys.os.runUntilExited(1000 * MS, p)).isTrue();

    assertThat(p.exitStatus()).isEqualTo(42);
    assertThat(p.activeThreads()).isZero();
    assertThat(worker.state()).isEqualTo(ThreadState.TERMINATED);
    // GetExitCodeThread: "the exit value of the thread's process" for a thread ended with it.
    assertThat(worker.exitStatus()).isEqualTo(42);
    assertThat(p.handleTable().count()).isZero();
  }

  @Test
  void getExitCodeProcessIsStillActiveWhileTheProcessRuns() {
    int[] code = new int[1];
    EProcess p = sys.runProgram("t.exe", ctx -> {
      Kernel32 k32 = ctx.kernel32();
      k32.GetExitCodeProcess(k32.GetCurrentProcess(), code);
      return 3;
    }, 1000 * MS);

    assertThat(code[0]).isEqualTo(Kernel32.STILL_ACTIVE);
    assertThat(p.exitStatus()).isEqualTo(3);
  }

  @Test
  void unhandledGuestExceptionEndsOnlyItsOwnProcess() {
    long[] survivorCompletedAtNs = new long[1];
    EProcess crasher = sys.os.launch("crash.exe", ctx -> {
      Kernel32 k32 = ctx.kernel32();
      long h = k32.CreateThread(null, 0, p -> {
        ctx.compute(1_000_000);
        throw new IllegalStateException("guest bug");
      }, 0, 0, null);
      k32.WaitForSingleObject(h, Kernel32.INFINITE);
      return 0;
    });
    EProcess survivor = sys.os.launch("survivor.exe", ctx -> {
      for (int i = 0; i < 50; i++) {
        ctx.compute(1_000_000);
        ctx.kernel32().Sleep(1);
      }
      survivorCompletedAtNs[0] = ctx.nowNs();
      return 7;
    });

    assertThat(sys.os.runUntilExited(2000 * MS, crasher, survivor)).isTrue();

    assertThat(crasher.exitStatus()).isEqualTo(NtStatus.STATUS_UNHANDLED_EXCEPTION)
        .isEqualTo(0xC0000144);
    assertThat(crasher.unhandledException()).contains("guest bug");
    assertThat(survivor.exitStatus()).isEqualTo(7);
    assertThat(survivorCompletedAtNs[0]).isGreaterThan(crasher.exitTimeNs());
    assertThat(sys.os.machine.stopped()).isFalse();
    assertThat(sys.os.kernel.bugCheck()).isNull();
  }

  @Test
  void badOutPointerRaisesAnAccessViolationThatEndsTheProcess() {
    EProcess p = sys.runProgram("t.exe", ctx -> {
      Kernel32 k32 = ctx.kernel32();
      long h = k32.CreateThread(null, 0, param -> 0, 0, 0, null);
      k32.WaitForSingleObject(h, Kernel32.INFINITE);
      k32.GetExitCodeThread(h, null); // lpExitCode is not optional
      return 0;
    }, 1000 * MS);

    assertThat(p.exitStatus()).isEqualTo(NtStatus.STATUS_ACCESS_VIOLATION);
    assertThat(sys.os.machine.stopped()).isFalse();
  }
}
