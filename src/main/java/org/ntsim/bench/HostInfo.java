package org.ntsim.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The host a benchmark ran on, so that figures travel with their machine: CPU model and count,
 * memory, the JVM and its heap limit. Linux's /proc files when present; "unknown" otherwise.
 */
final class HostInfo {
  private HostInfo() {}

  static Json describe() {
    Runtime rt = Runtime.getRuntime();
    return new Json()
        .put("cpu", procField("/proc/cpuinfo", "model name"))
        .put("cpus", rt.availableProcessors())
        .put("memory_gib", memoryGib())
        .put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"))
        .put("max_heap_mib", rt.maxMemory() >> 20);
  }

  static String oneLine(Json host) {
    return host.get("cpu") + ", " + host.get("cpus") + " CPUs, " + host.get("memory_gib")
        + " GiB; " + host.get("java") + ", heap limit " + host.get("max_heap_mib") + " MiB";
  }

  private static String procField(String file, String key) {
    try {
      List<String> lines = Files.readAllLines(Path.of(file));
      for (String line : lines) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
          return line.substring(colon + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or not readable: the figure stays unknown
    }
    return "unknown";
  }

  private static double memoryGib() {
    String total = procField("/proc/meminfo", "MemTotal"); // "24572384 kB"
    try {
      long kib = Long.parseLong(total.split("\\s+")[0]);
      return Math.round(kib / 1024.0 / 1024.0 * 10) / 10.0;
    } catch (RuntimeException e) {
      return -1;
    }
  }
}
