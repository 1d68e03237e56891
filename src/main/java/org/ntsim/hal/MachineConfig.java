package org.ntsim.hal;

/**
 * What a machine is made of. Every field has a default; a run is fixed by its configuration and
 * seed.
 */
public final class MachineConfig {
  public int cpus = 2;
  public long memoryBytes = 256L << 20;
  /** Entries of each CPU's TLB (a power of two): 64, a data TLB of the period. */
  public int tlbEntries = 64;
  public long seed = 1;
  /** The interval timer: 15.625 ms, the usual x86 multiprocessor clock of the period. */
  public long clockIntervalNs = 15_625_000;
  /**
   * How long a CPU running alone keeps the host before the loop looks again. Host speed only: the
   * simulated run does not depend on it (see {@link Machine}).
   */
  public long sliceNs = 50_000;
  public String backend = "continuation";
  /** Keep every trace event in memory (for export); the digest is computed either way. */
  public boolean recordTrace = false;
  public CostModel cost = new CostModel();
  /**
   * How a thread's quantum is charged: {@value #QUANTUM_CYCLES} (Vista: the processor cycles the
   * thread ran, without interrupt and DPC time) or {@value #QUANTUM_TICKS} (XP and Server 2003: a
   * third of the quantum target at each clock tick, whatever the tick interrupted).
   */
  public String quantumAccounting = QUANTUM_CYCLES;
  public static final String QUANTUM_CYCLES = "cycles";
  public static final String QUANTUM_TICKS = "ticks";
  /**
   * HKLM\SYSTEM\CurrentControlSet\Control\PriorityControl\Win32PrioritySeparation: bits 4-5
   * the quantum length (1 long, 2 short, 0 or 3 the client default, short), bits 2-3 variable or
   * fixed quanta (1 variable, 2 fixed, 0 or 3 the client default, variable), bits 0-1 the
   * foreground separation (PsPrioritySeparation, 3 meaning 2). 2, a client's default: short
   * variable quanta, the foreground process's three times a background one's.
   */
  public int win32PrioritySeparation = 2;
  /**
   * The system time of day at boot (KeBootTime), a UTC FILETIME: 100 ns units since 1 January
   * 1601. {@link #VISTA_ERA_BOOT_TIME} unless set; KeQuerySystemTime is this plus the time since
   * boot, until a caller sets the system time.
   */
  public long bootTimeOfDay = VISTA_ERA_BOOT_TIME;
  /** 27 February 2008, 00:00:00 UTC (the day Windows Server 2008 and Vista SP1 shipped). */
  public static final long VISTA_ERA_BOOT_TIME = 128_485_440_000_000_000L;
  /**
   * For the fuzzer's own tests only, never set in a real run: a bug planted in one service, to
   * prove that the fuzzer catches such a bug. {@value #PLANTED_QUERY_THROWS}: the query of a free
   * region (NtQueryVirtualMemory, VirtualQuery) throws IllegalStateException out of the memory
   * manager. Null for none.
   */
  public String plantedBug;
  public static final String PLANTED_QUERY_THROWS = "query-throws";

  public MachineConfig validate() {
    if (cpus < 1 || cpus > 64) {
      throw new IllegalArgumentException("cpus must be 1..64, not " + cpus);
    }
    if (memoryBytes < (1L << 20) || memoryBytes > (4L << 30)) {
      throw new IllegalArgumentException("memory must be 1 MiB..4 GiB, not " + memoryBytes);
    }
    if ((memoryBytes & 0xFFF) != 0) {
      throw new IllegalArgumentException("memory must be a whole number of 4 KiB pages");
    }
    if (tlbEntries < 1 || tlbEntries > 65536 || Integer.bitCount(tlbEntries) != 1) {
      throw new IllegalArgumentException("TLB entries must be a power of two up to 65536, not "
          + tlbEntries);
    }
    if (clockIntervalNs < 100_000) {
      throw new IllegalArgumentException("clock interval must be at least 0.1 ms");
    }
    if (sliceNs < 1_000 || sliceNs > clockIntervalNs) {
      throw new IllegalArgumentException("slice must be 1 us .. one clock interval");
    }
    if (!backend.equals("continuation") && !backend.equals("threads")) {
      throw new IllegalArgumentException("unknown backend '" + backend
          + "' (use continuation or threads)");
    }
    if (!quantumAccounting.equals(QUANTUM_CYCLES) && !quantumAccounting.equals(QUANTUM_TICKS)) {
      throw new IllegalArgumentException("unknown quantum accounting '" + quantumAccounting
          + "' (use ticks or cycles)");
    }
    if (win32PrioritySeparation < 0 || win32PrioritySeparation > 0x3F) {
      throw new IllegalArgumentException("Win32PrioritySeparation must be 0..0x3F, not "
          + win32PrioritySeparation);
    }
    if (bootTimeOfDay < 0 || (bootTimeOfDay >>> 32) > 0x2000_0000L) {
      throw new IllegalArgumentException("boot time of day must be a FILETIME NtSetSystemTime"
          + " accepts (0 to 0x20000000FFFFFFFF), not " + bootTimeOfDay);
    }
    if (plantedBug != null && !plantedBug.equals(PLANTED_QUERY_THROWS)) {
      throw new IllegalArgumentException("no planted bug called " + plantedBug);
    }
    return this;
  }

  /** Parses sizes like 256M, 1G, 4096K, or a plain byte count. */
  public static long parseSize(String text) {
    String t = text.trim().toUpperCase();
    long mult = 1;
    if (t.endsWith("B")) {
      t = t.substring(0, t.length() - 1);
    }
    if (t.endsWith("K")) {
      mult = 1L << 10;
    } else if (t.endsWith("M")) {
      mult = 1L << 20;
    } else if (t.endsWith("G")) {
      mult = 1L << 30;
    }
    if (mult != 1) {
      t = t.substring(0, t.length() - 1);
    }
    try {
      return Math.multiplyExact(Long.parseLong(t), mult);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("not a size: '" + text + "' (use e.g. 256M, 1G, 4096K)");
    }
  }

  /** Parses durations like 100ms, 2s, 500us, 1000ns; a bare number is milliseconds. */
  public static long parseDurationNs(String text) {
    String t = text.trim().toLowerCase();
    long mult;
    if (t.endsWith("ns")) {
      mult = 1;
      t = t.substring(0, t.length() - 2);
    } else if (t.endsWith("us")) {
      mult = 1_000;
      t = t.substring(0, t.length() - 2);
    } else if (t.endsWith("ms")) {
      mult = 1_000_000;
      t = t.substring(0, t.length() - 2);
    } else if (t.endsWith("s")) {
      mult = 1_000_000_000;
      t = t.substring(0, t.length() - 1);
    } else {
      mult = 1_000_000;
    }
    try {
      if (t.contains(".")) {
        double ns = Double.parseDouble(t) * mult;
        if (Double.isNaN(ns) || Math.abs(ns) >= 0x1p62) {
          throw new ArithmeticException();
        }
        return Math.round(ns);
      }
      return Math.multiplyExact(Long.parseLong(t), mult);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("not a duration: '" + text
          + "' (use e.g. 100ms, 2s, 15.625ms, 500us)");
    }
  }
}
