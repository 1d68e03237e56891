package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.Kernel32.INFINITE;
import static org.ntsim.win32.Kernel32.PROCESS_MODE_BACKGROUND_BEGIN;
import static org.ntsim.win32.Kernel32.PROCESS_MODE_BACKGROUND_END;
import static org.ntsim.win32.Kernel32.THREAD_MODE_BACKGROUND_BEGIN;
import static org.ntsim.win32.Kernel32.THREAD_MODE_BACKGROUND_END;
import static org.ntsim.win32.TestOs.MS;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.EThread;
import org.ntsim.ps.PsConstants;

/**
 * Background processing mode (Vista): SetPriorityClass with PROCESS_MODE_BACKGROUND_BEGIN/END
 * and SetThreadPriority with THREAD_MODE_BACKGROUND_BEGIN/END, as their documentation states it,
 * with the errors of "System Error Codes (0-499)" (ERROR_THREAD_MODE_ALREADY_BACKGROUND 400 to
 * ERROR_PROCESS_MODE_NOT_BACKGROUND 403), and the memory priority 1 and I/O priority very low
 * that Windows Internals (5th ed., ch. 7 "I/O Prioritization" and ch. 9) says the mode sets.
 */
class Kernel32BackgroundModeTest extends SyncTestSupport {

