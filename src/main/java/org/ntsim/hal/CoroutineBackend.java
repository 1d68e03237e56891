package org.ntsim.hal;

/**
 * Makes coroutines. Two implementations give the same simulated behaviour and differ only in host
 * cost: {@link ContinuationBackend} (one host thread, JDK continuations) and
 * {@link HandoffBackend} (a host thread per coroutine, handing a baton back and forth).
 */
public interface CoroutineBackend {
  Coroutine create(String name, Runnable body);

  /** Called from inside a running coroutine: suspends it and returns to the loop's resume(). */
  void yieldCurrent();

  /** True when the caller runs inside a coroutine rather than on the machine loop's own stack. */
  boolean inCoroutine();

  /** Ends every coroutine that is still suspended; the backend is unusable afterwards. */
  void shutdown();

  String name();

  /** The backend called {@code name}: "continuation" or "threads". */
  static CoroutineBackend named(String name) {
    return switch (name) {
      case "continuation" -> new ContinuationBackend();
      case "threads" -> new HandoffBackend();
      default -> throw new IllegalArgumentException(
          "unknown backend '" + name + "' (use continuation or threads)");
    };
  }
}
