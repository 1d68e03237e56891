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

  /**
   * The coroutine is the continuation itself rather than a wrapper around one: resuming a thread
   * that has not run for a while then misses in the host's caches on one object fewer.
   */
  private static final class ContinuationCoroutine extends Continuation implements Coroutine {
    ContinuationCoroutine(Runnable body) {
      super(SCOPE, body);
    }

    @Override
    public void resume() {
      run();
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
