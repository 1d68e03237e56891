package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.TestOs.MS;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ntsim.hal.MachineConfig;
import org.ntsim.ps.EProcess;

/**
 * When physical memory runs out, the pool has no page for a new object: object creation fails
 * with STATUS_INSUFFICIENT_RESOURCES (ERROR_NO_SYSTEM_RESOURCES) and the machine goes on; once
 * the objects are closed their pages come back and creation works again.
 */
class PoolExhaustionTest {
  private TestOs sys;

  @AfterEach
  void shutDown() {
    if (sys != null) {
      sys.close();
    }
  }

  @Test
  void creatingObjectsPastTheEndOfMemoryFailsWithNoSystemResources() {
    MachineConfig c = TestOs.config(1);
    c.recordTrace = false;
    c.memoryBytes = 4L << 20;
    sys = TestOs.boot(c);
    List<Object> r = new ArrayList<>();
    EProcess p = sys.runProgram("hog.exe", ctx -> {
      Kernel32 k = ctx.kernel32();
      List<Long> handles = new ArrayList<>();
      long h;
      while ((h = k.CreateEventW(null, true, false, null)) != 0 && handles.size() < 500_000) {
        handles.add(h);
      }
      r.add(h);
      r.add(k.GetLastError());
      r.add(k.CreateThread(null, 0, x -> 0, 0, 0, null));
      r.add(k.GetLastError());
      for (long x : handles) {
        k.CloseHandle(x);
      }
      r.add(k.CreateEventW(null, true, false, null) != 0);
      return 0;
    }, 60_000 * MS);
    assertThat(p.unhandledException()).isNull();
    assertThat(r).containsExactly(0L, WinError.ERROR_NO_SYSTEM_RESOURCES, 0L,
        WinError.ERROR_NO_SYSTEM_RESOURCES, true);
  }
}
