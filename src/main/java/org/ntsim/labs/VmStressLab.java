package org.ntsim.labs;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.ntsim.hal.Prng;
import org.ntsim.ke.GuestException;
import org.ntsim.ke.NtStatus;
import org.ntsim.mm.MemoryBasicInformation;
import org.ntsim.ps.EProcess;
import org.ntsim.win32.GuestContext;
import org.ntsim.win32.Kernel32;
import org.ntsim.win32.Ntos;

/**
 * A seeded random virtual-memory workload, the memory manager's counterpart of the stress lab:
 * processes whose threads reserve, commit, decommit, release, protect
 * (no-access, read-only, guard), reset, lock, trim their working set or give it a small hard
 * maximum, and read and write their pages, on a small machine so that the commit limit and standby repurposing come into play.
 * Each thread keeps a model of its own regions (committed or not, protection, the value last
 * written to each page) and checks every access against it: a value read back, an access
 * violation, a guard-page violation exactly where the model expects one. A broken expectation
 * ends the thread with exit code 0xBAD0 + the step. With {@link #verifyEachStep} the memory
 * manager's full invariant sweep runs after every operation.
 */
public final class VmStressLab implements Lab {
  private static final int PAGES_PER_REGION_MAX = 48;
  private static final int MISMATCH = 0xBAD00000;

  /** Run the memory manager's invariant sweep after every operation (tests turn it on). */
  public boolean verifyEachStep;
  private final List<EProcess> processes = new ArrayList<>();
  private long operations;
  private long accessViolations;
  private long guardViolations;
  private long commitFailures;
  private int mismatches;
  private String firstMismatch;

  @Override
  public String name() {
    return "vm-stress";
  }

  @Override
  public String description() {
    return "a seeded random virtual-memory workload checked against a model of each region";
  }

  @Override
  public long timeLimitNs() {
    return 20_000_000_000L;
  }

  /** One page of a region as the thread believes it is. */
  private static final class Page {
    boolean committed;
    int protect; // Win32 PAGE_* without PAGE_GUARD
    boolean guard;
    Integer value; // last value written at the page's first int; null: unknown (reset)
  }

  private static final class Region {
    final long base;
    final Page[] pages;

    Region(long base, int pages) {
      this.base = base;
      this.pages = new Page[pages];
      for (int i = 0; i < pages; i++) {
        this.pages[i] = new Page();
      }
    }
  }

  @Override
  public void start(Ntos os) {
    Prng prng = os.machine.prng.split("vm-stress");
    int count = 1 + prng.nextInt(3);
    for (int p = 0; p < count; p++) {
      int threads = 1 + prng.nextInt(2);
      long seed = prng.nextLong();
      int steps = 150 + prng.nextInt(250);
      EProcess proc = os.launch("vm" + p + ".exe", ctx -> {
        Kernel32 k = ctx.kernel32();
        long[] handles = new long[threads - 1];
        for (int t = 1; t < threads; t++) {
          long threadSeed = seed + t;
          handles[t - 1] = k.CreateThread(null, 0, x -> worker(os, ctx, threadSeed, steps), 0, 0,
              null);
        }
        int code = worker(os, ctx, seed, steps);
        for (long h : handles) {
          k.WaitForSingleObject(h, Kernel32.INFINITE);
          int[] exit = new int[1];
          k.GetExitCodeThread(h, exit);
          code = code != 0 ? code : exit[0];
          k.CloseHandle(h);
        }
        return code;
      });
      processes.add(proc);
    }
  }

  private int worker(Ntos os, GuestContext ctx, long seed, int steps) {
    Prng r = new Prng(seed);
    Kernel32 k = ctx.kernel32();
    List<Region> regions = new ArrayList<>();
    for (int step = 0; step < steps; step++) {
      operations++;
      int op = r.nextInt(100);
      Region region = regions.isEmpty() ? null : regions.get(r.nextInt(regions.size()));
      if (region == null || op < 12) {
        allocate(k, r, regions);
      } else if (op < 50) {
        if (!access(ctx, r, region, step)) {
          return MISMATCH + step;
        }
      } else if (op < 58) {
        commitOrDecommit(k, r, region);
      } else if (op < 66) {
        protect(k, r, region);
      } else if (op < 71) {
        release(k, r, regions, region);
      } else if (op < 76) {
        k.EmptyWorkingSet(k.GetCurrentProcess());
      } else if (op < 80) {
        reset(k, r, region);
      } else if (op < 85) {
        lockAndUnlock(k, r, region);
      } else if (op < 90) {
        if (!queryAgrees(k, r, region, step)) {
          return MISMATCH + step;
        }
      } else if (op < 93) {
        int max = 8 + r.nextInt(64); // a small hard maximum: faults replace pages
        k.SetProcessWorkingSetSizeEx(k.GetCurrentProcess(), 4 * 4096L, max * 4096L,
            r.nextBoolean() ? Kernel32.QUOTA_LIMITS_HARDWS_MAX_ENABLE
                : Kernel32.QUOTA_LIMITS_HARDWS_MAX_DISABLE);
      } else {
        ctx.compute(r.nextInt(20_000));
      }
      if (verifyEachStep) {
        os.mm.verify();
      }
    }
    for (Region g : regions) {
      k.VirtualFree(g.base, 0, Kernel32.MEM_RELEASE);
    }
    return 0;
  }

