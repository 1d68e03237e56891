package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.TestOs.MS;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.PsConstants;

/**
 * CreateThread, GetExitCodeThread, WaitForSingleObject on thread handles and CloseHandle, checked
 * against Microsoft's documentation of each function and Wine's conformance tests
 * (dlls/kernel32/tests/thread.c), which record what Windows does.
 */
class Kernel32ThreadTest {
  private TestOs sys;

  @AfterEach
  void shutDown() {
    if (sys != null) {
      sys.close();
    }
  }

  /** Runs {@code program} to its end on a two-processor machine. */
  private EProcess run(GuestProgram program) {
    return run(2, program);
  }

  private EProcess run(int cpus, GuestProgram program) {
    sys = TestOs.boot(cpus);
    EProcess p = sys.runProgram("t.exe", program, 1000 * MS);
    assertThat(p.exitTimeNs()).as("the program ended").isNotNegative();
    assertThat(p.unhandledException()).isNull();
    return p;
  }

  @Test
  void createThreadReturnsAHandleAndAThreadIdThatIsAMultipleOfFour() {
    long[] handle = new long[1];
    int[] tid = new int[1];
    int[] seenInside = new int[1];
    run(ctx -> {
      Kernel32 k32 = ctx.kernel32();
      handle[0] = k32.CreateThread(null, 0, p -> {
        seenInside[0] = k32.GetCurrentThreadId();
        return 0;
      }, 0, 0, tid);
      k32.WaitForSingleObject(handle[0], Kernel32.INFINITE);
      return 0;
    });

    assertThat(handle[0]).isNotZero();
    assertThat(tid[0]).isPositive();
    assertThat(tid[0] % 4).isZero();
    assertThat(seenInside[0]).isEqualTo(tid[0]);
  }

  @Test
  void createThreadLeavesTheLastErrorAloneOnSuccess() {
    int[] lastError = new int[1];
    run(ctx -> {
      Kernel32 k32 = ctx.kernel32();
      k32.SetLastError(0xFACEABAD);
      long h = k32.CreateThread(null, 0, p -> 99, 0, 0, null); // lpThreadId may be NULL
      lastError[0] = k32.GetLastError();
      k32.WaitForSingleObject(h, Kernel32.INFINITE);
      return 0;
    });

    assertThat(lastError[0]).isEqualTo(0xFACEABAD);
  }

  @Test
  void threadStartRoutineGetsItsParameter() {
    long[] got = new long[1];
    run(ctx -> {
      Kernel32 k32 = ctx.kernel32();
      long h = k32.CreateThread(null, 0, p -> {
        got[0] = p;
        return 0;
      }, 0x1234_5678L, 0, null);
      k32.WaitForSingleObject(h, Kernel32.INFINITE);
      return 0;
    });

    assertThat(got[0]).isEqualTo(0x1234_5678L);
  }

  @Test
  void getExitCodeThreadIsStillActiveWhileTheThreadRunsThenItsReturnValue() {
    int[] whileRunning = new int[1];
    int[] afterExit = new int[1];
    boolean[] ok = new boolean[2];
    run(ctx -> {
      Kernel32 k32 = ctx.kernel32();
      long h = k32.CreateThread(null, 0, p -> {
        ctx.compute(2_000_000);
        return 99;
      }, 0, 0, null);
      int[] code = new int[1];
      ok[0] = k32.GetExitCodeThread(h, code);
      whileRunning[0] = code[0];
      k32.WaitForSingleObject(h, Kernel32.INFINITE);
      ok[1] = k32.GetExitCodeThread(h, code);
      afterExit[0] = code[0];
      k32.CloseHandle(h);
      return 0;
    });

    assertThat(ok).containsExactly(true, true);
    assertThat(whileRunning[0]).isEqualTo(Kernel32.STILL_ACTIVE).isEqualTo(259);
    assertThat(afterExit[0]).isEqualTo(99);
  }

  @Test
  void exitThreadSetsTheExitCode() {
    int[] code = new int[1];
    run(ctx -> {
      Kernel32 k32 = ctx.kernel32();
      long h = k32.CreateThread(null, 0, p -> {
        k32.ExitThread(7);
        return 1; // not reached
      }, 0, 0, null);
      k32.WaitForSingleObject(h, Kernel32.INFINITE);
      k32.GetExitCodeThread(h, code);
      return 0;
    });

    assertThat(code[0]).isEqualTo(7);
  }

