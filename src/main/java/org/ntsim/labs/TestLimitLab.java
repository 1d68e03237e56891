package org.ntsim.labs;

import java.io.PrintStream;
import org.ntsim.ps.EProcess;
import org.ntsim.win32.Kernel32;
import org.ntsim.win32.MemoryStatusEx;
import org.ntsim.win32.Ntos;

/**
 * The Testlimit experiments of Windows Internals ch. 9 ("Reserving and Committing Pages",
 * "Commit Charge and the System Commit Limit"), as Sysinternals' Testlimit runs them, in one
 * process, one after the other:
 *
 * <ul>
 *   <li>{@code -r}: reserve address space 1 MB at a time until VirtualAlloc fails: the 2 GB user
 *       address space, less what the process already uses, is the limit;
 *   <li>{@code -m}: commit private memory 1 MB at a time without touching it until the commit
 *       limit stops it (ERROR_COMMITMENT_LIMIT): commit is charged at allocation, not at first
 *       touch;
 *   <li>{@code -d}: the same, touching every page: now the pages are really used, the working
 *       set and the available pages show it.
 * </ul>
 *
 * <p>Each phase frees what it took before the next. Before the first, the process holds what
 * a real one would (image, heaps, stack): the seed picks 1-16 MB reserved, up to 4 MB of it
 * committed. With no paging file yet, the commit limit is physical memory less a reserve for the
 * system.
 */
final class TestLimitLab implements Lab {
  private static final long MB = 1 << 20;

  private EProcess process;
  private long reservedMb;
  private int reserveError;
  private long committedMb;
  private int commitError;
  private long touchedMb;
  private int touchError;
  private long workingSetPages;
  private long availableBefore;
  private long availableAfter;
  private long commitLimitMb;

  @Override
  public String name() {
    return "testlimit";
  }

  @Override
  public String description() {
    return "Testlimit -r, -m and -d: reserve to the address space limit, commit to the commit"
        + " limit, then commit and touch";
  }

  @Override
  public void start(Ntos os) {
    org.ntsim.hal.Prng pick = os.machine.prng.split("testlimit");
    long imageMb = pick.nextLong(1, 16); // what the process holds already: image, heaps, stack
    long imageCommittedMb = pick.nextLong(0, Math.min(4, imageMb));
    process = os.launch("testlimit.exe", ctx -> {
      Kernel32 k = ctx.kernel32();
      long image = k.VirtualAlloc(0, imageMb * MB, Kernel32.MEM_RESERVE, Kernel32.PAGE_READWRITE);
      if (imageCommittedMb > 0) {
        k.VirtualAlloc(image, imageCommittedMb * MB, Kernel32.MEM_COMMIT, Kernel32.PAGE_READWRITE);
      }
      java.util.List<Long> regions = new java.util.ArrayList<>();
      long a;
      while ((a = k.VirtualAlloc(0, MB, Kernel32.MEM_RESERVE, Kernel32.PAGE_READWRITE)) != 0) {
        regions.add(a);
      }
      reserveError = k.GetLastError();
      reservedMb = regions.size();
      freeAll(k, regions);
      while ((a = k.VirtualAlloc(0, MB, Kernel32.MEM_RESERVE | Kernel32.MEM_COMMIT,
          Kernel32.PAGE_READWRITE)) != 0) {
        regions.add(a);
      }
      commitError = k.GetLastError();
      committedMb = regions.size();
      freeAll(k, regions);
      MemoryStatusEx status = new MemoryStatusEx();
      k.GlobalMemoryStatusEx(status);
      availableBefore = status.ullAvailPhys / MB;
      commitLimitMb = status.ullTotalPageFile / MB;
      while ((a = k.VirtualAlloc(0, MB, Kernel32.MEM_RESERVE | Kernel32.MEM_COMMIT,
          Kernel32.PAGE_READWRITE)) != 0) {
        regions.add(a);
        for (long page = 0; page < MB; page += 4096) {
          ctx.writeInt(a + page, (int) page);
        }
      }
      touchError = k.GetLastError();
      touchedMb = regions.size();
      k.GlobalMemoryStatusEx(status);
      availableAfter = status.ullAvailPhys / MB;
      workingSetPages = os.ps.currentProcess().addressSpace().validPrivatePages();
      freeAll(k, regions);
      return 0;
    });
  }

  private static void freeAll(Kernel32 k, java.util.List<Long> regions) {
    for (long r : regions) {
      k.VirtualFree(r, 0, Kernel32.MEM_RELEASE);
    }
    regions.clear();
  }

  @Override
  public boolean finished(Ntos os) {
    return process.exitTimeNs() >= 0;
  }

  @Override
  public long timeLimitNs() {
    return 600_000_000_000L;
  }

  @Override
  public void report(Ntos os, PrintStream out) {
    if (!finished(os) || process.exitStatus() != 0) {
      out.println("testlimit: " + LabSupport.outcome(process) + "; it did not finish its runs");
      return;
    }
    out.printf("testlimit -r: reserved %d MB of address space (VirtualAlloc failed with %s)%n",
        reservedMb, LabSupport.errorName(reserveError));
    out.printf("testlimit -m: leaked %d MB of private memory, never touched (failed with %s);"
        + " commit limit %d MB%n", committedMb, LabSupport.errorName(commitError), commitLimitMb);
    out.printf("testlimit -d: leaked and touched %d MB (failed with %s); available physical"
        + " memory %d MB before, %d MB after; working set %d pages (%d MB)%n", touchedMb,
        LabSupport.errorName(touchError), availableBefore, availableAfter, workingSetPages,
        workingSetPages * 4096 / MB);
    out.println("Windows Internals expects: a 32-bit process reserves close to 2 GB (its user"
        + " address space); committing stops at the commit limit whether or not the pages are"
        + " touched, since commit is charged when memory is committed; touching them takes"
        + " physical memory (here there is no paging file, so the limit is RAM less a reserve).");
  }
}
