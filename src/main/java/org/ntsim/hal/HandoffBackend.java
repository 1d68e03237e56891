package org.ntsim.hal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * Coroutines on host threads that pass a baton: the loop releases a coroutine's semaphore and
 * waits on its own; the coroutine does the reverse when it yields. At any time exactly one host
 * thread holds the baton, so the simulation stays single-threaded and deterministic.
 *
 * <p>This is the portable fallback for JVMs that refuse the continuation export, and the baseline
 * of the context-switch benchmark. It is the only place in the simulation allowed to start host
 * threads.
 */
public final class HandoffBackend implements CoroutineBackend {
  /** Thrown inside a suspended coroutine's host thread to unwind it at shutdown. */
  private static final class Killed extends Error {
    Killed() {
      super("coroutine ended by backend shutdown", null, false, false);
    }
  }

  private final Semaphore loopBaton = new Semaphore(0);
  private final List<HandoffCoroutine> all = new ArrayList<>();
  private final ThreadLocal<HandoffCoroutine> current = new ThreadLocal<>();
  private boolean shutDown;

  private final class HandoffCoroutine implements Coroutine {
    private final Semaphore baton = new Semaphore(0);
    private final Runnable body;
    private final String name;
    private Thread host;
    private volatile boolean done;
    private volatile Throwable failure;
    private volatile boolean killed;

    HandoffCoroutine(String name, Runnable body) {
      this.name = name;
      this.body = body;
    }

    @Override
    public void resume() {
      if (done) {
        throw new IllegalStateException("resume of a finished coroutine");
      }
      if (host == null) {
        host = Thread.ofPlatform().daemon().name("ntsim-" + name).unstarted(this::main);
        host.start();
      } else {
        baton.release();
      }
      loopBaton.acquireUninterruptibly();
      Throwable f = failure;
      if (f != null) {
        failure = null;
        if (f instanceof RuntimeException re) {
          throw re;
        }
        if (f instanceof Error er) {
          throw er;
        }
        throw new IllegalStateException(f);
      }
    }

    private void main() {
      current.set(this);
      try {
        body.run();
      } catch (Killed k) {
        // shutdown: nothing to report
      } catch (Throwable t) {
        failure = t;
      } finally {
        done = true;
        if (!killed) {
          loopBaton.release();
        }
      }
    }

    void suspend() {
      loopBaton.release();
      baton.acquireUninterruptibly();
      if (killed) {
        throw new Killed();
      }
    }

    @Override
    public boolean isDone() {
      return done;
    }
  }

  @Override
  public Coroutine create(String name, Runnable body) {
    if (shutDown) {
      throw new IllegalStateException("backend is shut down");
    }
    HandoffCoroutine c = new HandoffCoroutine(name, body);
    all.add(c);
    return c;
  }

  @Override
  public void yieldCurrent() {
    HandoffCoroutine c = current.get();
    if (c == null) {
      throw new IllegalStateException("yield outside a coroutine");
    }
    c.suspend();
  }

  @Override
  public boolean inCoroutine() {
    return current.get() != null;
  }

  @Override
  public void shutdown() {
    shutDown = true;
    for (HandoffCoroutine c : all) {
      if (c.host != null && !c.done) {
        c.killed = true;
        c.baton.release();
      }
    }
    all.clear();
  }

  @Override
  public String name() {
    return "threads";
  }
}
