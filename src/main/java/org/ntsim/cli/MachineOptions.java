package org.ntsim.cli;

import org.ntsim.hal.MachineConfig;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The options every command that boots a machine shares. Each value is checked as it is parsed
 * (Converters); the one rule between two options, a slice no longer than the clock interval, is
 * checked by {@link #toConfig}.
 */
final class MachineOptions {
  @Option(names = "--cpus", paramLabel = "N", converter = Converters.Cpus.class,
      description = "processors, 1 to 64 (default ${DEFAULT-VALUE})", defaultValue = "2")
  int cpus;

  @Option(names = "--memory", paramLabel = "SIZE", converter = Converters.Memory.class,
      description = "physical memory, 1M to 4G, e.g. 256M (default ${DEFAULT-VALUE})",
      defaultValue = "256M")
  String memory;

  @Option(names = "--seed", paramLabel = "N", description = "seed of the run (default ${DEFAULT-VALUE})",
      defaultValue = "1")
  long seed;

  @Option(names = "--backend", paramLabel = "KIND", converter = Converters.Backend.class,
      description = "coroutines: continuation or threads (default ${DEFAULT-VALUE})",
      defaultValue = "continuation")
  String backend;

  @Option(names = "--clock", paramLabel = "DURATION", converter = Converters.Clock.class,
      description = "clock interval, at least 0.1ms (default ${DEFAULT-VALUE})",
      defaultValue = "15.625ms")
  String clock;

  @Option(names = "--slice", paramLabel = "DURATION", converter = Converters.Slice.class,
      description = "how long a CPU running alone keeps the host before the loop looks again"
      + " (host speed only: the run is the same), 1us to one clock interval"
      + " (default ${DEFAULT-VALUE})", defaultValue = "50us")
  String slice;

  @Option(names = "--quantum-accounting", paramLabel = "KIND",
      converter = QuantumAccountingKind.class, description = "how quanta are charged: cycles"
      + " (Vista: the cycles a thread ran, interrupts excluded) or ticks (XP: three units a clock"
      + " tick) (default ${DEFAULT-VALUE})", defaultValue = "cycles")
  String quantumAccounting;

  /** {@code --quantum-accounting}: cycles or ticks. */
  static final class QuantumAccountingKind implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (value.equals(MachineConfig.QUANTUM_CYCLES) || value.equals(MachineConfig.QUANTUM_TICKS)) {
        return value;
      }
      throw new TypeConversionException("'" + value + "' (use cycles or ticks)");
    }
  }

  /** The machine these options describe; throws UsageException for a slice above the clock. */
  MachineConfig toConfig(boolean recordTrace) {
    MachineConfig c = new MachineConfig();
    c.cpus = cpus;
    c.memoryBytes = MachineConfig.parseSize(memory);
    c.seed = seed;
    c.backend = backend;
    c.clockIntervalNs = MachineConfig.parseDurationNs(clock);
    c.sliceNs = MachineConfig.parseDurationNs(slice);
    c.quantumAccounting = quantumAccounting;
    c.recordTrace = recordTrace;
    if (c.sliceNs > c.clockIntervalNs) {
      throw new UsageException("--slice " + slice + " is longer than the clock interval (--clock "
          + clock + "); use at most one clock interval");
    }
    return c.validate();
  }
}