  @Test
  void waitingOnAThreadHandleReturnsWhenTheThreadEnds() {
    int[] result = new int[1];
    long[] endedAtNs = new long[1];
    long[] joinedAtNs = new long[1];
    run(ctx -> {
      Kernel32 k32 = ctx.kernel32();
      long h = k32.CreateThread(null, 0, p -> {
        ctx.compute(10_000_000);
        endedAtNs[0] = ctx.nowNs();
        return 0;
      }, 0, 0, null);
      result[0] = k32.WaitForSingleObject(h, Kernel32.INFINITE);
      joinedAtNs[0] = ctx.nowNs();
      return 0;
    });

    assertThat(result[0]).isEqualTo(Kernel32.WAIT_OBJECT_0);
    assertThat(joinedAtNs[0]).isGreaterThanOrEqualTo(endedAtNs[0]);
  }

  @Test
  void zeroTimeoutOnARunningThreadReturnsWaitTimeoutAtOnce() {
    int[] result = new int[1];
    long[] tookNs = new long[1];
    run(ctx -> {
      Kernel32 k32 = ctx.kernel32();
      long h = k32.CreateThread(null, 0, p -> {
        ctx.compute(20_000_000);
        return 0;
      }, 0, 0, null);
      long before = ctx.nowNs();
      result[0] = k32.WaitForSingleObject(h, 0);
      tookNs[0] = ctx.nowNs() - before;
      k32.WaitForSingleObject(h, Kernel32.INFINITE);
      return 0;
    });

    assertThat(result[0]).isEqualTo(Kernel32.WAIT_TIMEOUT).isEqualTo(0x102);
    assertThat(tookNs[0]).isLessThan(100_000); // a system call, no wait
  }

  @Test
  void timedWaitOnARunningThreadTimesOutAfterTheInterval() {
    int[] result = new int[1];
    long[] waitedNs = new long[1];
    run(ctx -> {
      Kernel32 k32 = ctx.kernel32();
      long h = k32.CreateThread(null, 0, p -> {
        ctx.compute(200_000_000); // 100 ms
        return 0;
      }, 0, 0, null);
      long before = ctx.nowNs();
      result[0] = k32.WaitForSingleObject(h, 20);
      waitedNs[0] = ctx.nowNs() - before;
      k32.WaitForSingleObject(h, Kernel32.INFINITE);
      return 0;
    });

    assertThat(result[0]).isEqualTo(Kernel32.WAIT_TIMEOUT);
    // At least the interval; the timer fires at the next clock tick after it.
    assertThat(waitedNs[0]).isBetween(20 * MS, 20 * MS + 2 * sys.tickNs);
  }

  @Test
  void waitOnAnInvalidHandleFailsWithErrorInvalidHandle() {
    int[] results = new int[2];
    int[] errors = new int[2];
    run(ctx -> {
      Kernel32 k32 = ctx.kernel32();
      results[0] = k32.WaitForSingleObject(0x1234, 0);
      errors[0] = k32.GetLastError();
      results[1] = k32.WaitForSingleObject(0, Kernel32.INFINITE); // NULL
      errors[1] = k32.GetLastError();
      return 0;
    });

    assertThat(results).containsOnly(Kernel32.WAIT_FAILED);
    assertThat(errors).containsOnly(WinError.ERROR_INVALID_HANDLE);
  }

  @Test
  void closingAHandleTwiceFailsTheSecondTimeWithErrorInvalidHandle() {
    boolean[] results = new boolean[2];
    int[] error = new int[1];
    int[] waitAfterClose = new int[1];
    run(ctx -> {
      Kernel32 k32 = ctx.kernel32();
      long h = k32.CreateThread(null, 0, p -> 0, 0, 0, null);
      k32.WaitForSingleObject(h, Kernel32.INFINITE);
      results[0] = k32.CloseHandle(h);
      k32.SetLastError(0);
      results[1] = k32.CloseHandle(h);
      error[0] = k32.GetLastError();
      waitAfterClose[0] = k32.WaitForSingleObject(h, 0);
      return 0;
    });

    assertThat(results).containsExactly(true, false);
    assertThat(error[0]).isEqualTo(WinError.ERROR_INVALID_HANDLE);
    assertThat(waitAfterClose[0]).isEqualTo(Kernel32.WAIT_FAILED);
  }

