package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.TestOs.MS;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * GetCommandLineW: the command line the creator passed, image name first, each argument quoted
 * as the C runtime's parser (CommandLineToArgvW) reads it back: quotes around an empty argument
 * or one with a space, a tab or a quote; a quote inside escaped; backslashes doubled only before
 * a quote.
 */
class Kernel32CommandLineTest {
  private TestOs sys;

  @AfterEach
  void shutDown() {
    if (sys != null) {
      sys.close();
    }
  }

  private String commandLineOf(String... args) {
    sys = TestOs.boot(1);
    List<String> out = new ArrayList<>();
    sys.os.runUntilExited(100 * MS, sys.os.launch("cmd.exe", ctx -> {
      out.add(ctx.kernel32().GetCommandLineW());
      return 0;
    }, args));
    return out.get(0);
  }

  @Test
  void withoutArgumentsItIsTheImageName() {
    assertThat(commandLineOf()).isEqualTo("cmd.exe");
  }

  @Test
  void plainArgumentsFollowSeparatedBySpaces() {
    assertThat(commandLineOf("50", "-v")).isEqualTo("cmd.exe 50 -v");
  }

  @Test
  void anArgumentWithASpaceOrAnEmptyOneIsQuoted() {
    assertThat(commandLineOf("a b", "")).isEqualTo("cmd.exe \"a b\" \"\"");
  }

  @Test
  void aQuoteIsEscapedAndTheBackslashesBeforeItDoubled() {
    assertThat(commandLineOf("say \"hi\"", "c:\\dir\\", "x\\\"y"))
        .isEqualTo("cmd.exe \"say \\\"hi\\\"\" c:\\dir\\ \"x\\\\\\\"y\"");
  }
}
