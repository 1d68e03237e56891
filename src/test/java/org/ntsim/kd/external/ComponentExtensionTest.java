package org.ntsim.kd.external;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ntsim.hal.MachineConfig;
import org.ntsim.kd.KdCommand;
import org.ntsim.kd.KdCommands;
import org.ntsim.kd.KdConsole;
import org.ntsim.kd.KdError;
import org.ntsim.win32.Ntos;

/**
 * A component outside the debugger's package brings its own extension, as the I/O manager will
 * bring {@code !irp} and {@code !drvobj}: it registers through the public table and the console
 * runs and lists it without being changed.
 */
class ComponentExtensionTest {
  private Ntos os;
  private KdConsole console;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  /** A component's kd extension class: registers its commands in the table it is given. */
  static final class UptimeExtension {
    static void register(KdCommands table, Ntos os) {
      table.register("!ticks", "!ticks [0n<multiplier>]", "the tick count, times a multiplier",
          (out, args) -> {
            if (args.size() > 1) {
              throw new KdError("Usage: !ticks [0n<multiplier>]");
            }
            long times = args.isEmpty() ? 1 : Long.parseLong(args.get(0).substring(2));
            out.format("ticks: %d", os.kernel.tickCount() * times);
          });
      table.alias("!tickcount", "!ticks");
    }
  }

  @BeforeEach
  void boot() {
    os = new Ntos(new MachineConfig());
    console = new KdConsole(os, new PrintStream(printed, true, StandardCharsets.UTF_8), () -> true,
        0);
    UptimeExtension.register(console.commands(), os);
  }

  @AfterEach
  void shutDown() {
    os.shutdown();
  }

  private String run(String command) {
    printed.reset();
    console.execute(command);
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theConsoleRunsARegisteredExtension() {
    run("g 100ms");
    long ticks = os.kernel.tickCount();
    assertThat(ticks).isPositive();
    assertThat(run("!ticks")).isEqualTo("ticks: " + ticks + "\n");
    assertThat(run("!tickcount 0n3")).isEqualTo("ticks: " + 3 * ticks + "\n");
  }

  @Test
  void itsErrorsArePrintedAndTheSessionGoesOn() {
    assertThat(run("!ticks 1 2")).isEqualTo("Usage: !ticks [0n<multiplier>]\n");
    assertThat(console.execute("!ticks 1 2")).isTrue();
  }

  @Test
  void bangHelpListsItAfterTheBuiltInExtensions() {
    String help = run("!help");
    assertThat(help).endsWith("help [<command>]             - this list; with <command>, "
        + "its syntax and an example\n"
        + "ticks [0n<multiplier>]       - the tick count, times a multiplier\n");
    assertThat(console.commands().find("!ticks").kind()).isEqualTo(KdCommand.Kind.EXTENSION);
  }
}