  @Test
  void getExitCodeThreadOnAnInvalidHandleFailsWithErrorInvalidHandle() {
    boolean[] result = new boolean[1];
    int[] error = new int[1];
    run(ctx -> {
      Kernel32 k32 = ctx.kernel32();
      result[0] = k32.GetExitCodeThread(0x4444, new int[1]);
      error[0] = k32.GetLastError();
      return 0;
    });

    assertThat(result[0]).isFalse();
    assertThat(error[0]).isEqualTo(WinError.ERROR_INVALID_HANDLE);
  }

  @Test
  void terminateThreadEndsTheThreadWithTheGivenExitCode() {
    int[] code = new int[1];
    int[] waited = new int[1];
    run(ctx -> {
      Kernel32 k32 = ctx.kernel32();
      long h = k32.CreateThread(null, 0, p -> {
        k32.Sleep(99_000);
        return 0;
      }, 0, 0, null);
      k32.Sleep(10);
      k32.TerminateThread(h, 99);
      waited[0] = k32.WaitForSingleObject(h, 5000);
      k32.GetExitCodeThread(h, code);
      return 0;
    });

    assertThat(waited[0]).isEqualTo(Kernel32.WAIT_OBJECT_0);
    assertThat(code[0]).isEqualTo(99);
  }

  @Test
  void switchToThreadReturnsFalseWhenNothingElseIsReadyOnThisProcessor() {
    boolean[] result = new boolean[1];
    run(ctx -> {
      result[0] = ctx.kernel32().SwitchToThread();
      return 0;
    });

    assertThat(result[0]).isFalse();
  }

  @Test
  void switchToThreadRunsAReadyThreadOfThisProcessorAndReturnsTrue() {
    boolean[] result = new boolean[1];
    boolean[] otherRanFirst = new boolean[1];
    boolean[] otherRan = new boolean[1];
    run(1, ctx -> {
      Kernel32 k32 = ctx.kernel32();
      long h = k32.CreateThread(null, 0, p -> {
        otherRan[0] = true;
        return 0;
      }, 0, 0, null);
      // ready behind the caller at a lower priority: SwitchToThread yields to any ready thread
      k32.SetThreadPriority(h, Kernel32.THREAD_PRIORITY_LOWEST);
      result[0] = k32.SwitchToThread();
      otherRanFirst[0] = otherRan[0];
      k32.WaitForSingleObject(h, Kernel32.INFINITE);
      return 0;
    });

    assertThat(result[0]).isTrue();
    assertThat(otherRanFirst[0]).isTrue();
  }

  @Test
  void switchToThreadDoesNotMoveToAnotherProcessor() {
    boolean[] result = new boolean[1];
    run(ctx -> {
      Kernel32 k32 = ctx.kernel32();
      k32.SetThreadAffinityMask(k32.GetCurrentThread(), 0b01);
      // CPU 1 is busy and has a thread ready behind it; CPU 0 has nothing else ready.
      long busy = k32.CreateThread(null, 0, p -> {
        ctx.compute(20_000_000);
        return 0;
      }, 0, 0, null);
      k32.SetThreadAffinityMask(busy, 0b10);
      long waiting = k32.CreateThread(null, 0, p -> 0, 0, 0, null);
      k32.SetThreadAffinityMask(waiting, 0b10);
      result[0] = k32.SwitchToThread();
      k32.WaitForSingleObject(busy, Kernel32.INFINITE);
      k32.WaitForSingleObject(waiting, Kernel32.INFINITE);
      return 0;
    });

    assertThat(result[0]).isFalse();
  }