  private void allocate(Kernel32 k, Prng r, List<Region> regions) {
    int pages = 1 + r.nextInt(PAGES_PER_REGION_MAX);
    boolean commit = r.nextBoolean();
    int protect = r.nextInt(4) == 0 ? Kernel32.PAGE_READONLY : Kernel32.PAGE_READWRITE;
    int type = Kernel32.MEM_RESERVE | (commit ? Kernel32.MEM_COMMIT : 0)
        | (r.nextInt(4) == 0 ? Kernel32.MEM_TOP_DOWN : 0)
        | (r.nextInt(6) == 0 ? Kernel32.MEM_WRITE_WATCH : 0);
    long base = k.VirtualAlloc(0, pages * 4096L, type, protect);
    if (base == 0) {
      commitFailures++;
      return;
    }
    Region g = new Region(base, pages);
    for (Page p : g.pages) {
      p.committed = commit;
      p.protect = protect;
      p.value = commit ? 0 : null;
    }
    regions.add(g);
  }

  /** A read or write of one page's first int, checked against the model. */
  private boolean access(GuestContext ctx, Prng r, Region g, int step) {
    int i = r.nextInt(g.pages.length);
    Page p = g.pages[i];
    long va = g.base + i * 4096L;
    boolean write = r.nextBoolean();
    int value = r.nextInt(1 << 30);
    int expected;
    if (!p.committed || p.protect == Kernel32.PAGE_NOACCESS) {
      expected = NtStatus.STATUS_ACCESS_VIOLATION;
    } else if (p.guard) {
      expected = NtStatus.STATUS_GUARD_PAGE_VIOLATION;
    } else if (write && p.protect == Kernel32.PAGE_READONLY) {
      expected = NtStatus.STATUS_ACCESS_VIOLATION;
    } else {
      expected = NtStatus.STATUS_SUCCESS;
    }
    int status = NtStatus.STATUS_SUCCESS;
    int read = 0;
    try {
      if (write) {
        ctx.writeInt(va, value);
      } else {
        read = ctx.readInt(va);
      }
    } catch (GuestException e) {
      status = e.status();
    }
    if (status == NtStatus.STATUS_ACCESS_VIOLATION) {
      accessViolations++;
    } else if (status == NtStatus.STATUS_GUARD_PAGE_VIOLATION) {
      guardViolations++;
      p.guard = false;
    }
    if (status != expected) {
      return mismatch(step, String.format("%s of %08x: status %08x, the model expected %08x",
          write ? "write" : "read", va, status, expected));
    }
    if (status == NtStatus.STATUS_SUCCESS) {
      if (write) {
        p.value = value;
      } else if (p.value != null && read != p.value) {
        return mismatch(step, String.format("read %08x at %08x, the model expected %08x", read,
            va, p.value));
      }
    }
    return true;
  }

  private void commitOrDecommit(Kernel32 k, Prng r, Region g) {
    int first = r.nextInt(g.pages.length);
    int count = 1 + r.nextInt(g.pages.length - first);
    long va = g.base + first * 4096L;
    if (r.nextBoolean()) {
      int protect = r.nextBoolean() ? Kernel32.PAGE_READWRITE : Kernel32.PAGE_READONLY;
      if (k.VirtualAlloc(va, count * 4096L, Kernel32.MEM_COMMIT, protect) == 0) {
        commitFailures++;
        return;
      }
      for (int i = first; i < first + count; i++) {
        Page p = g.pages[i];
        if (!p.committed) {
          p.value = 0;
        }
        p.committed = true;
        p.protect = protect;
        p.guard = false;
      }
    } else if (k.VirtualFree(va, count * 4096L, Kernel32.MEM_DECOMMIT)) {
      for (int i = first; i < first + count; i++) {
        g.pages[i].committed = false;
        g.pages[i].guard = false;
        g.pages[i].value = null;
      }
    }
  }

