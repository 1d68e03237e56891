package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.TestOs.MS;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.EThread;

/**
 * SetThreadPriority and GetThreadPriority against Microsoft's "Scheduling Priorities" table (the
 * base priority of each THREAD_PRIORITY_* level in each priority class) and the functions'
 * documentation; the rejection of out-of-range levels follows Wine's conformance test
 * test_thread_priority, which records Windows' behaviour.
 */
class Kernel32PriorityTest {
  private TestOs sys;

  @AfterEach
  void shutDown() {
    if (sys != null) {
      sys.close();
    }
  }

  /**
   * Runs a program of {@code priorityClass} whose main thread sets its own level to
   * {@code level}; returns {SetThreadPriority result, GetThreadPriority, base, current priority}.
   */
  private int[] setOwnLevel(int priorityClass, int level) {
    sys = TestOs.boot(1);
    int[] out = new int[4];
    EProcess p = sys.os.launch("t.exe", priorityClass, ctx -> {
      Kernel32 k32 = ctx.kernel32();
      out[0] = k32.SetThreadPriority(k32.GetCurrentThread(), level) ? 1 : 0;
      out[1] = k32.GetThreadPriority(k32.GetCurrentThread());
      EThread self = sys.os.ps.currentThread();
      out[2] = self.basePriority();
      out[3] = self.priority();
      return 0;
    });
    assertThat(sys.os.runUntilExited(1000 * MS, p)).isTrue();
    return out;
  }

  @ParameterizedTest(name = "{0} class, level {1} -> base {2}")
  @CsvSource({
    // class, THREAD_PRIORITY_* level, base priority (Scheduling Priorities table)
    "IDLE, -15, 1", "IDLE, -2, 2", "IDLE, -1, 3", "IDLE, 0, 4", "IDLE, 1, 5", "IDLE, 2, 6",
    "IDLE, 15, 15",
    "BELOW_NORMAL, -15, 1", "BELOW_NORMAL, -2, 4", "BELOW_NORMAL, 0, 6", "BELOW_NORMAL, 2, 8",
    "BELOW_NORMAL, 15, 15",
    "NORMAL, -15, 1", "NORMAL, -2, 6", "NORMAL, -1, 7", "NORMAL, 0, 8", "NORMAL, 1, 9",
    "NORMAL, 2, 10", "NORMAL, 15, 15",
    "ABOVE_NORMAL, -15, 1", "ABOVE_NORMAL, -2, 8", "ABOVE_NORMAL, 0, 10", "ABOVE_NORMAL, 2, 12",
    "ABOVE_NORMAL, 15, 15",
    "HIGH, -15, 1", "HIGH, -2, 11", "HIGH, -1, 12", "HIGH, 0, 13", "HIGH, 1, 14", "HIGH, 2, 15",
    "HIGH, 15, 15",
    "REALTIME, -15, 16", "REALTIME, -7, 17", "REALTIME, -3, 21", "REALTIME, -2, 22",
    "REALTIME, 0, 24", "REALTIME, 2, 26", "REALTIME, 3, 27", "REALTIME, 6, 30",
    "REALTIME, 15, 31",
  })
  void levelMapsToTheDocumentedBasePriorityOfItsClass(String className, int level, int base) {
    int[] out = setOwnLevel(priorityClass(className), level);

    assertThat(out[0]).as("SetThreadPriority succeeded").isEqualTo(1);
    assertThat(out[1]).as("GetThreadPriority returns the level").isEqualTo(level);
    assertThat(out[2]).as("base priority").isEqualTo(base);
    assertThat(out[3]).as("current priority follows the base").isEqualTo(base);
  }

  private static int priorityClass(String name) {
    return switch (name) {
      case "IDLE" -> Kernel32.IDLE_PRIORITY_CLASS;
      case "BELOW_NORMAL" -> Kernel32.BELOW_NORMAL_PRIORITY_CLASS;
      case "NORMAL" -> Kernel32.NORMAL_PRIORITY_CLASS;
      case "ABOVE_NORMAL" -> Kernel32.ABOVE_NORMAL_PRIORITY_CLASS;
      case "HIGH" -> Kernel32.HIGH_PRIORITY_CLASS;
      case "REALTIME" -> Kernel32.REALTIME_PRIORITY_CLASS;
      default -> throw new IllegalArgumentException(name);
    };
  }

  @Test
  void newThreadStartsAtNormalLevel() {
    sys = TestOs.boot(1);
    int[] level = new int[1];
    EProcess p = sys.runProgram("t.exe", ctx -> {
      Kernel32 k32 = ctx.kernel32();
      level[0] = k32.GetThreadPriority(k32.GetCurrentThread());
      return 0;
    }, 1000 * MS);

    assertThat(p.exitStatus()).isZero();
    assertThat(level[0]).isEqualTo(Kernel32.THREAD_PRIORITY_NORMAL);
  }