  /**
   * SetPriorityClass: "The function fails if the process is already in background processing
   * mode" (ERROR_PROCESS_MODE_ALREADY_BACKGROUND) and, for _END, "if the process is not in
   * background processing mode" (ERROR_PROCESS_MODE_NOT_BACKGROUND).
   */
  @Test
  void processModeBackgroundBeginsOnceAndEndsOnce() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long self = k.GetCurrentProcess();
      r.add(k.SetPriorityClass(self, PROCESS_MODE_BACKGROUND_END));
      r.add(k.GetLastError());
      r.add(k.SetPriorityClass(self, PROCESS_MODE_BACKGROUND_BEGIN));
      r.add(k.SetPriorityClass(self, PROCESS_MODE_BACKGROUND_BEGIN));
      r.add(k.GetLastError());
      r.add(k.SetPriorityClass(self, PROCESS_MODE_BACKGROUND_END));
      return 0;
    });
    assertThat(r).containsExactly(false, WinError.ERROR_PROCESS_MODE_NOT_BACKGROUND, true,
        false, WinError.ERROR_PROCESS_MODE_ALREADY_BACKGROUND, true);
  }

  /** SetThreadPriority: the same rule for a thread, with the THREAD_MODE errors (400, 401). */
  @Test
  void threadModeBackgroundBeginsOnceAndEndsOnce() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long self = k.GetCurrentThread();
      r.add(k.SetThreadPriority(self, THREAD_MODE_BACKGROUND_BEGIN));
      r.add(k.SetThreadPriority(self, THREAD_MODE_BACKGROUND_BEGIN));
      r.add(k.GetLastError());
      r.add(k.SetThreadPriority(self, THREAD_MODE_BACKGROUND_END));
      r.add(k.SetThreadPriority(self, THREAD_MODE_BACKGROUND_END));
      r.add(k.GetLastError());
      r.add(k.GetThreadPriority(self)); // the priority level is not touched
      return 0;
    });
    assertThat(r).containsExactly(true, false, WinError.ERROR_THREAD_MODE_ALREADY_BACKGROUND,
        true, false, WinError.ERROR_THREAD_MODE_NOT_BACKGROUND, Kernel32.THREAD_PRIORITY_NORMAL);
  }

  /**
   * "This value can be specified only if hThread is a handle to the current thread" (and
   * hProcess to the current process for SetPriorityClass). The documentation names no error;
   * ntsim answers ERROR_INVALID_PARAMETER, and the other thread stays out of background mode.
   */
  @Test
  void backgroundModeIsOnlyForTheCallersOwnThreadAndProcess() {
    List<Object> r = new ArrayList<>();
    EThread[] other = new EThread[1];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      int[] tid = new int[1];
      long t = k.CreateThread(null, 0, p -> 0, 0, Kernel32.CREATE_SUSPENDED, tid);
      other[0] = sys.os.ps.lookupThread(tid[0]);
      r.add(k.SetThreadPriority(t, THREAD_MODE_BACKGROUND_BEGIN));
      r.add(k.GetLastError());
      r.add(other[0].inBackgroundMode());
      k.ResumeThread(t);
      k.WaitForSingleObject(t, INFINITE);
      k.CloseHandle(t);
      return 0;
    });
    assertThat(r).containsExactly(false, WinError.ERROR_INVALID_PARAMETER, false);
  }

  /** The same for SetPriorityClass on a handle to another process. */
  @Test
  void processBackgroundModeOnAnotherProcessFails() {
    sys = TestOs.boot(2);
    EProcess target = sys.os.launch("target.exe", ctx -> {
      ctx.kernel32().Sleep(200);
      return 0;
    });
    List<Object> r = new ArrayList<>();
    EProcess caller = sys.os.launch("caller.exe", ctx -> {
      Kernel32 k = ctx.kernel32();
      long h = k.OpenProcess(PsConstants.PROCESS_SET_INFORMATION, false, (int) target.pid());
      r.add(k.SetPriorityClass(h, PROCESS_MODE_BACKGROUND_BEGIN));
      r.add(k.GetLastError());
      k.CloseHandle(h);
      return 0;
    });
    sys.os.runUntilExited(1000 * MS, caller);
    assertThat(r).containsExactly(false, WinError.ERROR_INVALID_PARAMETER);
    assertThat(target.inBackgroundMode()).isFalse();
  }

  /**
   * In background mode the process and its threads, new ones too ("If a process is in background
   * processing mode, the new threads it creates will also be in background processing mode"),
   * have memory priority 1 and I/O priority very low (0); leaving it restores normal (5 and 2).
   */
  @Test
  void processBackgroundModeLowersMemoryAndIoPriorityOfEveryThread() {
    List<Integer> r = new ArrayList<>();
    EProcess p = run(ctx -> {
      Kernel32 k = ctx.kernel32();
      EThread main = sys.os.ps.currentThread();
      k.SetPriorityClass(k.GetCurrentProcess(), PROCESS_MODE_BACKGROUND_BEGIN);
      EProcess self = main.process();
      r.add(self.pagePriority());
      r.add(self.ioPriority());
      r.add(main.pagePriority());
      r.add(main.ioPriority());
      long t = k.CreateThread(null, 0, q -> {
        EThread me = sys.os.ps.currentThread();
        r.add(me.pagePriority());
        r.add(me.ioPriority());
        return 0;
      }, 0, 0, null);
      k.WaitForSingleObject(t, INFINITE);
      k.CloseHandle(t);
      k.SetPriorityClass(k.GetCurrentProcess(), PROCESS_MODE_BACKGROUND_END);
      r.add(main.pagePriority());
      r.add(main.ioPriority());
      return 0;
    });
    assertThat(p.exitStatus()).isZero();
    assertThat(r).containsExactly(1, 0, 1, 0, 1, 0, 5, 2);
  }

  /** Thread background mode lowers only the calling thread's priorities, and END restores them. */
  @Test
  void threadBackgroundModeLowersOnlyThatThread() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      EThread main = sys.os.ps.currentThread();
      k.SetThreadPriority(k.GetCurrentThread(), THREAD_MODE_BACKGROUND_BEGIN);
      r.add(main.pagePriority());
      r.add(main.ioPriority());
      r.add(main.process().pagePriority());
      k.SetThreadPriority(k.GetCurrentThread(), THREAD_MODE_BACKGROUND_END);
      r.add(main.pagePriority());
      r.add(main.ioPriority());
      return 0;
    });
    assertThat(r).containsExactly(1, 0, 5, 5, 2);
  }
}
