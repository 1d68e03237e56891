package org.ntsim.win32;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.ntsim.hal.MachineConfig;
import org.ntsim.ke.KEvent;
import org.ntsim.ke.KThread;
import org.ntsim.ke.Kernel;
import org.ntsim.ke.ThreadState;
import org.ntsim.ke.WaitReason;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.EThread;
import org.ntsim.ps.PsConstants;
import org.ntsim.ps.ThreadStart;
import org.ntsim.trace.TraceKind;

/**
 * A booted system for tests, with the instruments they share: every thread state change as it
 * happens (including DeferredReady, which never lasts to a simulation point), the recorded trace
 * as a list, and stepping the machine in small increments until a condition holds.
 *
 * <p>Threads made here run kernel helpers on their own coroutines: {@link #compute} spends CPU
 * time in the thread's current mode, {@link #waitFor} waits in user mode like a guest's
 * WaitForSingleObject does.
 */
public final class TestOs implements AutoCloseable {
  public static final long US = 1_000L;
  public static final long MS = 1_000_000L;
  /** Run steps when waiting for a condition: fine enough to see a thread between ticks. */
  public static final long STEP_NS = 10 * US;

  /** One change of a thread's scheduling state. */
  public record Transition(long tid, ThreadState from, ThreadState to, long timeNs, int cpu) {
    @Override
    public String toString() {
      return from.ntName() + "->" + to.ntName();
    }
  }

  /** One recorded trace event. */
  public record Event(long timeNs, int cpu, TraceKind kind, long a, long b, long c) {}

  public final Ntos os;
  public final long tickNs;
  private final List<KThread> observed = new ArrayList<>();
  private final List<Transition> transitions = new ArrayList<>();

  public TestOs(MachineConfig config) {
    this.os = new Ntos(config);
    this.tickNs = config.clockIntervalNs;
    os.kernel.setThreadStateObserver((t, from, to) -> {
      observed.add(t);
      var cpu = os.machine.activeCpu();
      transitions.add(new Transition(t.uniqueThread, from, to, cpu.clockNs(), cpu.index));
    });
  }

  /** A machine with {@code cpus} processors that records its trace. */
  public static MachineConfig config(int cpus) {
    MachineConfig c = new MachineConfig();
    c.cpus = cpus;
    c.recordTrace = true;
    return c;
  }

  /** A booted system with {@code cpus} processors whose system threads have started and wait. */
  public static TestOs boot(int cpus) {
    return boot(config(cpus));
  }

  /** A booted system whose system threads have started and wait (1 ms of simulated time). */
  public static TestOs boot(MachineConfig config) {
    TestOs sys = new TestOs(config);
    sys.runFor(MS);
    return sys;
  }

  @Override
  public void close() {
    os.shutdown();
  }

  // ------------------------------------------------------------------ making threads

  /** A guest's view of the system, as {@code main} gets it. */
  public GuestContext context() {
    return new GuestContext(os, new String[0]);
  }

  /** A process of the normal class on every processor, with no threads yet. */
  public EProcess process(String image) {
    return process(image, PsConstants.NORMAL_PRIORITY_CLASS);
  }

  public EProcess process(String image, int priorityClass) {
    return os.ps.createProcess(image, os.ps.systemProcess(), priorityClass,
        os.ps.allProcessorsMask());
  }

  /** A user-mode thread of {@code p} at {@code priority}, readied at once. */
  public EThread thread(EProcess p, String name, int priority, ThreadStart body) {
    return os.ps.createThread(p, name, name, priority, 0, false, body, false);
  }

  /** A user-mode thread of {@code p} left Initialized until {@code os.ps.startThread}. */
  public EThread suspendedThread(EProcess p, String name, int priority, ThreadStart body) {
    return os.ps.createThread(p, name, name, priority, 0, false, body, true);
  }

  /** A kernel-mode thread of the System process. */
  public EThread systemThread(String name, int priority, ThreadStart body) {
    return os.ps.createSystemThread(name, "test!" + name, priority, body);
  }

  /** Spends {@code ns} of CPU time on the calling thread, in its current mode. */
  public void compute(long ns) {
    os.kernel.spend(ns);
  }

  /** Computes until the calling thread's processor clock reaches {@code untilNs}. */
  public void computeUntil(long untilNs) {
    while (os.machine.activeCpu().clockNs() < untilNs) {
      os.kernel.spend(100 * US);
    }
  }

  public KEvent notificationEvent() {
    return new KEvent(true, false, os.kernel.staticAddress(0x10));
  }

  public KEvent synchronizationEvent() {
    return new KEvent(false, false, os.kernel.staticAddress(0x10));
  }

  /** A user-mode wait with no timeout, as WaitForSingleObject(h, INFINITE) makes. */
  public int waitFor(KEvent event) {
    return os.kernel.waitForSingleObject(event, WaitReason.USER_REQUEST, Kernel.USER_MODE, false,
        -1);
  }

  /** The processor the calling code runs on. */
  public int currentCpu() {
    return os.machine.activeCpu().index;
  }

  /** The calling processor's clock. */
  public long nowNs() {
    return os.machine.activeCpu().clockNs();
  }

  // ------------------------------------------------------------------ running

  public void runFor(long ns) {
    os.runFor(ns);
  }

  /**
   * Runs in steps of {@link #STEP_NS} until {@code condition} holds (checked before each step) or
   * {@code limitNs} of simulated time passes; returns whether it held.
   */
  public boolean runUntil(BooleanSupplier condition, long limitNs) {
    return runUntil(condition, limitNs, STEP_NS);
  }

  /** {@link #runUntil(BooleanSupplier, long)} checking every {@code stepNs}. */
  public boolean runUntil(BooleanSupplier condition, long limitNs, long stepNs) {
    long end = os.machine.nowNs() + limitNs;
    while (!condition.getAsBoolean()) {
      if (os.machine.nowNs() >= end || os.machine.stopped()) {
        return false;
      }
      os.machine.runUntil(Math.min(end, os.machine.nowNs() + stepNs));
    }
    return true;
  }

  /**
   * Launches {@code program} as {@code image} in the normal class and runs until it exits (or
   * {@code limitNs} passes); returns the process.
   */
  public EProcess runProgram(String image, GuestProgram program, long limitNs) {
    EProcess p = os.launch(image, program);
    os.runUntilExited(limitNs, p);
    return p;
  }

  // ------------------------------------------------------------------ observing

  /** Every state change of {@code t} so far, in order. */
  public List<Transition> transitionsOf(KThread t) {
    List<Transition> out = new ArrayList<>();
    for (int i = 0; i < transitions.size(); i++) {
      if (observed.get(i) == t) {
        out.add(transitions.get(i));
      }
    }
    return out;
  }

  /** {@code t}'s state changes as "From->To" strings, in order. */
  public List<String> pathOf(KThread t) {
    List<String> out = new ArrayList<>();
    for (Transition tr : transitionsOf(t)) {
      out.add(tr.toString());
    }
    return out;
  }

  /** The recorded trace events of {@code kind}, in emission order. */
  public List<Event> events(TraceKind kind) {
    List<Event> out = new ArrayList<>();
    os.machine.tracer.replay((time, cpu, k, a, b, c) -> {
      if (k == kind) {
        out.add(new Event(time, cpu, k, a, b, c));
      }
    });
    return out;
  }

  /** Every recorded trace event, in emission order. */
  public List<Event> events() {
    List<Event> out = new ArrayList<>();
    os.machine.tracer.replay((time, cpu, k, a, b, c) -> out.add(new Event(time, cpu, k, a, b, c)));
    return out;
  }
}
