package org.ntsim.kd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ntsim.ps.EProcess;
import org.ntsim.win32.GuestContext;
import org.ntsim.win32.Kernel32;

/**
 * Golden-file tests of every console command's layout ({@link GoldenFiles}): each test runs its
 * command's forms on the same fixed-seed machine and compares the transcript (prompt, command,
 * output) with {@code src/test/resources/golden/<name>.txt}; its comment names the real WinDbg
 * output the layout follows. Microsoft's pages are under
 * https://learn.microsoft.com/windows-hardware/drivers/debuggercmds/ (written DOCS/ below).
 *
 * <p>The machine: two processors (so the prompt is {@code 0: kd>}), seed 1, and golden.exe, whose
 * main thread reserves and commits memory, creates an owned mutex, an event and a semaphore,
 * starts a thread waiting on all three, a sleeper with two user APCs queued, and three CPU-bound
 * threads (one more than there are processors), then sleeps; the machine runs 50 ms before the
 * first command.
 */
class KdGoldenTest {
  private static final long BASE = 0x00400000L;

  private static KdSession machine() {
    KdSession s = new KdSession(2, 1_000 * KdSession.MS);
    s.demo = s.os.launch("golden.exe", KdGoldenTest::main);
    s.run("g 50ms");
    return s;
  }

  private static int main(GuestContext ctx) {
    Kernel32 k = ctx.kernel32();
    k.VirtualAlloc(BASE, 0x10000, Kernel32.MEM_RESERVE, Kernel32.PAGE_READWRITE);
    k.VirtualAlloc(BASE, 0x4000, Kernel32.MEM_COMMIT, Kernel32.PAGE_READWRITE);
    ctx.writeInt(BASE, 0x44434241);
    ctx.writeInt(BASE + 0x1000, 7);
    long mutex = k.CreateMutexW(null, true, null);
    long event = k.CreateEventW(null, false, false, null);
    long semaphore = k.CreateSemaphoreW(null, 0, 4, null);
    int[] tid = new int[1];
    k.CreateThread(null, 0, p -> k.WaitForMultipleObjects(3,
        new long[] {mutex, event, semaphore}, false, Kernel32.INFINITE), 0, 0, tid);
    long sleeper = k.CreateThread(null, 0, p -> {
      k.Sleep(10_000);
      return 0;
    }, 0, 0, tid);
    for (int i = 0; i < 3; i++) {
      k.CreateThread(null, 0, p -> {
        while (true) {
          ctx.compute(1_000_000);
        }
      }, 0, 0, tid);
    }
    k.Sleep(5);
    k.QueueUserAPC(x -> { }, sleeper, 1);
    k.QueueUserAPC(x -> { }, sleeper, 2);
    k.Sleep(10_000);
    return 0;
  }

  /** Runs {@code commands} on a fresh machine and compares the transcript with {@code name}. */
  private static void golden(String name, String... commands) {
    try (KdSession s = machine()) {
      golden(s, name, commands);
    }
  }

  private static void golden(KdSession s, String name, String... commands) {
    StringBuilder transcript = new StringBuilder();
    for (String command : commands) {
      transcript.append(s.console.prompt()).append(command).append('\n');
      transcript.append(s.run(command));
    }
    GoldenFiles.check(name, transcript.toString());
  }

  private static String hex(long value) {
    return Long.toHexString(value & 0xFFFFFFFFL);
  }

  // Every command the console registers has a golden file below.
  @Test
  void everyRegisteredCommandHasAGoldenFile() {
    try (KdSession s = machine()) {
      for (KdCommand.Kind kind : KdCommand.Kind.values()) {
        for (KdCommand c : s.console.commands().list(kind)) {
          assertThat(GOLDEN_COMMANDS).as("golden file for %s", c.name()).contains(c.name());
        }
      }
    }
  }

  private static final java.util.List<String> GOLDEN_COMMANDS = java.util.List.of("?", "help",
      ".help", "!help", "g", "q", "~", "vertarget", ".time", "!time", "!analyze", "!apc",
      "!locks", "!mutant", "!idt", ".process", "!pte", "!pfn", "!vad", "!memusage", "!vm", "dd",
      "db", "dq", "!object", "!handle", "!pool", "!poolused", "!process", "!dpcs", "!pcr",
      "!irql", "!timer", "!running", "!ready", "!thread", "!prcb", "dt");

  // Prompt "kd>" on a uniprocessor target, as in DOCS/-pfn's x86 example ("kd> !pfn 3b");
  // "0: kd>" on a multiprocessor one, as in DOCS/-idt's x86 example ("0: kd> !idt"). The
  // version line says "UP" without a processor count on one processor, as kd's banner does.
  @Test
  void promptOnOneProcessorIsKd() {
    try (KdSession s = new KdSession(1, KdSession.MS)) {
      golden(s, "prompt-uniprocessor", "!irql", "vertarget");
    }
  }

