package org.ntsim.kd;

import java.util.List;
import java.util.Locale;

/**
 * One command of the kernel debugger: its name as typed, its syntax and one-line help as the
 * command lists print them, and the code that runs it. The name's first character gives its kind,
 * as in WinDbg: {@code .name} is a meta-command (listed by {@code .help}), {@code !name} an
 * extension command (listed by {@code !help}), anything else one of the debugger's own commands
 * (listed by {@code ?}).
 *
 * <p>Invariants: the name is lower case without blanks; the syntax starts with the name, with
 * arguments in WinDbg's notation ({@code <address>}, {@code [<flags>]}).
 */
public record KdCommand(String name, String syntax, String help, Handler handler) {
  /** The three kinds of command WinDbg has, each with its own list. */
  public enum Kind { COMMAND, META, EXTENSION }

  /** Runs the command on the stopped system: prints to {@code out}, or throws {@link KdError}. */
  @FunctionalInterface
  public interface Handler {
    void run(Listing out, List<String> args);
  }

  public KdCommand {
    if (name.isEmpty() || !name.equals(name.toLowerCase(Locale.ROOT)) || name.contains(" ")) {
      throw new IllegalArgumentException("kd command name '" + name
          + "' must be lower case without blanks");
    }
    if (!syntax.startsWith(name) || help.isBlank() || help.contains("\n")) {
      throw new IllegalArgumentException("kd command " + name
          + ": the syntax must start with the name and the help be one line");
    }
  }

  public Kind kind() {
    return kindOf(name);
  }

  static Kind kindOf(String name) {
    if (name.length() > 1 && name.charAt(0) == '!') {
      return Kind.EXTENSION;
    }
    return name.length() > 1 && name.charAt(0) == '.' ? Kind.META : Kind.COMMAND;
  }
}
