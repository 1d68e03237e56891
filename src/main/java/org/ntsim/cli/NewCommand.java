package org.ntsim.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import javax.lang.model.SourceVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ntsim new guest NAME}: writes NAME.java, an example guest (two threads ping-ponging on
 * two auto-reset events, a comment on every call) that {@code ntsim run NAME.java} runs.
 */
@Command(name = "new", mixinStandardHelpOptions = true,
    description = "Write a new file from an example.", subcommands = NewCommand.Guest.class)
final class NewCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UsageException("say what to write: ntsim new guest NAME");
  }

  @Command(name = "guest", mixinStandardHelpOptions = true,
      description = "Write NAME.java, a ready-to-run example guest program.")
  static final class Guest implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "the class name, e.g. Hello")
    String name;

    @Option(names = "--directory", paramLabel = "DIR", defaultValue = ".",
        description = "where to write it (default: the current directory)")
    Path directory;

    @Override
    public Integer call() throws IOException {
      if (!SourceVersion.isName(name) || name.contains(".")) {
        throw new UsageException("'" + name + "' is not a Java class name (use e.g. Hello)");
      }
      if (!Files.isDirectory(directory)) {
        throw new UsageException("--directory " + directory + " does not exist");
      }
      Path file = directory.resolve(name + ".java");
      if (Files.exists(file)) {
        throw new UsageException(file + " exists already");
      }
      String template;
      try (InputStream in = NewCommand.class.getResourceAsStream("ExampleGuest.java.txt")) {
        template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      Files.writeString(file, template.replace("NAME", name));
      System.out.println("wrote " + file + "; run it with: ./ntsim run " + file);
      return 0;
    }
  }
}
