package org.ntsim.labs;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.ntsim.ke.Kernel;
import org.ntsim.mm.AddressSpace;
import org.ntsim.mm.PfnDatabase;
import org.ntsim.ps.EProcess;
import org.ntsim.win32.Kernel32;
import org.ntsim.win32.MemoryStatusEx;
import org.ntsim.win32.Ntos;

/**
 * Working sets under the balance set manager (seed 004 slides 35-37; Windows Internals ch. 9,
 * "Working Sets"). Three processes:
 *
 * <ul>
 *   <li>{@code capped.exe} sets a hard working set maximum of 1,000 pages
 *       (SetProcessWorkingSetSizeEx), touches 3,000 pages, and idles: its working set never
 *       grows past 1,000 (the fault handler replaces old pages);
 *   <li>{@code idle.exe} touches a fifth of memory, then sleeps; at 5 s it touches it all again;
 *   <li>{@code hog.exe} raises its working set maximum to three quarters of memory, starts at
 *       1 s and commits and touches memory until 3-5 % is available, then keeps touching its
 *       own pages until 4 s.
 * </ul>
 *
 * <p>When memory gets tight the working set manager trims the pages each process left unused
 * for a pass, largest estimate of unused pages first: the idle process loses its pages (down to
 * its minimum) on the first pass, the capped one on the next, the busy hog keeps its own; the
 * trimmed pages go to the modified list (written private pages with no copy elsewhere: there
 * is no paging file) and come back without I/O, by transition faults, when the idle
 * process touches them again. A sampler records the working sets and the page lists every
 * 250 ms. The seed picks how much each process takes (within a few per cent).
 */
final class WorkingSetLab implements Lab {
  private static final long MS = 1_000_000L;
  private static final long SAMPLE_NS = 250 * MS;

  private EProcess capped;
  private EProcess idle;
  private EProcess hog;
  private final List<long[]> samples = new ArrayList<>();
  private long idleFaultsBefore;
  private long idleFaultsAfter;
  private long transitionBefore;
  private long transitionAfter;
  private long idlePages;
  private long hogPages;
  private long cappedTouched; // pages each guest actually wrote
  private long idleTouched;
  private boolean idleRetouched;
  private final int[] allocErrors = new int[3]; // capped, idle, hog: GetLastError of a failed VirtualAlloc

  @Override
  public String name() {
    return "working-set";
  }

  @Override
  public String description() {
    return "the balance set manager trims an idle working set under memory pressure; its pages"
        + " come back by soft faults";
  }

  @Override
  public long timeLimitNs() {
    return 20_000_000_000L;
  }

  @Override
  public void start(Ntos os) {
    org.ntsim.hal.Prng pick = os.machine.prng.split("working-set");
    long frames = os.mm.pfnDatabase().frameCount();
    idlePages = frames / 5 + pick.nextLong(0, frames / 50);
    int hogPercent = (int) pick.nextLong(3, 5);
    capped = os.launch("capped.exe", ctx -> {
      Kernel32 k = ctx.kernel32();
      k.SetProcessWorkingSetSizeEx(k.GetCurrentProcess(), 100 * 4096L, 1000 * 4096L,
          Kernel32.QUOTA_LIMITS_HARDWS_MAX_ENABLE);
      long base = k.VirtualAlloc(0, 3000 * 4096L, Kernel32.MEM_RESERVE | Kernel32.MEM_COMMIT,
          Kernel32.PAGE_READWRITE);
      if (base == 0) {
        allocErrors[0] = k.GetLastError();
        return 1;
      }
      for (long i = 0; i < 3000; i++) {
        ctx.writeInt(base + i * 4096, (int) i);
        cappedTouched++;
      }
      k.Sleep(6000);
      return 0;
    });
    idle = os.launch("idle.exe", ctx -> {
      Kernel32 k = ctx.kernel32();
      long base = k.VirtualAlloc(0, idlePages * 4096, Kernel32.MEM_RESERVE | Kernel32.MEM_COMMIT,
          Kernel32.PAGE_READWRITE);
      if (base == 0) {
        allocErrors[1] = k.GetLastError();
        return 1;
      }
      for (long i = 0; i < idlePages; i++) {
        ctx.writeInt(base + i * 4096, (int) i);
        idleTouched++;
      }
      k.Sleep(5000);
      AddressSpace as = os.ps.currentProcess().addressSpace();
      idleFaultsBefore = as.pageFaults();
      transitionBefore = os.mm.faults().transitionFaults();
      long sum = 0;
      for (long i = 0; i < idlePages; i++) {
        sum += ctx.readInt(base + i * 4096);
      }
      idleFaultsAfter = as.pageFaults();
      transitionAfter = os.mm.faults().transitionFaults();
      idleRetouched = true;
      return sum == idlePages * (idlePages - 1) / 2 ? 0 : 1;
    });
    hog = os.launch("hog.exe", ctx -> {
      Kernel32 k = ctx.kernel32();
      k.SetProcessWorkingSetSize(k.GetCurrentProcess(), 1 << 20, frames * 4096 * 3 / 4);
      k.Sleep(1000);
      List<Long> chunks = new ArrayList<>();
      MemoryStatusEx status = new MemoryStatusEx();
      while (k.GlobalMemoryStatusEx(status)
          && status.ullAvailPhys > status.ullTotalPhys * hogPercent / 100) {
        long a = k.VirtualAlloc(0, 1 << 20, Kernel32.MEM_RESERVE | Kernel32.MEM_COMMIT,
            Kernel32.PAGE_READWRITE);
        if (a == 0) {
          allocErrors[2] = k.GetLastError();
          break;
        }
        chunks.add(a);
        for (long p = 0; p < 1 << 20; p += 4096) {
          ctx.writeInt(a + p, 1);
        }
      }
      hogPages = chunks.size() * 256L;
      while (ctx.nowNs() < 4_000 * MS) {
        for (long a : chunks) {
          for (long p = 0; p < 1 << 20; p += 4096) {
            ctx.readInt(a + p);
          }
        }
        k.Sleep(100);
      }
      return 0;
    });
    os.ps.createSystemThread("sampler", "lab!Sampler", 15, () -> {
      while (true) {
        sample(os);
        os.kernel.delayExecution(Kernel.KERNEL_MODE, false, SAMPLE_NS);
      }
    });
  }

