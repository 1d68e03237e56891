package org.ntsim.fuzz;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntsim.hal.Prng;
import org.ntsim.mm.MemoryAccess;
import org.ntsim.ke.BugCheckException;
import org.ntsim.ke.GuestException;
import org.ntsim.ke.ThreadExitSignal;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.EThread;
import org.ntsim.win32.GuestContext;
import org.ntsim.win32.Kernel32;
import org.ntsim.win32.Ntdll;
import org.ntsim.win32.Ntos;

/**
 * What the fuzz threads share inside one machine: the processes and threads that make calls,
 * the ids a call may name, the count of calls made, the checks run after each call, and the
 * first failure. Everything here runs on the machine's coroutines in simulated order, so it is
 * as deterministic as the machine.
 */
final class FuzzWorld {
  /** A guest's own exception thrown from a callback: it ends the guest's process, nothing more. */
  static final class GuestFault extends RuntimeException {
    GuestFault() {
      super("a fuzz callback's own exception", null, false, false);
    }
  }

  /** The call in progress on some thread, for the watchdog and for failure reports. */
  record CallInProgress(long number, String thread, FuzzCatalog.Call call, Object[] args) {
    @Override
    public String toString() {
      return "#" + number + " " + thread + " " + FuzzFormat.call(call, args);
    }
  }

  private static final int RECENT = 8;
  /** The facade each process has its own of: GuestContext, the third in the catalog. */
  private static final int GUEST_CONTEXT = 2;

  final Ntos os;
  final long seed;
  final FuzzCatalog catalog;
  final FuzzArguments arguments;
  private final Object[] facades;
  private final long callLimit;
  private final int verifyEvery;
  private final FuzzChecks checks;

  final List<FuzzProcess> processes = new ArrayList<>();
  final List<FuzzThread> threads = new ArrayList<>();
  private final Map<EThread, FuzzThread> byThread = new LinkedHashMap<>(); // EThreads compare by identity
  /** Process and thread ids of the supervisor, which fuzz calls must not name. */
  final List<Long> protectedIds = new ArrayList<>();
  private final Prng threadSeeds;

  long calls;
  volatile CallInProgress current;
  private final CallInProgress[] recent = new CallInProgress[RECENT];
  FuzzFailure failure;
  boolean stopping;

  FuzzWorld(Ntos os, long seed, long callLimit, int verifyEvery) {
    this.os = os;
    this.seed = seed;
    this.callLimit = callLimit;
    this.verifyEvery = verifyEvery;
    this.catalog = new FuzzCatalog(Kernel32.class, Ntdll.class, GuestContext.class,
        MemoryAccess.class);
    this.arguments = new FuzzArguments(this, FuzzArguments.constantsOf(Kernel32.class,
        Ntdll.class, org.ntsim.ob.ObjectAttributes.class, org.ntsim.ps.PsConstants.class,
        org.ntsim.ob.ObjectManager.class, org.ntsim.mm.VirtualMemory.class));
    this.facades = new Object[] {os.kernel32, os.ntdll, null, os.mm.userAccess()};
    this.checks = new FuzzChecks(os);
    this.threadSeeds = new Prng(seed).split("fuzz threads");
  }

  boolean running() {
    return !stopping && failure == null && calls < callLimit;
  }

  // ------------------------------------------------------------------ threads

  /** Makes the calling guest thread a fuzz thread of {@code p}. */
  FuzzThread enroll(FuzzProcess p) {
    EThread t = os.ps.currentThread();
    FuzzThread ft = new FuzzThread(p, t, new Prng(threadSeeds.nextLong()));
    threads.add(ft);
    byThread.put(t, ft);
    return ft;
  }

  FuzzThread currentFuzzThread() {
    return byThread.get(os.ps.currentThread());
  }

  /** Forgets threads that have ended, so that the supervisor's walk stays short. */
  void pruneThreads() {
    threads.removeIf(ft -> {
      boolean ended = ft.thread.state() == org.ntsim.ke.ThreadState.TERMINATED;
      if (ended) {
        byThread.remove(ft.thread);
      }
      return ended;
    });
  }

  /** Runs up to {@code maxCalls} calls on the calling thread, while the run goes on. */
  void callLoop(FuzzThread t, long maxCalls) {
    for (long i = 0; i < maxCalls && running(); i++) {
      makeCall(t);
    }
  }

  private void makeCall(FuzzThread t) {
    FuzzCatalog.Call call = catalog.pick(t.prng);
    Object[] args = arguments.arguments(call, t);
    long number = ++calls;
    t.process.callsMade++;
    CallInProgress c = new CallInProgress(number, t.thread.name(), call, args);
    current = c;
    recent[(int) (number % RECENT)] = c;
    boolean outer = t.depth == 0;
    if (outer) {
      t.callStartNs = os.machine.activeCpu().clockNs();
      t.process.lastCallNs = t.callStartNs;
    }
    t.depth++;
    Object result;
    try {
      Object target = call.facade() == GUEST_CONTEXT ? t.process.ctx : facades[call.facade()];
      result = call.method().invoke(target, args);
    } catch (InvocationTargetException e) {
      result = null;
      allowOnly(e.getCause(), c);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("a public facade method could not be called", e);
    } finally {
      t.depth--;
      if (outer) {
        t.callStartNs = -1;
      }
    }
    harvest(t.process, call, args, result);
    if (number % verifyEvery == 0) {
      try {
        checks.verify();
      } catch (RuntimeException e) {
        fail(FuzzFailure.Kind.VERIFIER, c, FuzzFormat.exception(e));
        throw e;
      }
    }
  }

