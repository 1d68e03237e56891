package org.ntsim.kd;

import java.util.List;
import java.util.function.Consumer;

/**
 * The extension classes the console loads, as WinDbg loads its chain of extension DLLs: each
 * registers its own commands in {@link KdCommands}, and {@code !help} lists them in this order.
 * A component brings its kd extensions by adding its class here, without touching the console.
 */
final class KdExtensions {
  private static final List<Consumer<KdCommands>> CHAIN = List.of(
      SchedulerExtensions::register,
      ThreadExtension::register,
      ProcessExtension::register,
      ProcessorExtensions::register,
      InterruptExtension::register,
      ObjectExtension::register,
      DispatcherExtensions::register,
      PoolExtensions::register,
      MemoryExtensions::register,
      BugCheckAnalysis::register);

  private KdExtensions() {}

  static void registerAll(KdCommands table) {
    for (Consumer<KdCommands> extension : CHAIN) {
      extension.accept(table);
    }
  }
}