  @Test
  void levelOutsideTheRangeIsRejectedWithErrorInvalidParameterAndChangesNothing() {
    sys = TestOs.boot(1);
    List<Object> out = new ArrayList<>();
    sys.runProgram("t.exe", ctx -> {
      Kernel32 k32 = ctx.kernel32();
      long self = k32.GetCurrentThread();
      for (int bad : new int[] {-3, 3, 7, 14, -14}) {
        int before = k32.GetThreadPriority(self);
        k32.SetLastError(0xDEADBEEF);
        out.add(k32.SetThreadPriority(self, bad));
        out.add(k32.GetLastError());
        out.add(k32.GetThreadPriority(self) == before);
        k32.SetThreadPriority(self, Kernel32.THREAD_PRIORITY_HIGHEST);
      }
      return 0;
    }, 1000 * MS);

    for (int i = 0; i < out.size(); i += 3) {
      assertThat(out.get(i)).as("SetThreadPriority result").isEqualTo(false);
      assertThat(out.get(i + 1)).isEqualTo(WinError.ERROR_INVALID_PARAMETER);
      assertThat(out.get(i + 2)).as("level unchanged").isEqualTo(true);
    }
  }

  /**
   * kernel32 passes THREAD_PRIORITY_TIME_CRITICAL and THREAD_PRIORITY_IDLE to
   * NtSetInformationThread(ThreadBasePriority) as 16 and -16, the increments the kernel takes for
   * saturation, so 16 itself is the time-critical level too (ReactOS's kernel32 and ntoskrnl
   * agree); GetThreadPriority turns 16 back into THREAD_PRIORITY_TIME_CRITICAL.
   */
  @Test
  void sixteenIsTheSaturatedLevelAsKernel32PassesIt() {
    sys = TestOs.boot(1);
    List<Object> out = new ArrayList<>();
    sys.runProgram("t.exe", ctx -> {
      Kernel32 k32 = ctx.kernel32();
      long self = k32.GetCurrentThread();
      out.add(k32.SetThreadPriority(self, 16));
      out.add(k32.GetThreadPriority(self));
      out.add(k32.SetThreadPriority(self, -16));
      out.add(k32.GetThreadPriority(self));
      return 0;
    }, 1000 * MS);

    assertThat(out).containsExactly(true, Kernel32.THREAD_PRIORITY_TIME_CRITICAL, true,
        Kernel32.THREAD_PRIORITY_IDLE);
  }

  @Test
  void getThreadPriorityOnAnInvalidHandleReturnsThreadPriorityErrorReturn() {
    sys = TestOs.boot(1);
    int[] out = new int[2];
    sys.runProgram("t.exe", ctx -> {
      Kernel32 k32 = ctx.kernel32();
      out[0] = k32.GetThreadPriority(0x5554);
      out[1] = k32.GetLastError();
      return 0;
    }, 1000 * MS);

    assertThat(out[0]).isEqualTo(Kernel32.THREAD_PRIORITY_ERROR_RETURN).isEqualTo(0x7FFFFFFF);
    assertThat(out[1]).isEqualTo(WinError.ERROR_INVALID_HANDLE);
  }

  @Test
  void setThreadPriorityOnAnInvalidHandleFailsWithErrorInvalidHandle() {
    sys = TestOs.boot(1);
    Object[] out = new Object[2];
    sys.runProgram("t.exe", ctx -> {
      Kernel32 k32 = ctx.kernel32();
      out[0] = k32.SetThreadPriority(0x5554, Kernel32.THREAD_PRIORITY_HIGHEST);
      out[1] = k32.GetLastError();
      return 0;
    }, 1000 * MS);

    assertThat(out).containsExactly(false, WinError.ERROR_INVALID_HANDLE);
  }

  @Test
  void raisingAnotherThreadAboveTheCallerLetsItRunFirst() {
    sys = TestOs.boot(1);
    List<String> order = new ArrayList<>();
    sys.runProgram("t.exe", ctx -> {
      Kernel32 k32 = ctx.kernel32();
      long h = k32.CreateThread(null, 0, p -> {
        order.add("worker");
        return 0;
      }, 0, 0, null);
      k32.SetThreadPriority(h, Kernel32.THREAD_PRIORITY_HIGHEST); // preempts the caller
      order.add("main");
      k32.WaitForSingleObject(h, Kernel32.INFINITE);
      return 0;
    }, 1000 * MS);

    assertThat(order).containsExactly("worker", "main");
  }
}
