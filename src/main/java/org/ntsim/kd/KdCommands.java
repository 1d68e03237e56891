package org.ntsim.kd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The console's table of commands, as WinDbg's engine keeps its own commands, its meta-commands
 * and the commands its extension DLLs export (ReactOS's kdb keeps one such table too): each
 * component's kd extension class registers its commands here, and the console finds a typed
 * command by name. {@code ?}, {@code .help} and {@code !help} list the three kinds.
 *
 * <p>Models the lists' layout as WinDbg prints them: {@code ?} one {@code syntax - help} line per
 * command under a heading, followed by notes on the arguments; {@code .help} the same under
 * {@code . commands:}; {@code !help} the extension's names without the bang, the syntax padded to
 * a column, as the help of the debugger's extension DLLs is laid out.
 *
 * <p>Invariants: names are unique (an alias counts as a name); lists come in registration order,
 * never hash order; an alias runs its command but is not listed.
 *
 * <p>Left out: extension DLLs and their chain ({@code !dll.command}, {@code .load}); an unknown
 * {@code !name} is reported as WinDbg does when no DLL exports it.
 */
public final class KdCommands {
  private static final int EXTENSION_HELP_COLUMN = 29;

  private final KdTarget target;
  private final Map<String, KdCommand> byName = new LinkedHashMap<>();
  private final List<KdCommand> listed = new ArrayList<>();
  private final Map<String, String> examples = new LinkedHashMap<>();

  KdCommands(KdTarget target) {
    this.target = target;
  }

  /** The stopped system the commands read, for the extension classes that register them. */
  KdTarget target() {
    return target;
  }

  /** Adds {@code command}; its kind's list shows it after those registered before it. */
  public void register(KdCommand command) {
    claim(command.name(), command);
    listed.add(command);
  }

  /** Adds a command: {@code name}, its {@code syntax} and one-line {@code help}, its handler. */
  public void register(String name, String syntax, String help, KdCommand.Handler handler) {
    register(new KdCommand(name, syntax, help, handler));
  }

  /** Makes {@code alias} run the command registered as {@code name}; lists do not show it. */
  public void alias(String alias, String name) {
    KdCommand command = byName.get(name);
    if (command == null) {
      throw new IllegalArgumentException("kd alias " + alias + ": no command " + name);
    }
    claim(alias, command);
  }

  /** Gives the command registered as {@code name} an example line for {@code !help name}. */
  public void example(String name, String example) {
    KdCommand command = byName.get(name);
    if (command == null || !example.startsWith(name)) {
      throw new IllegalArgumentException("kd example " + example + ": no command " + name
          + " or it does not start with it");
    }
    examples.put(command.name(), example);
  }

  private void claim(String name, KdCommand command) {
    if (byName.putIfAbsent(name, command) != null) {
      throw new IllegalArgumentException("kd command " + name + " is registered twice");
    }
  }

  /** The command typed as {@code name} (any case), or null. */
  public KdCommand find(String name) {
    return byName.get(name.toLowerCase(Locale.ROOT));
  }

  /** The listed commands of one kind, in registration order. */
  public List<KdCommand> list(KdCommand.Kind kind) {
    return listed.stream().filter(c -> c.kind() == kind).toList();
  }

  /**
   * Runs one command line. {@code column} is where the line starts on the screen (after the
   * prompt), for the caret WinDbg puts under a syntax error.
   */
  void execute(Listing out, String command, int column) {
    boolean glued = command.startsWith("~") || command.startsWith("?"); // ~1 as ~ 1, ?1+2 as ? 1+2
    String[] words = (glued ? command.charAt(0) + " " + command.substring(1) : command).strip()
        .split("\\s+");
    KdCommand c = find(words[0]);
    if (c == null) {
      throw unknown(words[0], command, column);
    }
    try {
      target.refreshImage();
    } catch (RuntimeException e) { // a fault of the image must not take every command with it
      out.line("ntsim kd: kernel memory may be stale: the image could not be refreshed: " + e);
    }
    c.handler().run(out, Arrays.asList(words).subList(1, words.length));
  }

  /**
   * What WinDbg prints for a command it does not have: {@code No export x found} for an
   * extension, a caret under the command and {@code Syntax error in '...'} for the rest, then
   * where the lists are.
   */
  private static KdError unknown(String verb, String command, int column) {
    String what = KdCommand.kindOf(verb) == KdCommand.Kind.EXTENSION
        ? "No export " + verb.substring(1) + " found"
        : " ".repeat(column) + "^ Syntax error in '" + command + "'";
    return new KdError(what
        + "\nntsim: ? lists the commands, .help the meta-commands, !help the extensions");
  }

  // ------------------------------------------------------------------ the lists

  /** Registers {@code ?}, {@code help}, {@code .help} and {@code !help}. */
  void registerLists() {
    DisplayTypeCommand.register(this);
    KdExpression expression = new KdExpression(target, new MemoryExtensions(target)::readDword);
    register("?", "? [<expression>]", "evaluate a MASM expression (? alone: this list)",
        (o, a) -> {
          if (a.isEmpty()) {
            commandList(o);
          } else {
            o.line(KdExpression.line(expression.evaluate(String.join(" ", a))));
          }
        });
    register("help", "help", "the three lists: ?, .help and !help", (o, a) -> {
      commandList(o);
      o.blank();
      metaCommandList(o);
      o.blank();
      extensionList(o);
    });
    register(".help", ".help", "this list", (o, a) -> metaCommandList(o));
    register("!help", "!help [<command>]", "this list; with <command>, its syntax and an example",
        (o, a) -> {
          if (a.isEmpty()) {
            extensionList(o);
          } else {
            commandHelp(o, a);
          }
        });
    example("?", "? poi(@$thread+8) + 0n10");
    example("help", "help");
    example(".help", ".help");
    example("!help", "!help process");
  }

  /**
   * {@code !help command}: one command's syntax, help and example. The bang may be left out, as
   * {@code !help} lists the extensions without it; a name nothing exports is reported as WinDbg
   * reports an unknown extension.
   */
  private void commandHelp(Listing o, List<String> args) {
    if (args.size() > 1) {
      throw KdError.unresolved(args.get(1));
    }
    String name = args.get(0);
    KdCommand c = find(name);
    if (c == null && !name.startsWith("!")) {
      c = find("!" + name);
    }
    if (c == null) {
      throw new KdError("No export " + (name.startsWith("!") ? name.substring(1) : name)
          + " found");
    }
    o.line("Usage: " + c.syntax());
    o.line(c.help());
    String example = examples.get(c.name());
    if (example != null) {
      o.line("Example: " + example);
    }
  }

  /** {@code ?}: the debugger's own commands, then notes on their arguments. */
  void commandList(Listing o) {
    o.blank();
    o.line("ntsim kd: output laid out as WinDbg's kdexts prints it on an x86 target");
    o.blank();
    for (KdCommand c : list(KdCommand.Kind.COMMAND)) {
      o.line(c.syntax() + " - " + c.help());
    }
    o.blank();
    o.line("<time> : simulated time: 100ms, 2s, 500us, 1000ns");
    o.line("<address>, <n>, <flags> : hexadecimal unless written 0n<decimal>");
    o.blank();
    o.line(".help lists the meta-commands, !help the extension commands");
  }

  /** {@code .help}: the meta-commands. */
  void metaCommandList(Listing o) {
    o.line(". commands:");
    for (KdCommand c : list(KdCommand.Kind.META)) {
      o.line(c.syntax() + " - " + c.help());
    }
    o.blank();
    o.line("? lists the debugger's commands, !help the extension commands");
  }

  /** {@code !help}: the extension commands, help at a fixed column. */
  void extensionList(Listing o) {
    for (KdCommand c : list(KdCommand.Kind.EXTENSION)) {
      String syntax = c.syntax().substring(1);
      if (syntax.length() < EXTENSION_HELP_COLUMN) {
        o.line(String.format(Locale.ROOT, "%-" + EXTENSION_HELP_COLUMN + "s- %s", syntax,
            c.help()));
      } else {
        o.line(syntax);
        o.line(" ".repeat(EXTENSION_HELP_COLUMN) + "- " + c.help());
      }
    }
  }
}
