package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.TestOs.MS;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ntsim.ps.EProcess;

/**
 * SetThreadAffinityMask, SetThreadIdealProcessor and GetCurrentProcessorNumber against their
 * documentation ("If the function succeeds, the return value is the thread's previous affinity
 * mask ... If the thread affinity mask requests a processor that is not selected for the process
 * affinity mask, the last error code is ERROR_INVALID_PARAMETER"; "If the new thread affinity
 * mask does not specify the processor that is currently running the thread, the thread is
 * rescheduled on one of the allowable processors") and Wine's test_thread_processor.
 */
class Kernel32AffinityTest {
  private TestOs sys;

  @BeforeEach
  void boot() {
    sys = TestOs.boot(2);
  }

  @AfterEach
  void shutDown() {
    sys.close();
  }

  private void run(GuestProgram program) {
    EProcess p = sys.runProgram("t.exe", program, 1000 * MS);
    assertThat(p.exitTimeNs()).isNotNegative();
    assertThat(p.unhandledException()).isNull();
  }

  @Test
  void threadConfinedToOneProcessorRunsOnlyThere() {
    List<Integer> seen = new ArrayList<>();
    run(ctx -> {
      Kernel32 k32 = ctx.kernel32();
      long[] handles = new long[3];
      for (int i = 0; i < handles.length; i++) {
        handles[i] = k32.CreateThread(null, 0, p -> {
          for (int j = 0; j < 200; j++) {
            ctx.compute(100_000);
            if (p == 0) {
              seen.add(k32.GetCurrentProcessorNumber());
            }
          }
          return 0;
        }, i, 0, null);
      }
      k32.SetThreadAffinityMask(handles[0], 0b10);
      for (long h : handles) {
        k32.WaitForSingleObject(h, Kernel32.INFINITE);
      }
      return 0;
    });

    assertThat(seen).hasSize(200).containsOnly(1);
  }

  @Test
  void runningThreadWhoseNewMaskExcludesItsProcessorMovesAtOnce() {
    int[] before = new int[1];
    int[] after = new int[1];
    run(ctx -> {
      Kernel32 k32 = ctx.kernel32();
      long self = k32.GetCurrentThread();
      before[0] = k32.GetCurrentProcessorNumber();
      k32.SetThreadAffinityMask(self, 1L << (1 - before[0]));
      after[0] = k32.GetCurrentProcessorNumber();
      return 0;
    });

    assertThat(after[0]).isEqualTo(1 - before[0]);
  }

  @Test
  void setThreadAffinityMaskReturnsThePreviousMask() {
    long[] results = new long[2];
    run(ctx -> {
      Kernel32 k32 = ctx.kernel32();
      long self = k32.GetCurrentThread();
      results[0] = k32.SetThreadAffinityMask(self, 0b01);
      results[1] = k32.SetThreadAffinityMask(self, 0b11);
      return 0;
    });

    assertThat(results).containsExactly(0b11L, 0b01L);
  }

  @Test
  void emptyMaskFailsWithErrorInvalidParameter() {
    long[] result = new long[1];
    int[] error = new int[1];
    run(ctx -> {
      Kernel32 k32 = ctx.kernel32();
      result[0] = k32.SetThreadAffinityMask(k32.GetCurrentThread(), 0);
      error[0] = k32.GetLastError();
      return 0;
    });

    assertThat(result[0]).isZero();
    assertThat(error[0]).isEqualTo(WinError.ERROR_INVALID_PARAMETER);
  }

