package org.ntsim.trace;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Names that the exporters put on tracks: processes by id, threads by id (with the process they
 * belong to), and the number of CPUs. Names are metadata: they are not events and do not enter
 * the digest.
 *
 * <p>Invariants: maps are sorted by id, so exporters list tracks in the same order on every run.
 * The last name given for an id wins.
 *
 * <p>Left out: history. A thread id that NT reuses for a thread of another process keeps only
 * its latest name and process, and the exporters file all of that id's events under them.
 */
final class TraceNames {
  /** A thread's process and name. */
  record ThreadName(long pid, String name) {}

  private final TreeMap<Long, String> processes = new TreeMap<>();
  private final TreeMap<Long, ThreadName> threads = new TreeMap<>();
  private int cpuCount;
  private String[] services = new String[0];

  void nameProcess(long pid, String name) {
    processes.put(pid, Objects.requireNonNull(name, "name"));
  }

  void nameThread(long tid, long pid, String name) {
    threads.put(tid, new ThreadName(pid, Objects.requireNonNull(name, "name")));
  }

  void nameServices(String[] names) {
    services = names.clone();
  }

  /** The name of system service {@code number}, or "service n" if it has none. */
  String service(long number) {
    return number >= 0 && number < services.length && services[(int) number] != null
        ? services[(int) number] : "service " + number;
  }

  void nameCpuCount(int cpus) {
    if (cpus < 0) {
      throw new IllegalArgumentException("cpus " + cpus);
    }
    cpuCount = cpus;
  }

  int cpuCount() {
    return cpuCount;
  }

  /** The process's name, or null if it was never named. */
  String processName(long pid) {
    return processes.get(pid);
  }

  /** The thread's process and name, or null if it was never named. */
  ThreadName thread(long tid) {
    return threads.get(tid);
  }

  /** Named processes in id order. */
  Map<Long, String> processes() {
    return Collections.unmodifiableMap(processes);
  }
}
