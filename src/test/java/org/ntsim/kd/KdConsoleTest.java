package org.ntsim.kd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ntsim.ke.KThread;
import org.ntsim.ke.ThreadState;
import org.ntsim.ps.EThread;

/**
 * Snapshot-style checks of the console's commands on demo.exe (see {@link KdSession}): the key
 * lines each command must print, laid out as WinDbg prints them.
 */
class KdConsoleTest {
  private static List<String> lines(String text) {
    return Arrays.asList(text.split("\n"));
  }

  @Test
  void gWithATimeRunsThatMuchSimulatedTime() {
    try (KdSession s = KdSession.withDemo(1)) {
      assertThat(s.run("g 100ms")).isEqualTo("ntsim: simulated time 0:00:00.100 (100000000 ns)\n");
      assertThat(s.run("g 500us")).contains("ntsim: simulated time 0:00:00.100 (100500000 ns)");
      assertThat(s.run("g 1000ns")).contains("(100501000 ns)");
      // the session's limit is one second; KdGoTest shows a longer g cut to it
      assertThat(s.run("g 900ms")).contains("ntsim: simulated time 0:00:01.000 (1000501000 ns)");
      assertThat(s.os.machine.nowNs()).isEqualTo(1_000_501_000L);
    }
  }

  @Test
  void processZeroZeroListsSystemAndTheGuestBriefly() {
    try (KdSession s = KdSession.withDemo(1)) {
      s.run("g 100ms");
      String out = s.run("!process 0 0");
      assertThat(lines(out)).startsWith("**** NT ACTIVE PROCESS DUMP ****");
      assertThat(out).contains(String.format("PROCESS %s  SessionId: none  Cid: 0004    "
          + "Peb: 00000000  ParentCid: 0000", KdSession.hex8(s.os.ps.systemProcess().address)));
      assertThat(out).contains("    Image: System\n");
      assertThat(out).contains(String.format("PROCESS %s  SessionId: 1  Cid: %04x",
          KdSession.hex8(s.demo.address), s.demo.pid()));
      assertThat(out).contains("ParentCid: 0004\n");
      assertThat(out).contains("    Image: demo.exe\n");
      assertThat(out).contains("HandleCount:    3.");
      assertThat(out).doesNotContain("THREAD").doesNotContain("VadRoot");
    }
  }

  @Test
  void processZeroSevenShowsEveryThreadInDetail() {
    try (KdSession s = KdSession.withDemo(1)) {
      s.run("g 100ms");
      String out = s.run("!process 0 7");
      for (int i = 0; i < 3; i++) {
        EThread t = s.thread(i);
        assertThat(out).contains(String.format("        THREAD %s  Cid %04x.%04x  Teb: %s "
            + "Win32Thread: 00000000 ", KdSession.hex8(t.address), s.demo.pid(), t.tid(),
            KdSession.hex8(t.tebAddress())));
      }
      assertThat(out).contains("    ElapsedTime                       00:00:00.100");
      assertThat(out).contains("        Win32 Start Address demo!main (0x");
      assertThat(out).contains("        Win32 Start Address nt!KeBalanceSetManager (0x");
      assertThat(out).contains("        Owning Process            " + KdSession.hex8(s.demo.address)
          + "       Image:         demo.exe");
      assertThat(out).contains("WAIT: (UserRequest) UserMode Non-Alertable\n"
          + "            " + KdSession.hex8(s.thread(0).address) + "  ThreadObject\n");
    }
  }

  @Test
  void processByCidAndByAddressDefaultToFullDetail() {
    try (KdSession s = KdSession.withDemo(1)) {
      s.run("g 50ms");
      String byCid = s.run("!process " + Long.toHexString(s.demo.pid()));
      String byAddress = s.run("!process " + KdSession.hex8(s.demo.address));
      assertThat(byCid).isEqualTo(String.format("Searching for Process with Cid == %x\n",
          s.demo.pid()) + byAddress);
      assertThat(byAddress).contains("Image: demo.exe").contains("THREAD");
      assertThat(s.run("!process 0 0 system")).contains("Image: System")
          .doesNotContain("demo.exe");
      assertThat(s.run("!process")).contains("PROCESS " + KdSession.hex8(s.demo.address));
    }
  }