  /** Lets a guest's exception and the thread's own end through; anything else is a failure. */
  private void allowOnly(Throwable cause, CallInProgress c) {
    if (cause instanceof ThreadExitSignal exit) {
      throw exit; // the thread (or its process) was ended: the call does not return
    }
    if (cause instanceof GuestException || cause instanceof GuestFault) {
      return;
    }
    if (cause instanceof BugCheckException b) {
      fail(FuzzFailure.Kind.BUG_CHECK, c, b.bugCheck().stopLine() + "\n" + b.bugCheck().detail());
      throw b;
    }
    fail(FuzzFailure.Kind.HOST_EXCEPTION, c, FuzzFormat.exception(cause));
    if (cause instanceof RuntimeException r) {
      throw r;
    }
    if (cause instanceof Error err) {
      throw err;
    }
    throw new IllegalStateException(cause);
  }

  /** Keeps what a call handed back (handles, regions) for later calls of the same process. */
  private static void harvest(FuzzProcess p, FuzzCatalog.Call call, Object[] args, Object result) {
    String name = call.name();
    if (result instanceof Long value && value != 0 && value != -1) {
      FuzzProcess.remember(name.startsWith("VirtualAlloc") ? p.addresses : p.handles, value);
    }
    for (int i = 0; i < args.length; i++) {
      if (args[i] instanceof long[] a && a.length > 0 && a[0] != 0) {
        String hint = call.names()[i];
        if (hint.endsWith("Handle") && !hint.equals("SourceHandle")) {
          FuzzProcess.remember(p.handles, a[0]);
        } else if (hint.equals("BaseAddress") && name.equals("NtAllocateVirtualMemory")) {
          FuzzProcess.remember(p.addresses, a[0]);
        }
      }
    }
  }

  // ------------------------------------------------------------------ failures

  /** A failure in call {@code c}, which a run of {@code c.number()} calls replays. */
  void fail(FuzzFailure.Kind kind, CallInProgress c, String detail) {
    record(kind, c, c.number(), detail);
  }

  /**
   * A failure seen between calls (in the harness, a DPC, a system thread): the call shown is the
   * latest one begun, and the replay runs until the next call would begin; once the calls are
   * done (the teardown), the same number of calls replays it.
   */
  void failBetweenCalls(FuzzFailure.Kind kind, String detail) {
    record(kind, current, stopping ? calls : calls + 1, detail);
  }

  private void record(FuzzFailure.Kind kind, CallInProgress c, long replayCalls, String detail) {
    if (failure != null) {
      return;
    }
    failure = new FuzzFailure(seed, c != null ? c.number() : calls, replayCalls, kind,
        c != null ? c.toString() : "(no call made yet)", detail, recentCalls(c));
    os.machine.stop("fuzz failure: " + kind);
  }

  /** The calls made just before {@code last}, oldest first, one per line. */
  String recentCalls(CallInProgress last) {
    StringBuilder s = new StringBuilder();
    for (int i = 1; i <= RECENT; i++) {
      CallInProgress c = recent[(int) ((calls + i) % RECENT)];
      if (c != null && c != last) {
        s.append("    ").append(c).append('\n');
      }
    }
    return s.toString();
  }

  // ------------------------------------------------------------------ what arguments name

  FuzzProcess anyProcess(Prng r) {
    return processes.isEmpty() ? null : processes.get(r.nextInt(processes.size()));
  }

  /** A process or thread id: a fuzz process's or thread's, a system one, or garbage. */
  int anyId(Prng r) {
    long id;
    switch (r.nextInt(6)) {
      case 0, 1 -> {
        FuzzProcess p = anyProcess(r);
        id = p == null ? 0 : p.process.pid();
      }
      case 2, 3 -> id = threads.isEmpty() ? 0 : threads.get(r.nextInt(threads.size())).thread.tid();
      case 4 -> id = 4L * r.nextInt(64);
      default -> id = r.nextLong();
    }
    return protectedIds.contains(id) ? 0 : (int) id;
  }

  // ------------------------------------------------------------------ callbacks

  /**
   * A callback a fuzz call passed (a thread procedure, an APC or timer routine) being run: a new
   * thread makes a few calls of its own; a routine sometimes makes one call, and once in a while
   * throws, as a guest's code may.
   */
  Object runCallback(Class<?> type, Class<?> returnType, long token) {
    EThread self = os.ps.currentThread();
    FuzzThread t = byThread.get(self);
    if (t == null && type.getSimpleName().equals("ThreadProc")) {
      FuzzProcess p = processOf(self.process());
      if (p != null) {
        t = enroll(p);
        callLoop(t, 1 + (token & 7));
      }
    } else if (t != null && t.depth < 2 && (token & 3) == 0 && running()) {
      makeCall(t);
    }
    if ((token >>> 8) % 23 == 0) {
      throw new GuestFault();
    }
    if (returnType == int.class) {
      return (int) (token >>> 32);
    }
    if (returnType == long.class) {
      return token;
    }
    if (returnType == boolean.class) {
      return (token & 0x10) != 0;
    }
    return null;
  }

  private FuzzProcess processOf(EProcess p) {
    for (FuzzProcess fp : processes) {
      if (fp.process == p) {
        return fp;
      }
    }
    return null;
  }

  void verifyAll() {
    checks.verify();
  }
}
