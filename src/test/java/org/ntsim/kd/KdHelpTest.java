package org.ntsim.kd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code !help <command>}: one command's syntax, its one-line help and an example. A name no
 * extension exports gets WinDbg's answer for an unknown extension, "No export x found"
 * (learn.microsoft.com, "!help"; the same text as typing the unknown !x).
 */
class KdHelpTest {
  @Test
  void helpForAnExtensionGivesItsSyntaxHelpAndAnExample() {
    try (KdSession s = KdSession.withDemo(1)) {
      assertThat(s.run("!help process")).isEqualTo("""
          Usage: !process [0|-1|<address>|<cid> [<flags> [<image>]]]
          processes; 0: all; flags 1 times, 2 threads and waits, 4 details
          Example: !process 0 1f demo.exe
          """);
      assertThat(s.run("!help !process")).isEqualTo(s.run("!help process"));
    }
  }

  @Test
  void everyListedCommandHasAnExample() {
    try (KdSession s = KdSession.withDemo(1)) {
      for (KdCommand.Kind kind : KdCommand.Kind.values()) {
        for (KdCommand c : s.console.commands().list(kind)) {
          assertThat(s.run("!help " + c.name())).as(c.name())
              .startsWith("Usage: " + c.syntax() + "\n").contains("\nExample: " + c.name());
        }
      }
    }
  }

  @Test
  void helpForAnUnknownCommandSaysNoExportFound() {
    try (KdSession s = KdSession.withDemo(1)) {
      assertThat(s.run("!help irp")).isEqualTo("No export irp found\n");
    }
  }
}
