package org.ntsim.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.ntsim.hal.MachineConfig;
import org.ntsim.hal.Prng;
import org.ntsim.kd.KdConsole;
import org.ntsim.ke.BugCheckException;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.PsConstants;
import org.ntsim.win32.GuestContext;
import org.ntsim.win32.Kernel32;
import org.ntsim.win32.Ntos;

/**
 * The native-call fuzzer: a machine whose guests call every public method of the Kernel32 and
 * Ntdll facades with hostile arguments ({@link FuzzArguments}), from several threads in several
 * processes at once, checking after every call that only a guest's exception left it, that no
 * bug check happened (every caller is in user mode), and that the kernel's, the memory manager's,
 * the pool's and the object manager's invariants hold ({@link FuzzChecks}).
 *
 * <p>One run is one seed. The seed picks the machine (1 to 3 processors, 8 to 32 MiB), the
 * number of fuzz processes and threads, and every call and argument; the same seed makes the
 * same calls in the same order, so a failure at call N replays with {@code ntsim fuzz --seed S
 * --calls N}. Calls that block forever (a wait on an event nobody sets, Sleep(INFINITE), a thread
 * that suspended itself) are part of the fuzz: a supervisor process at priority 31 terminates a
 * thread whose call has not returned after {@link #STUCK_NS} of simulated time, recycles each
 * process after {@link #RECYCLE_CALLS} calls (so process teardown is fuzzed too) or when none of
 * its threads has made a call for twice that time (its threads are suspended, say), and the harness
 * starts new processes as old ones end. At the end every fuzz process is terminated, must end
 * (liveness), and the full sweeps run once more.
 *
 * <p>Hangs in host time (a loop in ntsim that never yields) cannot be seen from inside the
 * machine; {@link #current()} names the call in progress for a watchdog on another host thread.
 */
public final class NativeCallFuzzer {
  /** A call that has not returned after this much simulated time is ended with its thread. */
  static final long STUCK_NS = 20_000_000;
  /** A fuzz process is terminated by the supervisor after this many calls of its threads. */
  static final long RECYCLE_CALLS = 4_000;
  private static final long STEP_NS = 1_000_000;
  /** No call for this long, with the supervisor ending stuck ones, means the fuzz has stalled. */
  private static final long STALL_NS = 2_000_000_000L;
  private static final long TEARDOWN_LIMIT_NS = 10_000_000_000L;

  /** What one seed's run did: the calls made, and the first failure (null when none). */
  public record Result(long seed, long calls, long processesStarted, long simulatedNs,
      String digest, FuzzFailure failure) {}

  private final long seed;
  private final long callLimit;
  private final int verifyEvery;
  private final MachineConfig config;
  private final int processCount;
  private final int threadsPerProcess;
  private volatile FuzzWorld world;
  private long processesStarted;

  /**
   * A run of {@code calls} calls for {@code seed}, with the sweeps after every
   * {@code verifyEvery}-th call. {@code plantedBug} is for the fuzzer's own tests: see
   * {@link MachineConfig#plantedBug}.
   */
  public NativeCallFuzzer(long seed, long calls, int verifyEvery, String backend,
      String plantedBug) {
    if (calls < 1 || verifyEvery < 1) {
      throw new IllegalArgumentException("calls and verifyEvery must be at least 1");
    }
    this.seed = seed;
    this.callLimit = calls;
    this.verifyEvery = verifyEvery;
    Prng r = new Prng(seed).split("fuzz machine");
    MachineConfig c = new MachineConfig();
    c.seed = seed;
    c.cpus = 1 + r.nextInt(3);
    c.memoryBytes = (8L << r.nextInt(3)) << 20;
    c.backend = backend;
    c.plantedBug = plantedBug;
    c.recordTrace = Boolean.getBoolean("ntsim.fuzz.trace");
    this.config = c.validate();
    this.processCount = 2 + r.nextInt(2);
    this.threadsPerProcess = 1 + r.nextInt(3);
  }

  /** The machine this seed runs on, as {@code cpus=N memory=NM}. */
  public String machine() {
    return "cpus=" + config.cpus + " memory=" + (config.memoryBytes >> 20) + "M";
  }

  /** The call in progress (for a watchdog on another host thread), or null. */
  public String current() {
    FuzzWorld w = world;
    FuzzWorld.CallInProgress c = w == null ? null : w.current;
    return c == null ? null : c.toString();
  }

  /** Calls made so far (read by a watchdog; may lag by a call). */
  public long callsMade() {
    FuzzWorld w = world;
    return w == null ? 0 : w.calls;
  }