  @Test
  void readyListsTheWaitingCruncherWithItsPriority() {
    try (KdSession s = KdSession.withDemo(1)) {
      s.run("g 100ms");
      List<KThread> ready = s.os.kernel.prcb(0).readyAt(8);
      assertThat(ready).isNotEmpty().allMatch(t -> t.state() == ThreadState.READY)
          .allMatch(t -> t == s.thread(0) || t == s.thread(1));
      StringBuilder expected = new StringBuilder("Processor 0: Ready Threads at priority 8\n");
      for (KThread t : ready) {
        expected.append(String.format("    THREAD %s  Cid %04x.%04x  Teb: %s "
            + "Win32Thread: 00000000 READY on processor 0\n", KdSession.hex8(t.address),
            s.demo.pid(), t.uniqueThread, KdSession.hex8(((EThread) t).tebAddress())));
      }
      // Below them, at priority 0, the zero page thread when it has not yet reached its first
      // wait: it lowers itself to 0 as soon as it starts, and a busy processor never runs it.
      assertThat(s.run("!ready")).startsWith(expected.toString());
      assertThat(s.run("!ready 6")).contains("Win32 Start Address demo!ThreadProc (0x");
    }
  }

  @Test
  void readyOnIdleProcessorsSaysSo() {
    try (KdSession s = new KdSession(2, KdSession.MS)) {
      s.run("g 20ms");
      assertThat(s.run("!ready")).isEqualTo("Processor 0: No threads in READY state\n"
          + "Processor 1: No threads in READY state\n");
    }
  }

  @Test
  void threadShowsASleepersDelayExecutionWait() {
    try (KdSession s = KdSession.withDemo(1)) {
      s.run("g 100ms");
      EThread sleeper = s.thread(2);
      String out = s.run("!thread " + KdSession.hex8(sleeper.address));
      List<String> lines = lines(out);
      // The demo's fourth thread: its TEB is the fourth page down from the PEB's.
      assertThat(lines.get(0)).isEqualTo(String.format("THREAD %s  Cid %04x.%04x  Teb: 7ffdb000 "
          + "Win32Thread: 00000000 WAIT: (DelayExecution) UserMode Non-Alertable",
          KdSession.hex8(sleeper.address), s.demo.pid(), sleeper.tid()));
      assertThat(lines.get(1)).isEqualTo("    " + KdSession.hex8(sleeper.timer().address)
          + "  NotificationTimer");
      assertThat(lines).contains("Not impersonating", "Win32 Start Address "
          + KdSymbols.withAddress("demo.exe!ThreadProc"),
          "Priority 8 BasePriority 8 PriorityDecrement 0 IoPriority 2 PagePriority 5",
          "Attached Process          N/A            Image:         N/A");
      assertThat(out).contains(String.format("Context Switch Count      %-15dIdealProcessor: %d",
          sleeper.contextSwitches(), sleeper.idealProcessor()));
      assertThat(out).containsPattern("Wait Start TickCount      \\d+ +Ticks: \\d+ "
          + "\\(0:00:00:00\\.\\d{3}\\)");
      assertThat(out).containsPattern("ntsim: exact UserTime \\d+\\.\\d{6} ms  KernelTime");
    }
  }

  @Test
  void threadWithoutAnAddressIsTheCurrentProcessorsThread() {
    try (KdSession s = KdSession.withDemo(1)) {
      s.run("g 100ms");
      KThread running = s.os.kernel.prcb(0).currentThread();
      String out = s.run("!thread");
      assertThat(out).startsWith("THREAD " + KdSession.hex8(running.address))
          .contains("RUNNING on processor 0")
          .contains("UserTime                  00:00:00.0");
      assertThat(s.run("!thread -1")).isEqualTo(out);
      assertThat(s.run("!thread -t " + Long.toHexString(running.uniqueThread))).isEqualTo(out);
      assertThat(s.run("!thread " + KdSession.hex8(running.address) + " 0"))
          .isEqualTo(lines(out).get(0) + "\n");
    }
  }

  @Test
  void runningShowsEachBusyProcessorsCurrentThread() {
    try (KdSession s = KdSession.withDemo(2)) {
      s.run("g 100ms");
      String out = s.run("!running");
      assertThat(out).contains("System Processors:  (00000003)")
          .contains("  Idle Processors:  (00000000)")
          .contains("       Prcbs     Current (pri) Next    (pri) Idle");
      for (int cpu = 0; cpu < 2; cpu++) {
        var prcb = s.os.kernel.prcb(cpu);
        assertThat(out).contains(String.format("%3d    %s  %s ( 8)               %s  "
            + "................", cpu, KdSession.hex8(KdTarget.prcbAddress(cpu)),
            KdSession.hex8(prcb.currentThread().address),
            KdSession.hex8(prcb.idleThread().address)));
      }
      assertThat(s.run("!running -t")).contains("ntsim: no stacks are modelled;")
          .contains("started at demo!ThreadProc, user mode, PASSIVE_LEVEL");
    }
  }

