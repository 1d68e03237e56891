package org.ntsim.cli;

import org.ntsim.hal.MachineConfig;
import picocli.CommandLine.Option;

/** The options every command that boots a machine shares. */
final class MachineOptions {
  @Option(names = "--cpus", description = "processors (1-64, default ${DEFAULT-VALUE})",
      defaultValue = "2")
  int cpus;

  @Option(names = "--memory", description = "physical memory, e.g. 256M (default ${DEFAULT-VALUE})",
      defaultValue = "256M")
  String memory;

  @Option(names = "--seed", description = "seed of the run (default ${DEFAULT-VALUE})",
      defaultValue = "1")
  long seed;

  @Option(names = "--backend", description = "coroutines: continuation or threads"
      + " (default ${DEFAULT-VALUE})", defaultValue = "continuation")
  String backend;

  @Option(names = "--clock", description = "clock interval, e.g. 15.625ms (default ${DEFAULT-VALUE})",
      defaultValue = "15.625ms")
  String clock;

  @Option(names = "--slice", description = "how far one CPU runs before the next takes its turn"
      + " (default ${DEFAULT-VALUE})", defaultValue = "50us")
  String slice;

  MachineConfig toConfig(boolean recordTrace) {
    MachineConfig c = new MachineConfig();
    c.cpus = cpus;
    c.memoryBytes = MachineConfig.parseSize(memory);
    c.seed = seed;
    c.backend = backend;
    c.clockIntervalNs = MachineConfig.parseDurationNs(clock);
    c.sliceNs = MachineConfig.parseDurationNs(slice);
    c.recordTrace = recordTrace;
    return c.validate();
  }
}
