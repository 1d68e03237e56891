package org.ntsim.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.ntsim.hal.MachineConfig;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The checks on option values, made while the command line is parsed, so that a mistake is
 * reported (by picocli, as "Invalid value for option '--cpus': ...") before anything runs. Each
 * message names the values the option takes. The ranges are MachineConfig's.
 */
final class Converters {
  private Converters() {}

  /** {@code --cpus}: 1 to 64 processors. */
  static final class Cpus implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        int n = Integer.parseInt(value.trim());
        if (n >= 1 && n <= 64) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new TypeConversionException("'" + value + "' (use 1 to 64)");
    }
  }

  /** {@code --memory}: 1M to 4G, a whole number of 4 KiB pages. */
  static final class Memory implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      long bytes;
      try {
        bytes = MachineConfig.parseSize(value);
      } catch (IllegalArgumentException e) {
        bytes = -1;
      }
      if (bytes < (1L << 20) || bytes > (4L << 30) || (bytes & 0xFFF) != 0) {
        throw new TypeConversionException("'" + value + "' (use 1M to 4G in whole 4K pages,"
            + " e.g. 256M or 1G)");
      }
      return value;
    }
  }

  /** A duration of at least {@code minNs}, in ntsim's notation (100ms, 2s, 500us). */
  private static String duration(String value, long minNs, String allowed) {
    long ns;
    try {
      ns = MachineConfig.parseDurationNs(value);
    } catch (IllegalArgumentException e) {
      ns = Long.MIN_VALUE;
    }
    if (ns < minNs) {
      throw new TypeConversionException("'" + value + "' (use " + allowed + ")");
    }
    return value;
  }

  /** {@code --clock}: at least 0.1 ms. */
  static final class Clock implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      return duration(value, 100_000, "a duration of at least 0.1ms, e.g. 15.625ms or 1ms");
    }
  }

  /** {@code --slice}: at least 1 us (and at most one clock interval, checked with --clock). */
  static final class Slice implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      return duration(value, 1_000, "a duration from 1us to one clock interval, e.g. 50us");
    }
  }

  /** {@code --time}, {@code --hang}: a positive duration. */
  static final class PositiveDuration implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      return duration(value, 1, "a positive duration, e.g. 500ms, 2s or 100us");
    }
  }

  /** {@code --backend}: continuation or threads. */
  static final class Backend implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (value.equals("continuation") || value.equals("threads")) {
        return value;
      }
      throw new TypeConversionException("'" + value + "' (use continuation or threads)");
    }
  }

  /**
   * {@code --trace}: a file ending in .json or .csv, in a directory that exists, so that a run is
   * not wasted on a trace that cannot be written.
   */
  static final class TraceFile implements ITypeConverter<Path> {
    @Override
    public Path convert(String value) {
      String lower = value.toLowerCase(java.util.Locale.ROOT);
      if (!lower.endsWith(".json") && !lower.endsWith(".csv")) {
        throw new TypeConversionException("'" + value + "' (use a file name ending in .json"
            + " for Chrome/Perfetto or .csv)");
      }
      Path path = Path.of(value).toAbsolutePath();
      Path dir = path.getParent();
      if (dir == null || !Files.isDirectory(dir)) {
        throw new TypeConversionException("'" + value + "': directory " + dir
            + " does not exist");
      }
      if (Files.isDirectory(path) || !Files.isWritable(dir)
          || (Files.exists(path) && !Files.isWritable(path))) {
        throw new TypeConversionException("'" + value + "' cannot be written");
      }
      return Path.of(value);
    }
  }

  /** {@code --version}: the version Maven wrote into version.properties. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = Converters.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {"ntsim " + p.getProperty("version", "(version unknown)")};
    }
  }
}
