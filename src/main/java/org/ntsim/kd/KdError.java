package org.ntsim.kd;

/**
 * A command the console cannot carry out, with the message WinDbg would print for it. Thrown by
 * the command handlers (a component's extensions too) and caught by {@link KdConsole#execute},
 * which prints the message and keeps the session going: bad input never ends the console.
 */
public final class KdError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KdError(String message) {
    super(message, null, false, false);
  }

  /** The expression evaluator's complaint about text it cannot read as a value. */
  static KdError unresolved(String text) {
    return new KdError("Couldn't resolve error at '" + text + "'");
  }
}