  /**
   * Sleep: "A value of zero causes the thread to relinquish the remainder of its time slice to
   * any other thread that is ready to run" (equal priority only on Windows XP; "this behavior
   * changed starting with Windows Server 2003").
   */
  @Test
  void sleepZeroGivesTheProcessorToAReadyThreadOfLowerPriority() {
    boolean[] otherRanFirst = new boolean[1];
    boolean[] otherRan = new boolean[1];
    run(1, ctx -> {
      Kernel32 k32 = ctx.kernel32();
      long h = k32.CreateThread(null, 0, p -> {
        otherRan[0] = true;
        return 0;
      }, 0, 0, null);
      k32.SetThreadPriority(h, Kernel32.THREAD_PRIORITY_LOWEST);
      k32.Sleep(0);
      otherRanFirst[0] = otherRan[0];
      k32.WaitForSingleObject(h, Kernel32.INFINITE);
      return 0;
    });

    assertThat(otherRanFirst[0]).isTrue();
  }

  @Test
  void sleepZeroReturnsAtOnceWhenNothingElseIsReady() {
    long[] tookNs = new long[1];
    run(1, ctx -> {
      long before = ctx.nowNs();
      ctx.kernel32().Sleep(0);
      tookNs[0] = ctx.nowNs() - before;
      return 0;
    });

    assertThat(tookNs[0]).isLessThan(100_000);
  }

  /**
   * TerminateThread on a thread that computes in user mode: the exit APC reaches it at its next
   * interrupt (NT's APC interrupt), so it ends within a slice of the call, not when its
   * computation would have finished (here, after about 300 simulated seconds).
   */
  @Test
  void aThreadComputingInUserModeEndsSoonAfterTerminateThread() {
    long[] terminatedAtNs = new long[1];
    long[] endedAtNs = new long[1];
    EProcess process = run(ctx -> {
      Kernel32 k32 = ctx.kernel32();
      long h = k32.CreateThread(null, 0, p -> {
        ctx.compute(1_000_000_000_000L);
        return 1;
      }, 0, 0, null);
      k32.Sleep(10);
      terminatedAtNs[0] = ctx.nowNs();
      k32.TerminateThread(h, 0x77);
      k32.WaitForSingleObject(h, Kernel32.INFINITE);
      endedAtNs[0] = ctx.nowNs();
      int[] code = new int[1];
      k32.GetExitCodeThread(h, code);
      return code[0];
    });

    assertThat(endedAtNs[0] - terminatedAtNs[0]).isLessThan(1 * MS);
    assertThat(process.exitStatus()).as("the thread's exit code").isEqualTo(0x77);
  }

  @Test
  void anInstructionCountThatOverflowsTheCostModelSaturatesInsteadOfWrapping() {
    org.ntsim.hal.CostModel cost = new org.ntsim.hal.CostModel();
    assertThat(cost.instructionsToNs(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE / 1000);
    assertThat(cost.instructionsToNs(0x5b865a796adec5fL)).isPositive();
  }

  /**
   * The new thread may run at once and suspend its creator while CreateThread is still making
   * its handle; a termination then must not leave the thread object behind (PspCreateThread's
   * critical region holds the suspension back until the handle exists). Found by the fuzzer.
   */
  @Test
  void aCreatorSuspendedInsideCreateThreadAndThenTerminatedLeavesNothingBehind() {
    sys = TestOs.boot(1);
    EProcess victim = sys.os.launch("victim.exe", ctx -> {
      Kernel32 k = ctx.kernel32();
      long self = k.OpenThread(PsConstants.THREAD_ALL_ACCESS, false, k.GetCurrentThreadId());
      k.SetThreadPriority(k.GetCurrentThread(), Kernel32.THREAD_PRIORITY_IDLE);
      k.CreateThread(null, 0, param -> {
        k.SuspendThread(self);
        return 7;
      }, 0, 0, null);
      k.Sleep(Kernel32.INFINITE);
      return 0;
    });
    sys.runFor(20 * MS);
    EProcess killer = sys.os.launch("killer.exe", ctx -> {
      Kernel32 k = ctx.kernel32();
      long h = k.OpenProcess(PsConstants.PROCESS_TERMINATE, false, (int) victim.pid());
      k.TerminateProcess(h, 5);
      k.CloseHandle(h);
      return 0;
    });
    assertThat(sys.os.runUntilExited(1000 * MS, victim, killer)).isTrue();
    sys.os.ob.dereference(victim.header()); // the references launch() left to the test
    sys.os.ob.dereference(killer.header());
    sys.runFor(5 * MS);

    assertThat(sys.os.ps.activeProcesses()).doesNotContain(victim, killer);
    assertThat(victim.threads()).isEmpty();
  }
}