  @Test
  void runningOnAnIdleMachineSaysAllProcessorsIdleUnlessAskedForThem() {
    try (KdSession s = new KdSession(2, KdSession.MS)) {
      s.run("g 20ms");
      assertThat(s.run("!running")).contains("  Idle Processors:  (00000003)")
          .contains("All processors idle.");
      assertThat(s.run("!running -i")).contains("  1    807c4120  ");
    }
  }

  @Test
  void switchingProcessorsChangesThePromptAndThePcr() {
    try (KdSession s = KdSession.withDemo(2)) {
      String out = s.script("~1", "!pcr", "~0", "!irql", "~5", "q");
      assertThat(out).contains("kd> ~1\n1: kd> !pcr\nKPCR for Processor 1 at 807c4000:\n")
          .contains("\t               Prcb: 807c4120\n")
          .contains("1: kd> ~0\n0: kd> !irql\nDebugger saved IRQL for processor 0x0 -- 0 "
              + "(LOW_LEVEL)\n")
          .contains("0: kd> ~5\nInvalid processor number 5 (the target has 2)\n");
      assertThat(out).startsWith("Windows Vista Kernel Version 6001").contains("\n0: kd> ~1\n");
    }
  }

  @Test
  void pcrShowsThreadsAndPrcbCounters() {
    try (KdSession s = KdSession.withDemo(1)) {
      s.run("g 100ms");
      var prcb = s.os.kernel.prcb(0);
      String out = s.run("!pcr");
      assertThat(out).startsWith("KPCR for Processor 0 at 81926c00:\n")
          .contains("\t      CurrentThread: " + KdSession.hex8(prcb.currentThread().address))
          .contains("\t         NextThread: 00000000")
          .contains("\t         IdleThread: " + KdSession.hex8(prcb.idleThread().address))
          .contains("\t    ContextSwitches: " + prcb.contextSwitches())
          .contains(String.format("\t       ReadySummary: %08x (%d ready)", prcb.readySummary(),
              prcb.readyCount()))
          .contains("\t     InterruptCount: " + prcb.cpu.interruptCount() + " (0 IPIs)")
          .containsPattern("\t           UserTime: " + prcb.userTicks() + " ticks \\(00:00:00\\."
              + "\\d{3}\\)  exact \\d+\\.\\d{6} ms");
    }
  }

  @Test
  void timeAndTimerTableUseSimulatedTime() {
    try (KdSession s = KdSession.withDemo(1)) {
      s.run("g 100ms");
      assertThat(s.run(".time")).isEqualTo(s.run("!time"))
          .startsWith("Debug session time: Wed Feb 27 00:00:00.100 2008 (UTC + 0:00)\n"
              + "System Uptime: 0 days 0:00:00.100\n")
          .contains("ntsim: simulated time 100000000 ns, tick count 6");
      // DOCS/-timer: the interrupt time, then the time of day in brackets
      assertThat(s.run("!timer")).contains("Interrupt time: 000f4240 00000000 [ 2/27/2008 "
          + "00:00:00.100 (Coordinated Universal Time)]")
          .contains("thread " + KdSession.hex8(s.thread(2).address))
          .contains("Total Timers: 2");
    }
  }

  @Test
  void bareGRunsUntilTheLabFinishes() {
    try (KdSession s = new KdSession(1, 10_000 * KdSession.MS)) {
      var p = s.os.launch("short.exe", ctx -> {
        ctx.compute(100_000);
        ctx.kernel32().Sleep(40);
        return 7;
      });
      s.finished = () -> p.exitTimeNs() >= 0;
      String out = s.run("g");
      assertThat(out)
          .startsWith("ntsim: the lab's programs have finished.\nntsim: simulated time ");
      assertThat(p.exitTimeNs()).isPositive();
      assertThat(s.os.machine.nowNs()).isLessThan(100 * KdSession.MS);
      assertThat(s.run("!process 0 1 short.exe")).contains("ExitStatus 00000007 at 0:00:00.0");
      assertThat(s.run("g")).startsWith("ntsim: the lab's programs have finished; g <time> runs");
    }
  }

