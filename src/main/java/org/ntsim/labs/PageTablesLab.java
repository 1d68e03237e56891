package org.ntsim.labs;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.ntsim.hal.X86Pte;
import org.ntsim.ke.KProcess;
import org.ntsim.ke.Kernel;
import org.ntsim.kd.KdConsole;
import org.ntsim.mm.MemoryAccess;
import org.ntsim.mm.MmLayout;
import org.ntsim.mm.MmPte;
import org.ntsim.ps.EProcess;
import org.ntsim.win32.Kernel32;
import org.ntsim.win32.Ntos;

/**
 * Finding a PTE by hand through the self-map (seed 004 slides 28-30; Windows Internals ch. 9,
 * "Translating a virtual address"). A guest reserves and commits a region (the seed picks its
 * size, 128 KiB to 4 MiB, and where in it the marker goes), writes a marker, and waits. A kernel thread (standing for a student's driver) attaches to the
 * guest's address space (KeStackAttachProcess) and does the arithmetic of the slides: the PDE of VA at
 * C0300000 + (VA >> 22) * 4, the PTE at C0000000 + (VA >> 12) * 4, reads both through the
 * self-map, takes the frame from the PTE and reads the marker at that physical address; it also
 * reads PDE 0x300 (C0300C00) and finds the page directory's own frame there. The report shows
 * the walk next to the debugger's {@code !pte} for the same addresses, and slide 30's worked
 * example (E4321000 has its PTE at C0390C84). The guest stays, so that {@code ntsim kd
 * page-tables} can look at it after {@code g}.
 */
final class PageTablesLab implements Lab {
  private static final int MARKER = 0x600DF00D;

  private EProcess guest;
  private long va;
  private boolean walked;
  private long dirBase;
  private int pde;
  private int pte;
  private int selfMapPde;
  private int markerSeen;
  private int virtualMarker;
  private long reserveBytes;
  private int allocError; // GetLastError after a VirtualAlloc that failed, else 0

  @Override
  public String name() {
    return "page-tables";
  }

  @Override
  public String description() {
    return "find a PTE by hand through the self-map at C0000000 and check it with !pte";
  }

  @Override
  public long timeLimitNs() {
    return 2_000_000_000L;
  }

  @Override
  public void start(Ntos os) {
    org.ntsim.hal.Prng pick = os.machine.prng.split("page-tables");
    long reserve = 0x10000L * (1 + pick.nextLong(1, 64)); // the seed picks the region's size
    reserveBytes = reserve;
    long offset = pick.nextLong(0, reserve - 4) & ~3L;   // ... and where the marker goes
    guest = os.launch("pagetables.exe", ctx -> {
      Kernel32 k = ctx.kernel32();
      long base = k.VirtualAlloc(0, reserve, Kernel32.MEM_RESERVE | Kernel32.MEM_COMMIT,
          Kernel32.PAGE_READWRITE);
      if (base == 0) {
        allocError = k.GetLastError();
        return 1;
      }
      ctx.writeInt(base + offset, MARKER);
      va = base + offset;
      while (true) {
        k.Sleep(100); // stays, so that the debugger can look at its address space
      }
    });
    os.ob.reference(guest.header());
    Kernel ke = os.kernel;
    MemoryAccess kernelMemory = os.mm.kernelAccess();
    os.ps.createSystemThread("walker", "student!WalkPageTables", 8, () -> {
      while (va == 0) {
        ke.delayExecution(Kernel.KERNEL_MODE, false, 1_000_000);
      }
      KProcess previous = ke.stackAttachProcess(guest);
      dirBase = os.machine.activeCpu().mmu.directoryBase();
      pde = kernelMemory.readInt(0xC0300000L + (va >>> 22) * 4);
      pte = kernelMemory.readInt(0xC0000000L + (va >>> 12) * 4);
      selfMapPde = kernelMemory.readInt(0xC0300C00L);
      long physical = ((long) X86Pte.frame(pte) << 12) | (va & 0xFFF);
      markerSeen = os.machine.memory.readInt(physical);
      virtualMarker = kernelMemory.readInt(va);
      ke.unstackDetachProcess(previous);
      walked = true;
      return 0;
    });
  }

  @Override
  public boolean finished(Ntos os) {
    return walked || guest.exitTimeNs() >= 0;
  }

  @Override
  public void report(Ntos os, PrintStream out) {
    if (!walked) {
      out.printf("page-tables: the walk did not happen: %s%n", allocError != 0
          ? String.format("VirtualAlloc of %d KB failed with %s (%s of memory); ",
              reserveBytes / 1024, LabSupport.errorName(allocError),
              ThreadTable.mb(os.machine.config.memoryBytes))
              + LabSupport.outcome(guest)
          : LabSupport.outcome(guest) + " before writing its marker");
      out.println("Windows Internals expects (not seen in this run): the PDE and PTE addresses"
          + " the self-map gives, the frame in the PTE holding the data, and PDE 0x300 naming"
          + " the directory.");
      return;
    }
    long pdeVa = 0xC0300000L + (va >>> 22) * 4;
    long pteVa = 0xC0000000L + (va >>> 12) * 4;
    out.printf("page-tables: the guest wrote %08X at VA %08x%n", MARKER, va);
    out.printf("  CR3 (DirBase) of pagetables.exe      %08x%n", dirBase);
    out.printf("  PDE at C0300000 + (VA >> 22) * 4  = %08x  contains %08x (page table pfn %x)%n",
        pdeVa, pde, X86Pte.frame(pde));
    out.printf("  PTE at C0000000 + (VA >> 12) * 4  = %08x  contains %08x (page pfn %x, %s)%n",
        pteVa, pte, X86Pte.frame(pte), X86Pte.flagLetters(pte));
    out.printf("  physical address = pfn << 12 | (VA & FFF) = %08x holds %08X (through the VA:"
        + " %08X)%n", ((long) X86Pte.frame(pte) << 12) | (va & 0xFFF), markerSeen,
        virtualMarker);
    out.printf("  PDE 0x300 at C0300C00 contains %08x: frame %x is the directory itself (%s)%n",
        selfMapPde, X86Pte.frame(selfMapPde),
        ((long) X86Pte.frame(selfMapPde) << 12) == dirBase ? "matches CR3" : "DOES NOT match");
    out.printf("  slide 30: PTE of E4321000 at %08x, PDE at %08x%n",
        MmLayout.pteAddress(0xE4321000L), MmLayout.pdeAddress(0xE4321000L));
    out.println();
    out.println("The debugger's view of the same process:");
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream kdOut = new PrintStream(buf, true, StandardCharsets.UTF_8);
    KdConsole kd = new KdConsole(os, kdOut, () -> true, 0);
    for (String command : new String[] {".process " + Long.toHexString(guest.address),
        "!pte " + Long.toHexString(va), "!pte c0300c00"}) {
      kdOut.print("kd> " + command + "\n");
      kd.execute(command);
    }
    out.print(buf.toString(StandardCharsets.UTF_8));
    boolean agrees = MmPte.isValid(pde) && markerSeen == MARKER && virtualMarker == MARKER;
    out.println();
    out.println("Windows Internals expects: the PDE and PTE addresses the self-map gives, the"
        + " frame in the PTE holding the data, and PDE 0x300 naming the directory: "
        + (agrees ? "all seen." : "NOT all seen."));
  }
}