  public Result run() {
    Ntos os = new Ntos(config);
    // What the fuzzed calls write to the console is noise: it goes nowhere.
    PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
    os.console.redirect(discard, discard);
    FuzzWorld w = new FuzzWorld(os, seed, callLimit, verifyEvery);
    world = w;
    try {
      EProcess supervisor = os.launch("fuzz-supervisor.exe", PsConstants.REALTIME_PRIORITY_CLASS,
          ctx -> supervise(w, ctx));
      os.runFor(STEP_NS); // the supervisor's ids are known before any fuzz call is made
      long lastCalls = -1;
      long lastProgressNs = 0;
      while (w.running() && !os.machine.stopped()) {
        guarded(w, os, () -> keepProcessesRunning(w, os));
        guarded(w, os, () -> os.runFor(STEP_NS));
        if (w.calls != lastCalls) {
          lastCalls = w.calls;
          lastProgressNs = os.machine.nowNs();
        } else if (os.machine.nowNs() - lastProgressNs > STALL_NS) {
          w.failBetweenCalls(FuzzFailure.Kind.LIVENESS, "no fuzz call for "
              + STALL_NS / 1_000_000 + " ms of simulated time:" + survivors(w, os));
        }
      }
      w.stopping = true;
      long end = os.machine.nowNs() + TEARDOWN_LIMIT_NS;
      while (!allEnded(w) && w.failure == null && !os.machine.stopped()
          && os.machine.nowNs() < end) {
        step(w, os);
      }
      if (w.failure == null && !os.machine.stopped() && !allEnded(w)) {
        w.failBetweenCalls(FuzzFailure.Kind.LIVENESS, "fuzz processes still running "
            + TEARDOWN_LIMIT_NS / 1_000_000 + " ms after they were terminated:"
            + survivors(w, os));
      }
      if (w.failure == null && os.machine.stopped() && os.kernel.bugCheck() == null) {
        w.failBetweenCalls(FuzzFailure.Kind.HOST_EXCEPTION,
            "the machine stopped: " + os.machine.stopReason());
      }
      if (w.failure == null) {
        finalSweep(w, os, supervisor);
      }
      return new Result(seed, w.calls, processesStarted, os.machine.nowNs(),
          os.machine.tracer.digestHex(), w.failure);
    } finally {
      os.shutdown();
    }
  }

  private static void step(FuzzWorld w, Ntos os) {
    guarded(w, os, () -> os.runFor(STEP_NS));
  }

  /**
   * Runs a step of the harness (the machine, or starting a process as a session manager would),
   * turning whatever leaves it into a failure: an exception of ntsim's, or a bug check.
   */
  private static void guarded(FuzzWorld w, Ntos os, Runnable step) {
    try {
      step.run();
    } catch (BugCheckException e) {
      // recorded by the kernel; reported below
    } catch (RuntimeException | Error e) {
      w.failBetweenCalls(FuzzFailure.Kind.HOST_EXCEPTION, FuzzFormat.exception(e));
    }
    if (os.kernel.bugCheck() != null) {
      w.failBetweenCalls(FuzzFailure.Kind.BUG_CHECK, os.kernel.bugCheck().stopLine() + "\n"
          + os.kernel.bugCheck().detail() + "\n" + debugger(os, "!vm"));
    }
  }