  @Test
  void bareGStopsAtTheTimeLimit() {
    try (KdSession s = new KdSession(1, 250 * KdSession.MS)) {
      s.demo = s.os.launch("forever.exe", ctx -> {
        while (true) {
          ctx.compute(1_000_000);
        }
      });
      assertThat(s.run("g")).isEqualTo("ntsim: time limit reached (0:00:00.250 of simulated time)."
          + "\nntsim: simulated time 0:00:00.250 (250000000 ns)\n");
      assertThat(s.run("g")).contains("ntsim: simulated time 0:00:00.500 (500000000 ns)");
    }
  }

  @Test
  void badInputPrintsAnErrorAndTheSessionGoesOn() {
    try (KdSession s = KdSession.withDemo(1)) {
      String[][] cases = {
        {"foo", "^ Syntax error in 'foo'"},
        {"!foo", "No export foo found"},
        {"!thread zzz", "Couldn't resolve error at 'zzz'"},
        {"!thread 12345678", "12345678: Unable to get thread contents"},
        {"!thread 0x", "Couldn't resolve error at '0x'"},
        {"!thread -t 999", "ntsim: no thread has that ID"},
        {"!process 4444", "Unable to read _EPROCESS at 00004444"},
        {"!process 0 zz", "Couldn't resolve error at 'zz'"},
        {"!pcr 9", "Cannot get PRCB address for processor 9"},
        {"!dpcs -1", "Cannot get PRCB address for processor -1"},
        {"!running -x", "Unknown option 'x'"},
        {"!running 3", "Couldn't resolve error at '3'"},
        {"!analyze -q", "Unknown option '-q'"},
        {"g abc", "Couldn't resolve error at 'abc'"},
        {"g 0ms", "ntsim: g needs a positive time"},
        {"g -5ms", "ntsim: g needs a positive time"},
        {"g 1ms 2ms", "Couldn't resolve error at '2ms'"},
        {"~x", "Couldn't resolve error at 'x'"},
        {"~99", "Invalid processor number 99"},
        {"!ready 1ffffffffffffffff", "Couldn't resolve error at '1ffffffffffffffff'"},
      };
      for (String[] c : cases) {
        assertThat(s.console.execute(c[0])).as(c[0]).isTrue();
        assertThat(s.run(c[0])).as(c[0]).contains(c[1])
            .doesNotContain("failed inside the console");
      }
      assertThat(s.run("")).isEmpty();
      assertThat(s.run("   ")).isEmpty();
      assertThat(s.os.machine.nowNs()).isZero();
    }
  }

  @Test
  void qQuitsAndAScriptEchoesEachCommandAfterThePrompt() {
    try (KdSession s = KdSession.withDemo(1)) {
      assertThat(s.console.execute("q")).isFalse();
      String out = s.script("g 100ms", "!ready", "q", "!process 0 0");
      List<String> lines = lines(out);
      assertThat(lines.get(0)).isEqualTo("Windows Vista Kernel Version 6001 (Service Pack 1) UP "
          + "Free x86 compatible");
      assertThat(lines).contains("kd> g 100ms", "ntsim: simulated time 0:00:00.100 (100000000 ns)",
          "kd> !ready", "Processor 0: Ready Threads at priority 8", "kd> q");
      assertThat(lines.get(lines.size() - 1)).isEqualTo("kd> q");
      assertThat(out).doesNotContain("NT ACTIVE PROCESS DUMP");
    }
  }

  @Test
  void aScriptEndsAtEndOfInput() {
    try (KdSession s = KdSession.withDemo(1)) {
      String out = s.script("g 10ms");
      assertThat(lines(out))
          .endsWith("kd> g 10ms", "ntsim: simulated time 0:00:00.010 (10000000 ns)");
    }
  }

  @Test
  void theSameScriptGivesTheSameTranscript() {
    String[] script = {"g 120ms", "!process 0 7", "!ready", "!running -it", "!thread", "!pcr 1",
        "!dpcs", "!timer", "g 1s", "!process 0 7", "!analyze -v", "q"};
    String first;
    try (KdSession s = KdSession.withDemo(2)) {
      first = s.script(script);
    }
    try (KdSession s = KdSession.withDemo(2)) {
      assertThat(s.script(script)).isEqualTo(first);
    }
    assertThat(first).doesNotContain("failed inside the console");
  }
}
