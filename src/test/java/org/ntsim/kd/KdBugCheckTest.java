package org.ntsim.kd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ntsim.ke.BugCheck;
import org.ntsim.ke.KEvent;
import org.ntsim.ke.Kdpc;
import org.ntsim.ke.Kernel;
import org.ntsim.ke.WaitReason;
import org.ntsim.ps.EProcess;

/**
 * The console when a driver breaks a kernel rule: g stops at the bug check and prints kd's
 * break-in notice, !analyze -v explains the stop, and the machine cannot be resumed. Also the DPC
 * queue commands, with a DPC left queued while the machine is stopped.
 */
class KdBugCheckTest {
  /** A guest that queues a DPC whose routine waits: ATTEMPTED_SWITCH_FROM_DPC. */
  private static EProcess launchWaitingDpc(KdSession s) {
    Kernel kernel = s.os.kernel;
    KEvent never = new KEvent(false, false, 0x84100000L);
    return s.os.launch("driver.exe", ctx -> {
      ctx.compute(10_000);
      Kdpc dpc = kernel.initializeDpc("bad!WaitingDpc", (d, context, a1, a2) ->
          kernel.waitForSingleObject(never, WaitReason.EXECUTIVE, Kernel.KERNEL_MODE, false, -1),
          null, 0x84200000L);
      kernel.insertQueueDpc(dpc, null, null);
      ctx.compute(10_000);
      return 0;
    });
  }

  @Test
  void gStopsAtTheBugCheckAndPrintsTheBreakInNotice() {
    try (KdSession s = new KdSession(2, 1_000 * KdSession.MS)) {
      EProcess driver = launchWaitingDpc(s);
      String out = s.run("g");
      BugCheck bc = s.os.kernel.bugCheck();
      assertThat(bc).isNotNull();
      assertThat(bc.code()).isEqualTo(BugCheck.ATTEMPTED_SWITCH_FROM_DPC);
      String thread = String.format("%08X", driver.threads().get(0).address);
      assertThat(out).contains("*** STOP: 0x000000B8 (0x" + thread + ",")
          .contains("ATTEMPTED_SWITCH_FROM_DPC\n")
          .contains("*** Fatal System Error: 0x000000b8\n")
          .contains("Break instruction exception - code 80000003 (first chance)\n")
          .contains("Use !analyze -v to get detailed debugging information.\n")
          .containsPattern("ntsim: simulated time 0:00:00\\.000 \\(\\d+ ns\\)");
      assertThat(s.run("g")).startsWith("The machine has stopped with bug check 0xb8 "
          + "(ATTEMPTED_SWITCH_FROM_DPC); it cannot run on.");
      assertThat(s.run("g 10ms")).contains("cannot run on");
    }
  }

  @Test
  void analyzeVerboseExplainsTheStopAndShowsRecentEvents() {
    try (KdSession s = new KdSession(2, 1_000 * KdSession.MS)) {
      EProcess driver = launchWaitingDpc(s);
      s.run("g");
      String thread = KdSession.hex8(driver.threads().get(0).address);
      String out = s.run("!analyze -v");
      assertThat(out).contains("*                        Bugcheck Analysis                     ")
          .contains("ATTEMPTED_SWITCH_FROM_DPC (b8)\n")
          .contains("A wait operation, attach process, or yield was attempted from a DPC routine.")
          .contains("Arg1: " + thread + ", Original thread which is the cause of the failure\n")
          .contains("BUGCHECK_STR:  0xB8\n")
          .contains("PROCESS_NAME:  driver.exe\n")
          .contains("CURRENT_IRQL:  2 (DISPATCH_LEVEL)\n")
          .contains("NTSIM_DETAIL:  ")
          .contains("NTSIM_RECENT_EVENTS:")
          .contains(" DPC_BEGIN dpc=0x84200000 ")
          .contains(" BUGCHECK stopCode=0xb8 ");
      assertThat(s.run("!analyze")).contains("BugCheck B8, {" + thread.replaceFirst("^0+", ""))
          .doesNotContain("NTSIM_RECENT_EVENTS");
    }
  }

  @Test
  void analyzeWithoutABugCheckSaysNoneOccurred() {
    try (KdSession s = KdSession.withDemo(1)) {
      s.run("g 10ms");
      assertThat(s.run("!analyze -v")).contains("Exception Analysis")
          .contains("ntsim: no bug check has occurred; the machine is stopped in the debugger at "
              + "0:00:00.010.")
          .contains(" CONTEXT_SWITCH ");
    }
  }

  @Test
  void dpcsAndPcrListAQueuedDpc() {
    try (KdSession s = KdSession.withDemo(2)) {
      s.run("g 20ms");
      Kernel kernel = s.os.kernel;
      Kdpc dpc = kernel.initializeDpc("test!QueuedDpc", (d, c, a1, a2) -> { }, null, 0x84300000L);
      kernel.setImportanceDpc(dpc, Kdpc.LOW_IMPORTANCE);
      kernel.setTargetProcessorDpc(dpc, 1);
      kernel.insertQueueDpc(dpc, null, null);
      String out = s.run("!dpcs");
      assertThat(out).startsWith("CPU Type      KDPC       Function\n"
          + " 1: Normal  : 0x84300000 test!QueuedDpc  (Low importance)\n")
          .contains("CPU  DpcQueueDepth  MaximumDpcQueueDepth  DpcRequestRate  MinimumDpcRate"
              + "  DpcCount\n")
          .containsPattern("\n  1              1                     4 +\\d+ +3 +\\d+\n");
      assertThat(s.run("!dpcs 0")).doesNotContain("test!QueuedDpc");
      assertThat(s.run("!pcr 1")).contains("\t           DpcQueue:  0x84300000 test!QueuedDpc\n")
          .contains("\t      DpcQueueDepth: 1 (MaximumDpcQueueDepth 4)\n");
    }
  }
}
