package org.ntsim.kd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ntsim.win32.Kernel32;

/**
 * {@code !thread} shows the thread's own I/O and page priority: Vista's defaults (IoPriority 2,
 * PagePriority 5, as in Microsoft's !thread example), and very low I/O (0) and page priority 1 once
 * the thread has entered background processing mode (SetThreadPriority with
 * THREAD_MODE_BACKGROUND_BEGIN, Windows Internals 5th ed., "I/O Prioritization").
 */
class KdBackgroundModeTest {
  @Test
  void threadShowsTheBackgroundModePriorities() {
    try (KdSession s = new KdSession(1, 1_000 * KdSession.MS)) {
      s.demo = s.os.launch("bg.exe", ctx -> {
        Kernel32 k = ctx.kernel32();
        k.SetThreadPriority(k.GetCurrentThread(), Kernel32.THREAD_MODE_BACKGROUND_BEGIN);
        k.Sleep(10_000);
        return 0;
      });
      s.run("g 10ms");
      String thread = Long.toHexString(s.demo.threads().get(0).address);

      assertThat(s.run("!thread " + thread)).contains("IoPriority 0 PagePriority 1");
    }
  }

  @Test
  void threadShowsVistasDefaultsOutsideBackgroundMode() {
    try (KdSession s = new KdSession(1, 1_000 * KdSession.MS)) {
      s.demo = s.os.launch("fg.exe", ctx -> {
        ctx.kernel32().Sleep(10_000);
        return 0;
      });
      s.run("g 10ms");
      String thread = Long.toHexString(s.demo.threads().get(0).address);

      assertThat(s.run("!thread " + thread)).contains("IoPriority 2 PagePriority 5");
    }
  }
}