  /** What the kd console prints for {@code command} on the stopped machine. */
  private static String debugger(Ntos os, String command) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    out.println("kd> " + command);
    new KdConsole(os, out, () -> true, 0).execute(command);
    return buf.toString(StandardCharsets.UTF_8).stripTrailing();
  }

  /**
   * After the teardown: the harness drops its references, and then nothing the fuzz made may be
   * left: no process but System (a process object outlives its threads only while something
   * refers to it), and every invariant holds.
   */
  private void finalSweep(FuzzWorld w, Ntos os, EProcess supervisor) {
    guarded(w, os, () -> {
      for (int i = 0; i < 100 && !ended(supervisor); i++) {
        os.runFor(STEP_NS); // the supervisor sees the end at its next pass
      }
      for (FuzzProcess p : w.processes) {
        os.ob.dereference(p.process.header());
      }
      w.processes.clear();
      os.ob.dereference(supervisor.header());
      os.runFor(STEP_NS);
    });
    if (w.failure != null) {
      return;
    }
    StringBuilder left = new StringBuilder();
    for (EProcess p : os.ps.activeProcesses()) {
      if (p != os.ps.systemProcess()) {
        left.append(String.format("%n%s pid %d: %d references, %d handles", p.imageName(),
            p.pid(), p.header().pointerCount(), p.header().handleCount()));
        for (var t : p.threads()) {
          left.append(String.format("%n  its thread %d (%s): %s, exit status %x, suspend count %d,"
              + " %d references, %d handles", t.tid(), t.startSymbol(), t.state(),
              t.exitStatus(), t.suspendCount(), t.header().pointerCount(),
              t.header().handleCount()));
        }
      }
    }
    if (!left.isEmpty()) {
      if (os.machine.tracer.isRecording()) {
        os.machine.tracer.replay((t, cpu, kind, a, b, c) -> {
          if (a == 68 || b == 68 || c == 68) System.out.println(t + " cpu" + cpu + " " + kind + " " + Long.toHexString(a) + " " + Long.toHexString(b) + " " + Long.toHexString(c));
        });
      }
      w.failBetweenCalls(FuzzFailure.Kind.LEAK, "processes left after every fuzz process ended"
          + " and the harness let go of them:" + left);
      return;
    }
    try {
      w.verifyAll();
    } catch (RuntimeException e) {
      w.failBetweenCalls(FuzzFailure.Kind.VERIFIER, FuzzFormat.exception(e));
    }
  }

  /** The processes still alive and their threads' states, for a liveness failure. */
  private static String survivors(FuzzWorld w, Ntos os) {
    StringBuilder s = new StringBuilder();
    for (EProcess p : os.ps.activeProcesses()) {
      if (ended(p) || p.pid() == 4) {
        continue;
      }
      s.append(String.format("%n%s pid %d%s", p.imageName(), p.pid(),
          p.isExiting() ? " (exiting)" : ""));
      for (var t : p.threads()) {
        s.append(String.format("%n  tid %d %s%s, suspend count %d, wait reason %d", t.tid(),
            t.state(), t.terminationRequested() ? " (termination requested)" : "",
            t.suspendCount(), t.waitReason()));
      }
    }
    return s.toString();
  }

  /** Whether the process's last thread has ended (its exit status may be any value, 259 too). */
  private static boolean ended(EProcess p) {
    return p.exitTimeNs() >= 0;
  }

  private static boolean allEnded(FuzzWorld w) {
    for (FuzzProcess p : w.processes) {
      if (!ended(p.process)) {
        return false;
      }
    }
    return true;
  }

  /** Starts fuzz processes until {@link #processCount} are alive. */
  private void keepProcessesRunning(FuzzWorld w, Ntos os) {
    w.processes.removeIf(p -> {
      if (!ended(p.process)) {
        return false;
      }
      os.ob.dereference(p.process.header()); // the reference launch() left to the harness
      return true;
    });
    w.pruneThreads();
    while (w.processes.size() < processCount) {
      int index = (int) processesStarted++;
      FuzzProcess[] slot = new FuzzProcess[1];
      EProcess p = os.launch("fuzz" + index + ".exe", (GuestContext ctx) -> {
        slot[0].ctx = ctx;
        FuzzThread main = w.enroll(slot[0]);
        for (int i = 1; i < threadsPerProcess; i++) {
          ctx.kernel32().CreateThread(null, 0, param -> {
            w.callLoop(w.enroll(slot[0]), Long.MAX_VALUE);
            return 0;
          }, 0, 0, null);
        }
        w.callLoop(main, Long.MAX_VALUE);
        return 0;
      });
      slot[0] = new FuzzProcess(index, p, os.machine.nowNs());
      w.processes.add(slot[0]);
    }
  }

  /**
   * The supervisor's main: every 2 ms, ends the threads whose call is stuck and recycles the
   * processes that have made their share of calls; at the end, terminates every fuzz process.
   */
  private static int supervise(FuzzWorld w, GuestContext ctx) {
    Kernel32 k = ctx.kernel32();
    k.SetThreadPriority(k.GetCurrentThread(), Kernel32.THREAD_PRIORITY_TIME_CRITICAL);
    w.protectedIds.add((long) k.GetCurrentProcessId());
    w.protectedIds.add((long) k.GetCurrentThreadId());
    while (true) {
      k.Sleep(2);
      long now = ctx.nowNs();
      for (int i = 0; i < w.threads.size(); i++) { // calls below yield: the list may grow
        FuzzThread t = w.threads.get(i);
        if (t.callStartNs >= 0 && now - t.callStartNs > STUCK_NS && !t.terminationRequested) {
          t.terminationRequested = true;
          long h = k.OpenThread(PsConstants.THREAD_TERMINATE, false, (int) t.thread.tid());
          if (h != 0) {
            k.TerminateThread(h, 0x5757);
            k.CloseHandle(h);
          }
        }
      }
      for (int i = 0; i < w.processes.size(); i++) {
        FuzzProcess p = w.processes.get(i);
        boolean idle = now - p.lastCallNs > 2 * STUCK_NS; // e.g. only threads never resumed
        if ((w.stopping || idle || p.callsMade >= RECYCLE_CALLS) && !p.recycleRequested
            && !ended(p.process)) {
          p.recycleRequested = true;
          long h = k.OpenProcess(PsConstants.PROCESS_TERMINATE, false, (int) p.process.pid());
          if (h != 0) {
            k.TerminateProcess(h, 0x5050);
            k.CloseHandle(h);
          }
        }
      }
      if (w.stopping && allEnded(w)) {
        return 0;
      }
    }
  }
}