  @Test
  void maskWithAProcessorOutsideTheProcessMaskFailsWithErrorInvalidParameter() {
    long[] result = new long[1];
    int[] error = new int[1];
    long[] maskAfter = new long[1];
    run(ctx -> {
      Kernel32 k32 = ctx.kernel32();
      long self = k32.GetCurrentThread();
      result[0] = k32.SetThreadAffinityMask(self, 0b11 + 1); // processMask + 1, as Wine tests
      error[0] = k32.GetLastError();
      maskAfter[0] = k32.SetThreadAffinityMask(self, 0b11);
      return 0;
    });

    assertThat(result[0]).isZero();
    assertThat(error[0]).isEqualTo(WinError.ERROR_INVALID_PARAMETER);
    assertThat(maskAfter[0]).as("the failed call changed nothing").isEqualTo(0b11L);
  }

  /**
   * The documentation is silent on an all-ones mask; Wine's test_thread_processor records that
   * from Vista on it means "every processor of the process" and succeeds (ntdll handles it), where
   * earlier versions failed.
   */
  @Test
  void allOnesMaskMeansEveryProcessorOfTheProcess() {
    long[] results = new long[3];
    run(ctx -> {
      Kernel32 k32 = ctx.kernel32();
      long self = k32.GetCurrentThread();
      k32.SetThreadAffinityMask(self, 0b01);
      results[0] = k32.SetThreadAffinityMask(self, 0xFFFF_FFFFL); // ~(DWORD_PTR)0 on x86
      results[1] = k32.SetThreadAffinityMask(self, -1L);
      results[2] = k32.SetThreadAffinityMask(self, 0b11);
      return 0;
    });

    assertThat(results).containsExactly(0b01L, 0b11L, 0b11L);
  }

  @Test
  void setThreadAffinityMaskOnAnInvalidHandleFailsWithErrorInvalidHandle() {
    long[] result = new long[1];
    int[] error = new int[1];
    run(ctx -> {
      Kernel32 k32 = ctx.kernel32();
      result[0] = k32.SetThreadAffinityMask(0x7770, 0b01);
      error[0] = k32.GetLastError();
      return 0;
    });

    assertThat(result[0]).isZero();
    assertThat(error[0]).isEqualTo(WinError.ERROR_INVALID_HANDLE);
  }

  @Test
  void setThreadIdealProcessorReturnsThePreviousIdealProcessor() {
    int[] results = new int[3];
    run(ctx -> {
      Kernel32 k32 = ctx.kernel32();
      long self = k32.GetCurrentThread();
      results[0] = k32.SetThreadIdealProcessor(self, 1);
      results[1] = k32.SetThreadIdealProcessor(self, 0);
      results[2] = k32.SetThreadIdealProcessor(self, Kernel32.MAXIMUM_PROCESSORS); // query
      return 0;
    });

    assertThat(results[0]).isBetween(0, 1);
    assertThat(results[1]).isEqualTo(1);
    assertThat(results[2]).isEqualTo(0);
  }

  @Test
  void idealProcessorBeyondMaximumProcessorsFailsWithMinusOneAndErrorInvalidParameter() {
    int[] result = new int[1];
    int[] error = new int[1];
    run(ctx -> {
      Kernel32 k32 = ctx.kernel32();
      result[0] = k32.SetThreadIdealProcessor(k32.GetCurrentThread(),
          Kernel32.MAXIMUM_PROCESSORS + 1);
      error[0] = k32.GetLastError();
      return 0;
    });

    assertThat(result[0]).isEqualTo(-1);
    assertThat(error[0]).isEqualTo(WinError.ERROR_INVALID_PARAMETER);
  }

  @Test
  void newThreadRunsOnAnIdleProcessorRatherThanWaitForTheBusyOne() {
    int[] ranOn = new int[1];
    run(ctx -> {
      Kernel32 k32 = ctx.kernel32();
      k32.SetThreadAffinityMask(k32.GetCurrentThread(), 0b01);
      long h = k32.CreateThread(null, 0, p -> {
        ranOn[0] = k32.GetCurrentProcessorNumber();
        return 0;
      }, 0, 0, null);
      k32.WaitForSingleObject(h, Kernel32.INFINITE);
      return 0;
    });

    assertThat(ranOn[0]).isEqualTo(1);
  }
}