  // DOCS/-process: "!process 0 0" (three lines per process); seed 001 (Windows Internals 5th
  // ed. ch. 7, Vista SP1): "!process 0 7 notmyfault.exe" with VadRoot and DeviceMap lines.
  @Test
  void process() {
    try (KdSession s = machine()) {
      golden(s, "process", "!process 0 0", "!process 0 1", "!process " + hex(s.demo.pid()) + " 7",
          "!process 0 4 golden.exe");
    }
  }

  // DOCS/dt--display-type-: "   +0x000 Type             : 0n6" style lines, one per member, offset,
  // name padded to the longest, then the value (a structure's name for an embedded structure, a
  // list's Flink/Blink); the layouts are Vista x86's (kd.layout.VistaX86Types cites its sources).
  // !prcb is ProcessorLayoutGoldenTest's (DOCS/-prcb).
  @Test
  void dt() {
    try (KdSession s = machine()) {
      EProcess p = s.demo;
      golden(s, "dt", "dt nt!_DISPATCHER_HEADER " + hex(p.threads().get(0).address),
          "dt nt!_EPROCESS " + hex(p.address) + " ImageFileName",
          "dt nt!_KTHREAD @$thread Priority");
    }
  }

  // DOCS/-thread's example (Not impersonating, DeviceMap, Owning Process, Attached Process,
  // Wait Start TickCount, Context Switch Count, UserTime, KernelTime, Win32 Start Address,
  // "Priority 8 BasePriority 8 PriorityDecrement 0 IoPriority 2 PagePriority 5"), with x86's
  // eight-digit addresses; seed 001 (Vista SP1) for the THREAD line and its wait objects.
  @Test
  void thread() {
    try (KdSession s = machine()) {
      EProcess p = s.demo;
      golden(s, "thread", "!thread", "!thread " + hex(p.threads().get(0).address),
          "!thread -t " + hex(p.threads().get(1).uniqueThread) + " 0");
    }
  }

  // DOCS/-irql's dual-processor x86 example: "Debugger saved IRQL for processor 0x0 -- 28
  // (CLOCK2_LEVEL)", "... 0x1 -- 0 (LOW_LEVEL)".
  @Test
  void irql() {
    golden("irql", "!irql", "!irql 1");
  }

  // DOCS/-pfn's x86 example (PFN at address, flink / blink / share count / pteaddress,
  // reference count and color, restore pte, containing page, state); the reference count line
  // carries the Cached and Priority fields later x86 kdexts add, and no "used entry count"
  // (UsedPageTableEntries is an x64 MMPFN field).
  @Test
  void pfn() {
    try (KdSession s = machine()) {
      golden(s, "pfn", "!pfn " + hex(s.demo.addressSpace().directoryFrame()), "!pfn 100");
    }
  }

  // DOCS/-pte (x86 example and the flag letters: G, D, A, U/K, W/R, E, V) in the layout of
  // later kdexts, which print the VA on its own line above the PDE and PTE columns.
  @Test
  void pte() {
    try (KdSession s = machine()) {
      s.run(".process " + hex(s.demo.address));
      golden(s, "pte", "!pte " + hex(BASE), "!pte c0300c00", "!pte 7ffe0000");
    }
  }

  // DOCS/-vm's example: "*** Virtual Memory Usage ***", Physical Memory, Available Pages,
  // Modified Pages, NonPagedPool Usage, PagedPool Usage, Committed pages, Commit limit (the
  // counters the model keeps), then Total Private and each process's commit.
  @Test
  void vm() {
    golden("vm", "!vm");
  }

  // DOCS/-memusage's example: loading PFN database, the list counts in pages and kb, Unknown,
  // TOTAL (Vista has no SLIST/Temp line).
  @Test
  void memusage() {
    golden("memusage", "!memusage");
  }

  // DOCS/-timer's example: "Dump system timers", Interrupt time with the date and time zone,
  // the List / Timer / Interrupt Low/High / Fire Time / DPC/thread columns (the list number on
  // a list's first timer only), "Total Timers: 193, Maximum List: 7".
  @Test
  void timer() {
    golden("timer", "!timer");
  }

  // DOCS/-handle (kernel mode: Handle, KMFlags 1 basic and 2 object information, Process,
  // TypeName); the process in !process 0 0's three lines (DOCS/-process), then kdexts'
  // "Handle table at", "0004: Object: ...  GrantedAccess: ... Entry: ..." and the object.
  @Test
  void handle() {
    try (KdSession s = machine()) {
      golden(s, "handle", "!handle 0 3 " + hex(s.demo.pid()), "!handle 4 1 " + hex(s.demo.pid()));
    }
  }

  // DOCS/-locks---kdext--locks-'s basic example: "**** DUMP OF ALL RESOURCE OBJECTS ****",
  // "KD: Scanning for held locks", the total line; the booted system initializes no resources.
  @Test
  void locks() {
    golden("locks", "!locks", "!locks -v");
  }

  // ntsim's own command, in the layout of DOCS/-locks---kdext--locks- applied to mutants.
  @Test
  void mutant() {
    golden("mutant", "!mutant", "!mutant -v");
  }