  private void protect(Kernel32 k, Prng r, Region g) {
    int first = r.nextInt(g.pages.length);
    int count = 1 + r.nextInt(Math.min(4, g.pages.length - first));
    for (int i = first; i < first + count; i++) {
      if (!g.pages[i].committed) {
        return; // the call would fail with ERROR_INVALID_ADDRESS; checked elsewhere
      }
    }
    int[] kinds = {Kernel32.PAGE_NOACCESS, Kernel32.PAGE_READONLY, Kernel32.PAGE_READWRITE};
    int protect = kinds[r.nextInt(kinds.length)];
    boolean guard = protect != Kernel32.PAGE_NOACCESS && r.nextInt(3) == 0;
    if (k.VirtualProtect(g.base + first * 4096L, count * 4096L,
        protect | (guard ? Kernel32.PAGE_GUARD : 0), new int[1])) {
      for (int i = first; i < first + count; i++) {
        g.pages[i].protect = protect;
        g.pages[i].guard = guard;
      }
    }
  }

  private static void release(Kernel32 k, Prng r, List<Region> regions, Region g) {
    if (k.VirtualFree(g.base, 0, Kernel32.MEM_RELEASE)) {
      regions.remove(g);
    }
  }

  private void reset(Kernel32 k, Prng r, Region g) {
    int i = r.nextInt(g.pages.length);
    if (k.VirtualAlloc(g.base + i * 4096L, 4096, Kernel32.MEM_RESET, Kernel32.PAGE_NOACCESS)
        != 0 && g.pages[i].committed) {
      g.pages[i].value = null; // kept or zero: Windows promises neither
    }
  }

  private void lockAndUnlock(Kernel32 k, Prng r, Region g) {
    int i = r.nextInt(g.pages.length);
    Page p = g.pages[i];
    long va = g.base + i * 4096L;
    if (p.committed && p.protect != Kernel32.PAGE_NOACCESS && !p.guard
        && k.VirtualLock(va, 4096)) {
      k.EmptyWorkingSet(k.GetCurrentProcess());
      k.VirtualUnlock(va, 4096);
    }
  }

  private boolean queryAgrees(Kernel32 k, Prng r, Region g, int step) {
    int i = r.nextInt(g.pages.length);
    Page p = g.pages[i];
    MemoryBasicInformation info = new MemoryBasicInformation();
    if (k.VirtualQuery(g.base + i * 4096L, info, MemoryBasicInformation.SIZE) == 0) {
      return mismatch(step, "VirtualQuery failed on a region the thread holds");
    }
    int state = p.committed ? Kernel32.MEM_COMMIT : Kernel32.MEM_RESERVE;
    int protect = p.committed ? p.protect | (p.guard ? Kernel32.PAGE_GUARD : 0) : 0;
    if (info.State != state || info.Protect != protect || info.AllocationBase != g.base) {
      return mismatch(step, String.format("VirtualQuery of %08x: state %x protect %x base %08x;"
          + " the model says %x %x %08x", g.base + i * 4096L, info.State, info.Protect,
          info.AllocationBase, state, protect, g.base));
    }
    return true;
  }

  private boolean mismatch(int step, String what) {
    mismatches++;
    if (firstMismatch == null) {
      firstMismatch = "step " + step + ": " + what;
    }
    return false;
  }

  @Override
  public boolean finished(Ntos os) {
    for (EProcess p : processes) {
      if (p.exitTimeNs() < 0) {
        return false;
      }
    }
    return true;
  }

  /** The processes the lab started, for the tests. */
  public List<EProcess> processes() {
    return processes;
  }

  /** The first access or query that disagreed with a thread's model, or null. */
  public String firstMismatch() {
    return firstMismatch;
  }

  @Override
  public void report(Ntos os, PrintStream out) {
    out.printf("vm-stress: %d processes, %d operations; %d access violations and %d guard-page"
        + " violations where the model expected them; %d commits refused%n", processes.size(),
        operations, accessViolations, guardViolations, commitFailures);
    for (EProcess p : processes) {
      out.printf("  %s exited with 0x%08X%n", p.imageName(), p.exitStatus());
    }
    var f = os.mm.faults();
    out.printf("  faults: demand zero %d, transition %d, guard %d, access violation %d,"
        + " collided %d; TLB shootdowns %d; commit now %d of %d pages%n", f.demandZeroFaults(),
        f.transitionFaults(), f.guardPageFaults(), f.accessViolations(), f.collidedFaults(),
        os.mm.tlbShootdowns(), os.mm.commitTotal(), os.mm.commitLimit());
    out.println(mismatches == 0 ? "  every access and query agreed with the model"
        : "  " + mismatches + " disagreements; the first: " + firstMismatch);
  }
}