  private void sample(Ntos os) {
    PfnDatabase db = os.mm.pfnDatabase();
    samples.add(new long[] {os.machine.activeCpu().clockNs(), pages(capped), pages(idle),
        pages(hog), db.availablePages(), db.count(PfnDatabase.MODIFIED),
        db.count(PfnDatabase.STANDBY)});
  }

  private static long pages(EProcess p) {
    AddressSpace as = p.addressSpace();
    return as == null || as.isDeleted() ? 0 : as.validPrivatePages();
  }

  @Override
  public boolean finished(Ntos os) {
    return capped.exitTimeNs() >= 0 && idle.exitTimeNs() >= 0 && hog.exitTimeNs() >= 0;
  }

  @Override
  public void report(Ntos os, PrintStream out) {
    out.printf("working-set: %s of memory; idle.exe touched %d pages, hog.exe %d, capped.exe %d"
        + " with a hard maximum of 1000%n", ThreadTable.mb(os.machine.config.memoryBytes),
        idleTouched, hogPages, cappedTouched);
    EProcess[] guests = {capped, idle, hog};
    for (int i = 0; i < guests.length; i++) {
      out.println("  " + LabSupport.outcome(guests[i]) + (allocErrors[i] == 0 ? ""
          : "; a VirtualAlloc failed with " + LabSupport.errorName(allocErrors[i])));
    }
    out.println("  time    capped.exe   idle.exe    hog.exe  available   modified   standby"
        + "   (working sets and lists in pages)");
    for (long[] s : samples) {
      if (s[0] / MS % 500 < 250) {
        out.printf("  %4.1fs %11d %10d %10d %10d %10d %9d%n", s[0] / 1e9, s[1], s[2], s[3],
            s[4], s[5], s[6]);
      }
    }
    long idleMin = Long.MAX_VALUE;
    long hogMin = Long.MAX_VALUE;
    long cappedAfter = 0;
    for (long[] s : samples) {
      if (s[0] > 2_000 * MS && s[0] < 5_000 * MS) {
        idleMin = Math.min(idleMin, s[2]);
        cappedAfter = s[1];
      }
      if (s[0] > 2_000 * MS && s[0] < 4_000 * MS) {
        hogMin = Math.min(hogMin, s[3]);
      }
    }
    long cappedPeak = capped.addressSpace() == null ? 0 : capped.addressSpace().peakValidPages();
    out.printf("  capped.exe at its peak: %d pages (hard maximum 1000); at 4 s: %d%n",
        cappedPeak, cappedAfter);
    if (idleMin != Long.MAX_VALUE) {
      out.printf("  idle.exe at its smallest between 2 s and 5 s: %d pages%n", idleMin);
    }
    if (idleRetouched) {
      out.printf("  idle.exe touched its %d pages again: %d faults, %d of them soft (transition)"
          + " faults%n", idleTouched, idleFaultsAfter - idleFaultsBefore,
          transitionAfter - transitionBefore);
    } else {
      out.println("  idle.exe did not touch its pages again");
    }
    out.printf("  working set manager passes %d; exit codes %08x %08x %08x%n",
        os.mm.workingSetManager().passes(), capped.exitStatus(), idle.exitStatus(),
        hog.exitStatus());
    out.println("Windows Internals expects: a hard maximum holds the working set at it; when"
        + " memory is tight the balance set manager trims pages that went unused (the idle"
        + " process's, not the busy hog's) down to the minimum, and a trimmed page faults back"
        + " from the modified or standby list without disk I/O. With no paging file yet the"
        + " modified pages cannot be written out, so trimming does not raise available memory.");
    out.println("  seen here: " + seenHardMaximum(cappedPeak) + "; "
        + seenTrim(idleMin, hogMin) + "; " + seenSoftFaults());
  }

  private String seenHardMaximum(long cappedPeak) {
    if (cappedTouched <= 1000) {
      return "hard maximum not tested (capped.exe touched " + cappedTouched + " pages)";
    }
    return cappedPeak <= 1000 ? "the hard maximum held (peak " + cappedPeak + ")"
        : "the hard maximum did NOT hold (peak " + cappedPeak + ")";
  }

  private String seenTrim(long idleMin, long hogMin) {
    if (idleMin == Long.MAX_VALUE || idleTouched == 0) {
      return "no trimming of idle.exe to see";
    }
    if (idleMin >= idleTouched) {
      return "idle.exe was not trimmed";
    }
    String hog = hogPages == 0 || hogMin == Long.MAX_VALUE ? "hog.exe had no pages to keep"
        : hogMin >= hogPages ? "hog.exe kept its " + hogPages
        : "hog.exe was trimmed too, to " + hogMin;
    return "idle.exe trimmed from " + idleTouched + " to " + idleMin + " pages, " + hog;
  }

  private String seenSoftFaults() {
    long faults = idleFaultsAfter - idleFaultsBefore;
    if (!idleRetouched || faults == 0) {
      return "no trimmed page faulted back";
    }
    long soft = transitionAfter - transitionBefore;
    return soft == faults ? "every fault back was soft (no paging file: no disk read)"
        : (faults - soft) + " of " + faults + " faults back were not transition faults";
  }
}
