package org.ntsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntsim.cli.UsageErrorTest.Outcome;
import org.ntsim.win32.GuestProgram;

/**
 * {@code ntsim run} on a user's guest: from a source file or a compiled class, with arguments,
 * its exit code as the command's status and one line on standard error saying how it ended.
 */
class GuestCommandTest {
  @TempDir Path dir;

  /**
   * A guest that prints its arguments and exits with their count; or throws, never ends, or
   * reads an address where nothing is mapped.
   */
  private static final String ECHO = """
      import org.ntsim.win32.GuestContext;
      import org.ntsim.win32.GuestProgram;
      import org.ntsim.win32.Kernel32;

      public class Echo implements GuestProgram {
        @Override
        public int main(GuestContext ctx) {
          String[] args = ctx.args();
          System.out.println("args: " + String.join("|", args));
          if (args.length == 1 && args[0].equals("throw")) {
            throw new IllegalStateException("boom");
          }
          if (args.length == 1 && args[0].equals("hang")) {
            ctx.kernel32().Sleep(Kernel32.INFINITE);
          }
          if (args.length == 1 && args[0].equals("fault")) {
            return ctx.readInt(0x10);
          }
          return args.length;
        }
      }
      """;

  private Path write(String name, String source) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, source);
    return file;
  }

  /** Compiles sources into dir/classes with javac against ntsim's classes. */
  private Path compile(Path... sources) throws Exception {
    Path out = dir.resolve("classes");
    Files.createDirectories(out);
    List<String> args = new ArrayList<>(List.of("-d", out.toString(), "-cp",
        Path.of(GuestProgram.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString()));
    for (Path s : sources) {
      args.add(s.toString());
    }
    assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null,
        args.toArray(String[]::new))).isZero();
    return out;
  }

  private static Outcome run(Object... args) {
    return UsageErrorTest.execute(java.util.Arrays.stream(args).map(String::valueOf)
        .toArray(String[]::new));
  }

  @Test
  void aSourceFileIsCompiledAndRunWithItsArguments() throws IOException {
    Path echo = write("Echo.java", ECHO);
    Outcome o = run("run", echo, "a", "b");
    assertThat(o.out()).contains("args: a|b");
    assertThat(o.status()).isEqualTo(2);
    assertThat(o.err()).isEqualTo("ntsim: Echo.exe exited with code 2\n");
  }

  @Test
  void ntsimsOptionsGoAnywhereAndEverythingAfterDoubleDashGoesToTheGuest() throws IOException {
    Path echo = write("Echo.java", ECHO);
    Outcome o = run("run", "--seed", "3", echo, "-x", "a", "--cpus", "1", "--", "-v", "--cpus");
    assertThat(o.out()).contains("args: -x|a|-v|--cpus");
    assertThat(o.status()).isEqualTo(4);
  }

  @Test
  void aCompiledClassIsFoundOnTheClassPath() throws Exception {
    Path classes = compile(write("Echo.java", ECHO));
    Outcome o = run("run", "Echo", "one", "--classpath", classes);
    assertThat(o.out()).contains("args: one");
    assertThat(o.status()).isEqualTo(1);
  }

  @Test
  void anUnhandledExceptionIsShownAsAnNtExceptionWithTheGuestFrame() throws IOException {
    Outcome o = run("run", write("Echo.java", ECHO), "throw");
    assertThat(o.status()).isEqualTo(1);
    assertThat(o.err()).isEqualTo("ntsim: Echo.exe ended by an unhandled exception 0xC0000144"
        + " (STATUS_UNHANDLED_EXCEPTION) in Echo.main(Echo.java:11):"
        + " java.lang.IllegalStateException: boom\n");
  }

  @Test
  void anAccessViolationIsShownWithItsNtStatus() throws IOException {
    Outcome o = run("run", write("Echo.java", ECHO), "fault");
    assertThat(o.status()).isEqualTo(1);
    assertThat(o.err()).isEqualTo("ntsim: Echo.exe ended by an unhandled exception 0xC0000005"
        + " (STATUS_ACCESS_VIOLATION): access violation reading 0x00000010\n");
  }

  @Test
  void aGuestStillRunningAtTheTimeLimitSaysSoAndExitsWith124() throws IOException {
    Outcome o = run("run", write("Echo.java", ECHO), "hang", "--time", "200ms");
    assertThat(o.status()).isEqualTo(GuestLab.STILL_RUNNING);
    assertThat(o.err()).startsWith("ntsim: Echo.exe still running at the time limit of --time"
        + " 200ms").hasLineCount(1);
  }

  @Test
  void aLabThatFinishesExitsWithZero() {
    assertThat(run("run", "quickstart").status()).isZero();
  }

  @Test
  void aCompileErrorIsPrintedAsJavacPrintsItThenOneLine() throws IOException {
    Path bad = write("Bad.java", """
        public class Bad implements org.ntsim.win32.GuestProgram {
          public int main(org.ntsim.win32.GuestContext ctx) { return nope; }
        }
        """);
    Outcome o = run("run", bad);
    assertThat(o.status()).isEqualTo(2);
    assertThat(o.err()).contains("Bad.java:2: error: cannot find symbol")
        .endsWith("ntsim run: " + bad + " does not compile (javac's messages above)\n");
  }

  @Test
  void aClassThatIsNotFoundIsOneLineNamingIt() throws Exception {
    Outcome o = run("run", "--classpath", compile(write("Echo.java", ECHO)), "com.example.Nope");
    assertThat(o.status()).isEqualTo(2);
    assertThat(o.err()).startsWith("ntsim run: no lab or guest class called 'com.example.Nope'")
        .hasLineCount(1);
  }

  @Test
  void aClassThatIsNotAGuestProgramIsOneLineNamingIt() throws Exception {
    Path classes = compile(write("Plain.java", "public class Plain {}"));
    Outcome o = run("run", "--classpath", classes, "Plain");
    assertThat(o.status()).isEqualTo(2);
    assertThat(o.err()).isEqualTo("ntsim run: Plain is not a guest program (it does not"
        + " implement org.ntsim.win32.GuestProgram)\n");
  }

  @Test
  void aClassThatCannotBeLinkedIsOneLineNamingItAndTheCause() throws Exception {
    Path classes = compile(write("Base.java", "public class Base {}"), write("Derived.java", """
        public class Derived extends Base implements org.ntsim.win32.GuestProgram {
          public int main(org.ntsim.win32.GuestContext ctx) { return 0; }
        }
        """));
    Files.delete(classes.resolve("Base.class"));
    Outcome o = run("run", "--classpath", classes, "Derived");
    assertThat(o.status()).isEqualTo(2);
    assertThat(o.err()).startsWith("ntsim run: guest class Derived cannot be loaded:"
        + " NoClassDefFoundError: Base").hasLineCount(1);
  }

  @Test
  void aClassForANewerJavaGetsAHint() throws Exception {
    Path classes = compile(write("Echo.java", ECHO));
    Path file = classes.resolve("Echo.class");
    byte[] bytes = Files.readAllBytes(file);
    bytes[7]++; // major version: one Java newer than this one
    Files.write(file, bytes);
    Outcome o = run("run", "--classpath", classes, "Echo");
    assertThat(o.status()).isEqualTo(2);
    assertThat(o.err()).startsWith("ntsim run: guest class Echo was compiled for a newer Java")
        .contains("javac --release " + Runtime.version().feature()).hasLineCount(1);
  }

  @Test
  void theExampleGuestRunsFromSourceAndCompiledWithOneDigestOnBothBackends() throws Exception {
    assertThat(run("new", "guest", "Hello", "--directory", dir).status()).isZero();
    Path source = dir.resolve("Hello.java");
    Outcome continuation = run("run", source, "100", "--digest");
    Outcome threads = run("run", source, "100", "--digest", "--backend", "threads");
    Outcome compiled = run("run", "--classpath", compile(source), "Hello", "100", "--digest");
    assertThat(continuation.status()).as(continuation.err()).isZero();
    assertThat(continuation.out()).startsWith("100 rounds in ").contains("digest: ");
    assertThat(threads.out()).isEqualTo(continuation.out());
    assertThat(compiled.out()).isEqualTo(continuation.out());
  }

  @Test
  void newGuestDoesNotOverwriteAFile() throws IOException {
    write("Hello.java", "// mine");
    Outcome o = run("new", "guest", "Hello", "--directory", dir);
    assertThat(o.status()).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("Hello.java"))).isEqualTo("// mine");
  }
}
