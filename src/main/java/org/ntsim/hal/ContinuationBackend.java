package org.ntsim.hal;

import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;

/**
 * Coroutines on {@code jdk.internal.vm.Continuation}: each resume mounts the continuation's frames
 * on the loop's host thread, each yield unmounts them. A switch costs a fraction of a
 * microsecond. Needs {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}.
 *
 * <p>A continuation cannot yield while it holds a monitor or has a native frame on its stack
 * (it is "pinned"); simulation code therefore never yields inside {@code synchronized}.
 */
public final class ContinuationBackend implements CoroutineBackend {
  private static final ContinuationScope SCOPE = new ContinuationScope("ntsim");

  private static final class ContinuationCoroutine implements Coroutine {
    private final Continuation continuation;

    ContinuationCoroutine(Runnable body) {
      this.continuation = new Continuation(SCOPE, body);
    }

    @Override
    public void resume() {
      continuation.run();
    }

    @Override
    public boolean isDone() {
      return continuation.isDone();
    }
  }

  @Override
  public Coroutine create(String name, Runnable body) {
    return new ContinuationCoroutine(body);
  }

  @Override
  public void yieldCurrent() {
    if (!Continuation.yield(SCOPE)) {
      throw new IllegalStateException("coroutine could not yield (pinned)");
    }
  }

  @Override
  public boolean inCoroutine() {
    return Continuation.getCurrentContinuation(SCOPE) != null;
  }

  @Override
  public void shutdown() {
    // Suspended continuations hold no host resources; the garbage collector takes them.
  }

  @Override
  public String name() {
    return "continuation";
  }
}
