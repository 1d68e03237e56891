package org.ntsim.ob;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ntsim.ps.EProcess;
import org.ntsim.win32.Kernel32;
import org.ntsim.win32.TestOs;

/** The handle-count sweep holds on a running system and catches a count that is off. */
class ObjectVerifierTest {
  @Test
  void aHandleCountThatDisagreesWithTheHandlesIsCaught() {
    try (TestOs sys = TestOs.boot(1)) {
      long[] event = new long[1];
      EProcess p = sys.os.launch("t.exe", ctx -> {
        Kernel32 k = ctx.kernel32();
        event[0] = k.CreateEventW(null, true, false, null);
        k.Sleep(Kernel32.INFINITE);
        return 0;
      });
      sys.runFor(10 * TestOs.MS);
      List<HandleTable> tables = new ArrayList<>();
      for (EProcess q : sys.os.ps.activeProcesses()) {
        tables.add(q.handleTable());
      }
      assertThatCode(() -> sys.os.ob.verifyHandleCounts(tables)).doesNotThrowAnyException();

      ObjectHeader h = p.handleTable().entry(event[0]);
      h.handleCount++;
      assertThatThrownBy(() -> sys.os.ob.verifyHandleCounts(tables))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("handles refer to it");
      h.handleCount--;
      h.pointerCount = 0;
      assertThatThrownBy(() -> sys.os.ob.verifyHandleCounts(tables))
          .isInstanceOf(IllegalStateException.class);
    }
  }
}