  // DOCS/-apc (no process or thread: every process's APCs): "*** Enumerating APCs in all
  // processes", then Process, Thread and KAPC blocks.
  @Test
  void apc() {
    golden("apc", "!apc");
  }

  // DOCS/-idt's x86 example: "Dumping IDT:", then "d1:806b9dd4 hal!HalpClockInterrupt" and
  // "(KINTERRUPT address)" after a connected interrupt's routine.
  @Test
  void idt() {
    golden("idt", "!idt");
  }

  // DOCS/-dpcs (the queues of every processor, or of one); the page has no example: the
  // heading and entry lines are those of Server 2003's kdexts, the queue rates ntsim's own.
  @Test
  void dpcs() {
    golden("dpcs", "!dpcs");
  }

  // DOCS/-pcr: "KPCR for Processor 0 at ffdff000:", Major Minor, the named fields (the
  // command's owner lays out the KPCR in memory; regenerate after merging).
  @Test
  void pcr() {
    golden("pcr", "!pcr", "!pcr 1");
  }

  // DOCS/-ready: output like !thread's (its THREAD line, flags 0), ready threads only, by
  // decreasing priority, under a "Processor N: Ready Threads at priority P" heading.
  @Test
  void ready() {
    golden("ready", "!ready");
  }

  // DOCS/-running's x86 example: System Processors, Idle Processors, then per processor the
  // Prcb, Current and Next threads and the 16 queued-lock characters; with the (pri) and Idle
  // columns of later kdexts.
  @Test
  void running() {
    golden("running", "!running", "!running -t");
  }

  // DOCS/-vad's example: "VAD     level      start      end    commit", one line per VAD
  // (address, level, VPNs, commit, kind, protection), "Total VADs: ... average level: ...
  // maximum depth: ...".
  @Test
  void vad() {
    try (KdSession s = machine()) {
      s.run(".process " + hex(s.demo.address));
      golden(s, "vad", "!vad");
    }
  }

  // DOCS/-object: "Object: ... Type: (...) ...", ObjectHeader, HandleCount / PointerCount,
  // and a directory's Hash / Address / Type / Name table.
  @Test
  void object() {
    try (KdSession s = machine()) {
      golden(s, "object", "!object \\", "!object \\ObjectTypes", "!object " + hex(s.demo.address));
    }
  }

  // DOCS/-pool: "Pool page ... region is ...", one line per block (address, size, previous
  // size, state, tag), the block holding the address starred, its pooltag line.
  @Test
  void pool() {
    try (KdSession s = machine()) {
      golden(s, "pool", "!pool " + hex(s.demo.address));
    }
  }

  // DOCS/-poolused: "Sorting by Tag", the NonPaged and Paged Allocs / Used columns per tag,
  // the owner from pooltag.txt.
  @Test
  void poolused() {
    golden("poolused", "!poolused");
  }

  // DOCS/-analyze: the "Exception Analysis" banner (no bug check here: ntsim says so).
  @Test
  void analyze() {
    golden("analyze", "!analyze -v");
  }

  // DOCS/-process--set-process-context-: "Implicit process is now 84001020".
  @Test
  void dotProcess() {
    try (KdSession s = machine()) {
      golden(s, "dot-process", ".process " + hex(s.demo.address), ".process");
    }
  }

  // DOCS/d--da--db--dc--dd--dd--df--dp--dq--du--dw--dw--dyb--dyd--display-memory-: dd, db and dq
  // rows (address, values; db with the dash after eight bytes and the ASCII column).
  @Test
  void displayMemory() {
    try (KdSession s = machine()) {
      s.run(".process " + hex(s.demo.address));
      golden(s, "dd", "dd " + hex(BASE) + " L8");
      golden(s, "db", "db " + hex(BASE) + " L20");
      golden(s, "dq", "dq " + hex(BASE) + " L4");
    }
  }

  // DOCS/vertarget--show-target-computer-version-: the version line ("MP (2 procs)"), Debug
  // session time, System Uptime.
  @Test
  void vertarget() {
    golden("vertarget", "vertarget");
  }

  // DOCS/-time--display-system-time-: "Debug session time: ...", "System Uptime: ...".
  @Test
  void time() {
    golden("time", ".time", "!time");
  }

  // DOCS/---change-current-processor-: "~1" makes processor 1 current, and the prompt says so.
  @Test
  void changeProcessor() {
    golden("tilde", "~", "~1", "~0");
  }

  // DOCS/g--go-: g runs the target; ntsim prints the simulated time it reached.
  @Test
  void go() {
    golden("g", "g 10ms");
  }

  // DOCS/q--qq--quit-: q ends the session and prints nothing.
  @Test
  void quit() {
    golden("q", "q");
  }

  // DOCS/---evaluate-expression-: "Evaluate expression: 26 = 0000001a".
  @Test
  void evaluate() {
    golden("evaluate", "? 0n10 + 0x10", "?");
  }

  // DOCS/---command-help- and DOCS/-help: the command lists.
  @Test
  void help() {
    golden("help", "help", ".help", "!help", "!help process");
  }
}
