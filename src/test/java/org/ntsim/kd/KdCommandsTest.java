package org.ntsim.kd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The console's command table: the three lists WinDbg has, each command in its own list with its
 * syntax, and what an unknown command prints.
 *
 * <p>Layouts follow WinDbg's: {@code ?} prints a heading, one {@code syntax - help} line per
 * command and notes on the arguments (the cdb/kd transcripts of {@code ?} published with WinDbg
 * tutorials: "Open debugger.chm ...", "BL - list breakpoints", "<range> : <address> <address>");
 * {@code .help} prints {@code . commands:} and one {@code .name syntax - help} line each, then a
 * pointer to more help (learn.microsoft.com, ".help (Meta-Command Help)"; a kd transcript in
 * TheMalwareGuardian/WinDbg_Scripting's README); {@code !help} prints an extension DLL's commands
 * without the bang, the help in a column at 29 characters (exts' "acl <address> [flags]
 * - Displays the ACL"; learn.microsoft.com, "!help"). An unknown extension is "No export x found";
 * an unknown command or meta-command is WinDbg's caret under the command and "Syntax error in
 * '...'" (published transcripts: "lkd> (0x88-0x70)" then "     ^ Syntax error in '(0x88-0x70)'").
 */
class KdCommandsTest {
  @Test
  void questionMarkListsTheDebuggersOwnCommands() {
    try (KdSession s = KdSession.withDemo(1)) {
      assertThat(s.run("?")).isEqualTo("""

          ntsim kd: output laid out as WinDbg's kdexts prints it on an x86 target

          g [<time>] - run until the lab's programs finish, a bug check or the time limit; \
          with <time>, that much simulated time
          q - quit
          ~<n> - make processor <n> the current processor (~ alone: which is)
          vertarget - the target's version line and configuration
          dd <address> [L<count>] - the current process's memory as dwords
          db <address> [L<count>] - the current process's memory as bytes
          dq <address> [L<count>] - the current process's memory as qwords
          dt [-r[<depth>]] [nt!]<type> [<address>] [<member>...] - a kernel structure's layout \
          at Vista x86 offsets, or its values at an address
          ? [<expression>] - evaluate a MASM expression (? alone: this list)
          help - the three lists: ?, .help and !help

          <time> : simulated time: 100ms, 2s, 500us, 1000ns
          <address>, <n>, <flags> : hexadecimal unless written 0n<decimal>

          .help lists the meta-commands, !help the extension commands
          """);
    }
  }

  @Test
  void dotHelpListsTheMetaCommands() {
    try (KdSession s = KdSession.withDemo(1)) {
      assertThat(s.run(".help")).isEqualTo("""
          . commands:
          .time - simulated time since boot (System Uptime) and the tick count
          .process [<address>|<cid>] - the process whose memory !pte, !vad and dd read \
          (0: the default)
          .help - this list

          ? lists the debugger's commands, !help the extension commands
          """);
    }
  }

  @Test
  void bangHelpListsTheExtensionsWithTheHelpInAColumn() {
    try (KdSession s = KdSession.withDemo(1)) {
      String help = s.run("!help");
      assertThat(help).startsWith("""
          time                         - as .time: System Uptime and the tick count
          running [-i] [-t]            - CurrentThread and NextThread of each busy (-i: every) \
          processor
          ready [<flags>]              - ready threads per processor, highest priority first
          thread [-t] [<address>|-1 [<flags>]]
                                       - a thread (default: the current processor's); -t: \
          <address> is a thread ID
          process [0|-1|<address>|<cid> [<flags> [<image>]]]
                                       - processes; 0: all; flags 1 times, 2 threads and waits, \
          4 details
          dpcs [<processor>]           - DPC queues with queue depth and request rate
          """);
      assertThat(help).contains("""
          vm                           - physical memory, commit, faults, each process's commit
          analyze [-v]                 - the bug check that stopped the machine, with recent \
          trace events
          help [<command>]             - this list; with <command>, its syntax and an example
          """);
    }
  }

  @Test
  void helpPrintsTheThreeLists() {
    try (KdSession s = KdSession.withDemo(1)) {
      assertThat(s.run("help"))
          .isEqualTo(s.run("?") + "\n" + s.run(".help") + "\n" + s.run("!help"));
    }
  }

  @Test
  void everyRegisteredCommandIsInItsKindsListWithItsSyntax() {
    try (KdSession s = KdSession.withDemo(1)) {
      KdCommands table = s.console.commands();
      String commands = s.run("?");
      String meta = s.run(".help");
      String extensions = s.run("!help");
      assertThat(table.list(KdCommand.Kind.COMMAND)).hasSizeGreaterThanOrEqualTo(8);
      for (KdCommand c : table.list(KdCommand.Kind.COMMAND)) {
        assertThat(commands).as(c.name()).contains("\n" + c.syntax() + " - " + c.help() + "\n");
      }
      for (KdCommand c : table.list(KdCommand.Kind.META)) {
        assertThat(meta).as(c.name()).contains("\n" + c.syntax() + " - " + c.help() + "\n");
      }
      assertThat(table.list(KdCommand.Kind.EXTENSION)).hasSizeGreaterThanOrEqualTo(20);
      for (KdCommand c : table.list(KdCommand.Kind.EXTENSION)) {
        assertThat(extensions).as(c.name()).containsPattern("(?m)^"
            + Pattern.quote(c.syntax().substring(1)) + "\\s+- "
            + Pattern.quote(c.help()) + "$");
      }
    }
  }

  @Test
  void theExtensionsOfEveryComponentAreRegistered() {
    try (KdSession s = KdSession.withDemo(1)) {
      for (String name : new String[] {"!process", "!thread", "!pte", "!vm", "!pool", "!object",
          "!handle", "!ready", "!dpcs", "!analyze", "!apc", "!locks", "!timer", ".process"}) {
        assertThat(s.console.commands().find(name)).as(name).isNotNull();
      }
    }
  }

  @Test
  void anUnknownCommandIsASyntaxErrorWithACaretUnderIt() {
    try (KdSession s = KdSession.withDemo(1)) {
      assertThat(s.run("foo 12")).isEqualTo("""
              ^ Syntax error in 'foo 12'
          ntsim: ? lists the commands, .help the meta-commands, !help the extensions
          """);
      assertThat(s.run(".reboot")).isEqualTo("""
              ^ Syntax error in '.reboot'
          ntsim: ? lists the commands, .help the meta-commands, !help the extensions
          """);
    }
  }

  @Test
  void theCaretFollowsThePromptAndLeadingBlanks() {
    try (KdSession s = KdSession.withDemo(2)) {
      s.run("~1");
      assertThat(s.console.prompt()).isEqualTo("1: kd> ");
      assertThat(s.run("  zz")).startsWith("         ^ Syntax error in 'zz'\n");
    }
  }

  @Test
  void anUnknownExtensionHasNoExport() {
    try (KdSession s = KdSession.withDemo(1)) {
      assertThat(s.run("!irp 1234")).isEqualTo("""
          No export irp found
          ntsim: ? lists the commands, .help the meta-commands, !help the extensions
          """);
    }
  }

  @Test
  void commandsAreFoundInAnyCase() {
    try (KdSession s = KdSession.withDemo(1)) {
      s.run("g 50ms");
      assertThat(s.run("!THREAD")).isEqualTo(s.run("!thread")).startsWith("THREAD ");
    }
  }

  @Test
  void anAliasRunsItsCommandAndIsNotListed() {
    try (KdSession s = KdSession.withDemo(1)) {
      assertThat(s.run("help")).doesNotContain("\nqq").doesNotContain("\nqd");
      assertThat(s.console.execute("qd")).isFalse();
      assertThat(s.console.execute("qq")).isFalse();
      assertThat(s.console.execute("vertarget")).isTrue();
    }
  }

  @Test
  void aNameIsRegisteredOnce() {
    try (KdSession s = KdSession.withDemo(1)) {
      KdCommands table = s.console.commands();
      assertThatThrownBy(() -> table.register("!thread", "!thread", "again", (o, a) -> { }))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
      assertThatThrownBy(() -> table.alias("!mutant", "!process"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> table.alias("!x", "!nothing"))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aCommandsSyntaxStartsWithItsName() {
    assertThatThrownBy(() -> new KdCommand("!irp", "irp <address>", "an IRP", (o, a) -> { }))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KdCommand("!Irp", "!Irp", "an IRP", (o, a) -> { }))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KdCommand("!irp", "!irp", "two\nlines", (o, a) -> { }))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new KdCommand("!irp", "!irp <address>", "an IRP", (o, a) -> { }).kind())
        .isEqualTo(KdCommand.Kind.EXTENSION);
    assertThat(new KdCommand(".cls", ".cls", "clear", (o, a) -> { }).kind())
        .isEqualTo(KdCommand.Kind.META);
    assertThat(new KdCommand("k", "k", "stack", (o, a) -> { }).kind())
        .isEqualTo(KdCommand.Kind.COMMAND);
  }
}
